/**
 * genlook-rx/proxy: the backend route a browser app talks to instead of Genlook, which adds the API key
 * server-side. For `node:http`, Express and Nest.
 * @packageDocumentation
 */
export { createGenlookProxy } from './create-genlook-proxy.js';
export type { GenlookProxy, GenlookProxyOptions, ProxyAccess } from './create-genlook-proxy.js';
export type { ProxyErrorBody } from './proxy-answers.js';
