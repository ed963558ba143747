/**
 * genlook-rx/nestjs: the Genlook client for Nest apps (11 and newer): `GenlookModule.forRoot/forRootAsync`,
 * `generationEvents()` for `@Sse()` handlers, and `tryOnException()`, the HTTP answer of a create-and-wait.
 * @packageDocumentation
 */
export { GENLOOK, GenlookModule, InjectGenlook } from './genlook.module.js';
export type { GenlookModuleAsyncOptions } from './genlook.module.js';
export { generationEvents } from './generation-events.js';
export type { GenerationEnd, GenerationEventsOptions } from './generation-events.js';
export { tryOnException } from './try-on-exception.js';
export { publicError } from './public-error.js';
export type { PublicError } from './public-error.js';
