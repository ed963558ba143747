import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The app's own backend route of the Angular and browser recipes: `/api/genlook/*` is forwarded to the
 * Genlook API (here the simulator) with the key added server-side, so the key never reaches the
 * browser. Counts what the browser side sent.
 */
export async function startBackendRoute(target: { baseUrl: string; apiKey: string }, options: { cors?: boolean; pages?: Record<string, { type: string; body: string }> } = {}) {
  const seen = { requests: 0, withKey: 0, aborted: 0 };
  const upstream = new URL(target.baseUrl);
  const server: Server = createServer((req, res) => {
    if (options.cors) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', 'content-type, accept');
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    }
    const page = options.pages?.[(req.url ?? '/').split('?')[0]!];
    if (page) return void res.writeHead(200, { 'content-type': page.type }).end(page.body);
    if (!req.url?.startsWith('/api/genlook/')) return void res.writeHead(404).end();
    seen.requests++;
    if (req.headers['x-api-key'] !== undefined) seen.withKey++;
    const proxied = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: `${upstream.pathname}${req.url.slice('/api/genlook'.length)}`,
        headers: { accept: 'application/json', 'content-type': req.headers['content-type'] ?? 'application/json', 'x-api-key': target.apiKey },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json', ...(answer.headers['retry-after'] ? { 'retry-after': answer.headers['retry-after'] } : {}) });
        answer.pipe(res);
      },
    );
    res.on('close', () => {
      if (!res.writableFinished) {
        seen.aborted++;
        proxied.destroy();
      }
    });
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
