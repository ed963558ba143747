/**
 * genlook-rx/proxy: the backend route a browser app talks to instead of Genlook, which adds the API key
 * server-side, and serves each generation as server-sent events fed by one shared poll. For
 * `node:http`, Express and Nest. See docs/proxy.md.
 * @packageDocumentation
 */
export { createGenlookProxy } from './create-genlook-proxy.js';
export type { GenlookProxy } from './create-genlook-proxy.js';
export type { GenlookProxyOptions, ProxyAccess, ProxyErrorContext, ProxyGrant } from './proxy-options.js';
export type { ProxyErrorBody } from './proxy-answers.js';
export type { ProxyStreamEnd } from './event-stream.js';
export type { ProxyGeneration } from './proxy-text.js';
