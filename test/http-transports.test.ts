import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchTransport } from '../src/index.js';
import { createDefaultTransport as createBrowserDefaultTransport } from '../src/http/default-transport.browser.js';
import { ResponseTooLargeError } from '../src/http/response-too-large-error.js';
import type { Transport, TransportRequest, TransportResponse } from '../src/http/transport.js';
import { splitUrl, undiciTransport } from '../src/http/undici-transport.js';

/** A loopback server (127.0.0.1, port 0) answering each request with `handler`, and the sockets it saw. */
interface Loopback {
  url: string;
  sockets: Set<Socket>;
  closedSockets: Socket[];
  onClose: Array<() => void>;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  server: Server;
}

let loopback: Loopback;

beforeEach(async () => {
  const state = { sockets: new Set<Socket>(), closedSockets: [] as Socket[], onClose: [] as Array<() => void>, handler: (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(500).end() } as Loopback;
  state.server = createServer((req, res) => state.handler(req, res));
  state.server.on('connection', (socket: Socket) => {
    state.sockets.add(socket);
    socket.on('close', () => {
      state.closedSockets.push(socket);
      for (const listener of state.onClose.splice(0)) listener();
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  loopback = state;
});

afterEach(async () => {
  loopback.server.closeAllConnections();
  await new Promise((resolve) => loopback.server.close(resolve));
});

const request = (url: string, signal = new AbortController().signal, timeout = 10_000): TransportRequest => ({ method: 'GET', url, headers: { accept: 'application/json' }, signal, timeout });

const send = (transport: Transport, url = `${loopback.url}/x`): Promise<TransportResponse> => transport.request(request(url)) as Promise<TransportResponse>;

/**
 * A request whose own timeouts (undici's headersTimeout and bodyTimeout) are an hour: a connection
 * that closes during the test was closed by the transport, not by a timeout.
 */
const sendUntimed = (transport: Transport): Promise<TransportResponse> => transport.request(request(`${loopback.url}/x`, new AbortController().signal, 3_600_000)) as Promise<TransportResponse>;

/** Resolves when the loopback server has seen a socket close. */
const aSocketCloses = () => new Promise<void>((resolve) => (loopback.closedSockets.length > 0 ? resolve() : loopback.onClose.push(resolve)));

describe('splitUrl', () => {
  it('splits a simple http(s) URL as it is, without re-parsing it', () => {
    expect(splitUrl('http://127.0.0.1:8080/a b?q=1')).toEqual({ origin: 'http://127.0.0.1:8080', path: '/a b?q=1' });
    expect(splitUrl('https://API.example/a b')).toEqual({ origin: 'https://API.example', path: '/a b' });
    expect(splitUrl('https://h/x#frag')).toEqual({ origin: 'https://h', path: '/x#frag' });
  });

  it('parses a URL whose authority holds ?, #, @ or a backslash', () => {
    expect(splitUrl('https://user@h.example/x')).toEqual({ origin: 'https://h.example', path: '/x' });
    expect(splitUrl('http://h.example?q=1/x')).toEqual({ origin: 'http://h.example', path: '/?q=1/x' });
    expect(splitUrl('http://h.example#a/b')).toEqual({ origin: 'http://h.example', path: '/' });
    expect(splitUrl('http://h.example\\x/y')).toEqual({ origin: 'http://h.example', path: '/x/y' });
  });

  it('parses a URL with no path', () => {
    expect(splitUrl('http://h.example')).toEqual({ origin: 'http://h.example', path: '/' });
    expect(splitUrl('https://h.example:8443')).toEqual({ origin: 'https://h.example:8443', path: '/' });
  });

  it('parses a URL of another scheme', () => {
    expect(splitUrl('file:///a/b c')).toEqual({ origin: 'null', path: '/a/b%20c' });
    expect(splitUrl('ws://h.example/a b')).toEqual({ origin: 'ws://h.example', path: '/a%20b' });
  });
});

describe('undiciTransport against a loopback server', () => {
  it('joins a repeated header with ", "', async () => {
    loopback.handler = (_req, res) => {
      res.setHeader('x-multi', ['a', 'b']);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    };
    const transport = undiciTransport();
    try {
      const response = await send(transport);
      expect(response.status).toBe(200);
      expect(response.body).toBe('ok');
      expect(response.headers['x-multi']).toBe('a, b');
      expect(response.headers['content-type']).toBe('text/plain');
    } finally {
      await transport.close!();
    }
  });

  it('reads a body of exactly maxResponseSize bytes, declared or chunked', async () => {
    let chunked = false;
    loopback.handler = (_req, res) => {
      if (chunked) {
        res.writeHead(200);
        res.write('0123');
        res.end('456789');
      } else res.writeHead(200, { 'content-length': '10' }).end('0123456789');
    };
    const transport = undiciTransport({ maxResponseSize: 10 });
    try {
      expect((await send(transport)).body).toBe('0123456789');
      chunked = true;
      expect((await send(transport)).body).toBe('0123456789');
    } finally {
      await transport.close!();
    }
  });

  it('refuses a declared length over the cap from the headers alone, and drops the connection', async () => {
    // The body is never finished: only a transport that refuses from the headers answers.
    loopback.handler = (_req, res) => {
      res.writeHead(201, { 'content-length': '5000' });
      res.write('only the start');
    };
    const transport = undiciTransport({ maxResponseSize: 100 });
    try {
      // No timeout of the request's can close the socket during the test: only the transport dropping the body does.
      const error = await sendUntimed(transport).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error).toMatchObject({ status: 201, limit: 100 });
      await aSocketCloses();
      expect(loopback.closedSockets).toHaveLength(1);
    } finally {
      await transport.close!();
    }
  });

  it('refuses a chunked body past the cap', async () => {
    loopback.handler = (_req, res) => {
      res.writeHead(200);
      res.write('0123456789');
      res.end('x');
    };
    const transport = undiciTransport({ maxResponseSize: 10 });
    try {
      await expect(send(transport)).rejects.toMatchObject({ name: 'ResponseTooLargeError', status: 200, limit: 10 });
    } finally {
      await transport.close!();
    }
  });

  it('refuses a chunked body past the cap that never ends, and drops the connection', async () => {
    // The body is never finished and the request's timeouts are an hour: only a transport that
    // destroys the body at the cap closes the socket.
    loopback.handler = (_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(200));
    };
    const transport = undiciTransport({ maxResponseSize: 100 });
    try {
      await expect(sendUntimed(transport)).rejects.toMatchObject({ name: 'ResponseTooLargeError', status: 200, limit: 100 });
      await aSocketCloses();
      expect(loopback.closedSockets).toHaveLength(1);
    } finally {
      await transport.close!();
    }
  });

  it('opens at most `connections` sockets: two requests at once share one socket', async () => {
    loopback.handler = (_req, res) => void res.writeHead(200, { 'content-length': '2' }).end('ok');
    const transport = undiciTransport({ connections: 1 });
    try {
      const answers = await Promise.all([send(transport), send(transport)]);
      expect(answers.map((answer) => answer.body)).toEqual(['ok', 'ok']);
      expect(loopback.sockets.size).toBe(1);
    } finally {
      await transport.close!();
    }
  });

  it('close() closes its own agent: its sockets are closed and a later request rejects', async () => {
    loopback.handler = (_req, res) => void res.writeHead(200, { 'content-length': '2' }).end('ok');
    const transport = undiciTransport();
    expect((await send(transport)).body).toBe('ok');
    await transport.close!();
    await aSocketCloses();
    expect(loopback.closedSockets).toHaveLength(1);
    await expect(send(transport)).rejects.toMatchObject({ name: 'ClientDestroyedError' });
  });

  it('close() leaves a dispatcher it was given open', async () => {
    loopback.handler = (_req, res) => void res.writeHead(200, { 'content-length': '2' }).end('ok');
    const dispatcher = new Agent();
    const transport = undiciTransport({ dispatcher });
    try {
      expect((await send(transport)).body).toBe('ok');
      await transport.close!();
      expect(dispatcher.closed).toBe(false);
      expect((await send(transport)).body).toBe('ok');
    } finally {
      await dispatcher.close();
    }
  });
});

describe('the default transport of the browser build (src/http/default-transport.browser.ts)', () => {
  it('is the fetch transport: the page\'s fetch, redirects not followed', async () => {
    const calls: Array<[unknown, RequestInit | undefined]> = [];
    vi.stubGlobal('fetch', async (url: unknown, init?: RequestInit) => (calls.push([url, init]), new Response('{}', { status: 200 })));
    try {
      const transport = createBrowserDefaultTransport();
      await expect(send(transport, 'http://127.0.0.1:1/x')).resolves.toMatchObject({ status: 200, body: '{}' });
      expect(calls).toEqual([['http://127.0.0.1:1/x', expect.objectContaining({ method: 'GET', redirect: 'manual' })]]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('fetchTransport', () => {
  it('an opaqueredirect answer is status 0 with no headers and no body', async () => {
    const opaque = new Response('not read', { status: 200, headers: { 'x-a': '1' } });
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    const transport = fetchTransport({ fetch: async () => opaque });
    await expect(send(transport, 'http://127.0.0.1:1/x')).resolves.toEqual({ status: 0, headers: {}, body: '' });
  });

  it('a basic answer is read as it is', async () => {
    const transport = fetchTransport({ fetch: async () => new Response('body', { status: 200, headers: { 'X-Up': 'v' } }) });
    await expect(send(transport, 'http://127.0.0.1:1/x')).resolves.toEqual({ status: 200, headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-up': 'v' }, body: 'body' });
  });

  it('an answer with no body is the empty text', async () => {
    loopback.handler = (_req, res) => void res.writeHead(204).end();
    const transport = fetchTransport();
    const response = await send(transport);
    expect(response.status).toBe(204);
    expect(response.body).toBe('');
  });

  it('a declared length over the cap with no body: refused', async () => {
    const transport = fetchTransport({ maxResponseSize: 10, fetch: async () => new Response(null, { status: 200, headers: { 'content-length': '5000' } }) });
    await expect(send(transport, 'http://127.0.0.1:1/x')).rejects.toMatchObject({ name: 'ResponseTooLargeError', status: 200, limit: 10 });
  });

  it('a declared length over the cap: refused from the headers alone', async () => {
    // The body is never finished: only a transport that refuses from the headers answers.
    loopback.handler = (_req, res) => {
      res.writeHead(202, { 'content-length': '5000' });
      res.write('only the start');
    };
    const transport = fetchTransport({ maxResponseSize: 100 });
    const error = await send(transport).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ status: 202, limit: 100 });
  });

  it('a body of exactly the cap, declared or chunked, is read', async () => {
    let chunked = false;
    loopback.handler = (_req, res) => {
      if (chunked) {
        res.writeHead(200);
        res.write('0123');
        res.end('456789');
      } else res.writeHead(200, { 'content-length': '10' }).end('0123456789');
    };
    const transport = fetchTransport({ maxResponseSize: 10 });
    expect((await send(transport)).body).toBe('0123456789');
    chunked = true;
    expect((await send(transport)).body).toBe('0123456789');
  });

  it('a character split across two chunks is decoded whole', async () => {
    const bytes = new TextEncoder().encode('é€');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 1));
        controller.enqueue(bytes.slice(1, 3));
        controller.enqueue(bytes.slice(3));
        controller.close();
      },
    });
    const transport = fetchTransport({ fetch: async () => new Response(body, { status: 200 }) });
    expect((await send(transport, 'http://127.0.0.1:1/x')).body).toBe('é€');
  });
});
