// A proxy in a process of its own, for the load and restart tests: its RSS is the proxy's alone, and
// killing it is a real restart. Started by `startProxyProcess` (bundled with esbuild first), it serves
// `createGenlookProxy` on 127.0.0.1 for the simulator named in its environment and answers `memory`
// messages with its memory use after a full GC, `connections` messages with its open connections.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGenlook } from '../../src/index.js';
import { createGenlookProxy } from '../../src/proxy/index.js';

const genlook = createGenlook({
  baseUrl: process.env.PROXY_UPSTREAM,
  apiKey: process.env.PROXY_API_KEY,
  pollInterval: Number(process.env.PROXY_POLL_INTERVAL ?? 200),
  rateLimit: false,
  // Off unless asked: the load test counts each id's own reads as its loop (with sweeps, pending ids are
  // read by GET /generations instead; test/sweeps-end-to-end.test.ts).
  sweeps: process.env.PROXY_SWEEPS === '1',
});
const proxy = createGenlookProxy({ genlook, authorize: () => true, reconnectDelay: 50, keepaliveInterval: Number(process.env.PROXY_KEEPALIVE ?? 15_000) });
const server = createServer((req, res) => proxy(req, res));
server.listen(Number(process.env.PROXY_PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('message', (message: { type?: string }) => {
  if (message.type === 'connections') return void server.getConnections((_error, count) => process.send?.({ connections: count }));
  if (message.type !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.send?.({ memory: { rss, heapUsed } });
});
process.on('disconnect', () => process.exit(0));
