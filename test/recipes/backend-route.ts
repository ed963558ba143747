import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGenlook } from '../../src/index.js';
import { createGenlookProxy } from '../../src/proxy/index.js';

/**
 * The app's own backend of the browser tests: its pages, and `genlook-rx/proxy` under `/api/genlook`,
 * which adds the key server-side (here for the simulator), so the key never reaches the browser.
 * Counts what the browser side sent.
 */
export async function startBackendRoute(target: { baseUrl: string; apiKey: string }, options: { pages?: Record<string, { type: string; body: string }> } = {}) {
  const seen = { requests: 0, withKey: 0, aborted: 0 };
  const genlook = createGenlook({ baseUrl: target.baseUrl, apiKey: target.apiKey, rateLimit: false });
  const proxy = createGenlookProxy({ genlook, basePath: '/api/genlook', authorize: () => true });
  const server: Server = createServer((req, res) => {
    const page = options.pages?.[(req.url ?? '/').split('?')[0]!];
    if (page) return void res.writeHead(200, { 'content-type': page.type }).end(page.body);
    seen.requests++;
    if (req.headers['x-api-key'] !== undefined) seen.withKey++;
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
