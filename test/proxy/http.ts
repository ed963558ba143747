import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';

/** An answer as the test reads it. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

/**
 * Servers on 127.0.0.1 at a free port for one test file, every socket destroyed and the server closed
 * after each test. `serve` returns the origin; `onConnection` sees each accepted socket.
 */
export function useServers() {
  const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(({ server, sockets }) => closeServer(server, sockets)));
  });
  return {
    async serve(handler: Parameters<typeof createServer>[1], options: { port?: number; onConnection?: (socket: Socket) => void } = {}): Promise<{ origin: string; openConnections(): number; close(): Promise<void> }> {
      const server = createServer(handler);
      const sockets = new Set<Socket>();
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        options.onConnection?.(socket);
      });
      const entry = { server, sockets };
      servers.push(entry);
      await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
      return {
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        openConnections: () => sockets.size,
        close: async () => {
          servers.splice(servers.indexOf(entry), 1);
          await closeServer(server, sockets);
        },
      };
    },
  };
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** One raw HTTP request: the path is sent exactly as given (no normalisation by a client library). */
export function send(origin: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON: the test looks at `text`
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
