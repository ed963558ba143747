import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGenlook, type GenlookOptions } from '../../src/index.js';
import { createGenlookProxy } from '../../src/proxy/index.js';

/**
 * The app's own backend of the browser tests: its pages, and `genlook-rx/proxy` under `/api/genlook`,
 * which adds the key server-side (here for the simulator), so the key never reaches the browser.
 * Counts what the browser side sent.
 */
export async function startBackendRoute(
  target: { baseUrl: string; apiKey: string },
  options: { pages?: Record<string, { type: string; body: string }>; client?: GenlookOptions; withoutEvents?: boolean } = {},
) {
  // events: event-stream requests; reads: plain GETs of a generation (what a polling page sends).
  const seen = { requests: 0, withKey: 0, aborted: 0, events: 0, reads: 0 };
  const genlook = createGenlook({ baseUrl: target.baseUrl, apiKey: target.apiKey, rateLimit: false, ...options.client });
  const proxy = createGenlookProxy({ genlook, basePath: '/api/genlook', authorize: () => true });
  const server: Server = createServer((req, res) => {
    const page = options.pages?.[(req.url ?? '/').split('?')[0]!];
    if (page) return void res.writeHead(200, { 'content-type': page.type }).end(page.body);
    seen.requests++;
    if (req.headers['x-api-key'] !== undefined) seen.withKey++;
    const path = (req.url ?? '').split('?')[0]!;
    if (path.endsWith('/events')) {
      seen.events++;
      // A backend route that is not genlook-rx/proxy (or an older one): no event stream here.
      if (options.withoutEvents) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND","message":"Not found","status":404}');
    } else if (req.method === 'GET' && path.includes('/generations/')) seen.reads++;
    res.on('close', () => {
      if (!res.writableFinished) seen.aborted++;
    });
    proxy(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: async () => {
      await genlook.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
