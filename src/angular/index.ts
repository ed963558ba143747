/**
 * genlook-rx/angular: the Genlook client for Angular apps (20 and newer): `provideGenlook()` on
 * `HttpClient`, and `generationResource(id)`, a generation as a signal-based resource.
 * @packageDocumentation
 */
export { GENLOOK, provideGenlook } from './provide-genlook.js';
export type { ProvideGenlookOptions } from './provide-genlook.js';
export { httpClientTransport } from './http-client-transport.js';
export { generationResource } from './generation-resource.js';
