import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGenlook, fetchTransport, type Genlook, GenlookApiError, GenlookNetworkError, GenlookResponseError, isTransientError, type Transport } from '../src/index.js';
import { undiciTransport } from '../src/http/undici-transport.js';
import { completed, pending } from '../src/testing/index.js';

const KEY = 'gk_test_transport_spec_key';

/** What the loopback server saw of one request. */
interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
}

type MakeTransport = (options?: { maxResponseSize?: number }) => Transport;

describe.each<[string, MakeTransport]>([
  ['undici', (options) => undiciTransport(options)],
  ['fetch', (options) => fetchTransport(options)],
])('the %s transport, against a loopback server (node:http, 127.0.0.1, port 0)', (_name, makeTransport) => {
  let server: Server;
  let baseUrl = '';
  let seen: Seen[];
  let answers: Array<(req: IncomingMessage, res: ServerResponse) => void>;
  const clients: Genlook[] = [];
  const client = (options: Parameters<typeof createGenlook>[0] = {}) => {
    const genlook = createGenlook({ apiKey: KEY, baseUrl, retry: false, transport: makeTransport(), ...options });
    clients.push(genlook);
    return genlook;
  };

  beforeEach(async () => {
    seen = [];
    answers = [];
    // Each request takes the next scripted answer; the last one repeats.
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      const answer = answers[Math.min(seen.length, answers.length) - 1];
      if (answer === undefined) res.writeHead(500).end();
      else answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tryon/v1`;
  });

  afterEach(async () => {
    for (const genlook of clients.splice(0)) await genlook.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    answers.push((_req, res) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body)));

  it('reads a generation, and sends the key only as x-api-key, to the generation path', async () => {
    reply(200, completed('gen_1'));
    await expect(client().retrieve('gen_1')).resolves.toEqual(completed('gen_1'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/tryon/v1/generations/gen_1', headers: { 'x-api-key': KEY, accept: 'application/json' } });
    expect(JSON.stringify({ ...seen[0]!.headers, 'x-api-key': undefined })).not.toContain(KEY);
  });

  it.each([
    [400, 'VALIDATION_FAILED'],
    [401, 'MISSING_API_KEY'],
    [401, 'INVALID_API_KEY'],
    [402, 'INSUFFICIENT_CREDITS'],
    [403, 'FORBIDDEN'],
    [404, 'GENERATION_NOT_FOUND'],
    [500, 'INTERNAL_ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
  ])('maps %i %s to GenlookApiError with the server code, as sent', async (status, code) => {
    reply(status, { code, message: `said ${code}`, status, details: status === 400 ? [{ path: 'id', message: 'bad' }] : undefined });
    const error = await client().retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error).toMatchObject({ status, code, serverMessage: `said ${code}` });
    expect((error as GenlookApiError).details).toEqual(status === 400 ? [{ path: 'id', message: 'bad' }] : undefined);
  });

  it.each([
    [400, 'VALIDATION_FAILED'],
    [402, 'INSUFFICIENT_CREDITS'],
    [403, 'FORBIDDEN'],
    [404, 'GENERATION_NOT_FOUND'],
    [401, 'UNAUTHORIZED'],
    [408, 'HTTP_408'],
    [418, 'HTTP_418'],
    [502, 'SERVER_ERROR'],
  ])('derives a code from the status %i when the body has none: %s', async (status, code) => {
    reply(status, '<html>a proxy page</html>', { 'content-type': 'text/html' });
    const error = await client().retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error).toMatchObject({ status, code, serverMessage: undefined });
  });

  it('maps a 429 with Retry-After in seconds to RATE_LIMITED with retryAfter in ms', async () => {
    reply(429, { code: 'RATE_LIMITED', message: 'Too many requests', status: 429 }, { 'retry-after': '7' });
    await expect(client().retrieve('gen_1')).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfter: 7000 });
  });

  it('maps a 429 with Retry-After as an HTTP date to the ms from now until that date', async () => {
    // Only Date is faked (sockets and timers stay real): "now" is exact, so is the answer.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-03T08:00:00.000Z') });
    try {
      reply(429, { code: 'RATE_LIMITED', message: 'Too many requests', status: 429 }, { 'retry-after': 'Thu, 03 Dec 2026 08:00:12 GMT' });
      await expect(client().retrieve('gen_1')).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfter: 12_000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('maps a 429 without Retry-After to RATE_LIMITED without retryAfter', async () => {
    reply(429, { code: 'RATE_LIMITED', message: 'Too many requests', status: 429 });
    const error = (await client().retrieve('gen_1').catch((caught: unknown) => caught)) as GenlookApiError;
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfter).toBeUndefined();
  });

  it('maps invalid JSON to GenlookResponseError with an excerpt', async () => {
    reply(200, '{"generationId": "gen_1", "sta');
    const error = (await client().retrieve('gen_1').catch((caught: unknown) => caught)) as GenlookResponseError;
    expect(error).toBeInstanceOf(GenlookResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', isJson: false, excerpt: '{"generationId": "gen_1", "sta' });
    expect(error.message).toMatch(/^Response body is not valid JSON \(status 200\)/);
  });

  it('maps a missing field and a COMPLETED without resultImageUrl to GenlookResponseError with the issues', async () => {
    reply(200, { generationId: 'gen_1', createdAt: 'x', updatedAt: 'x' });
    reply(200, { ...pending('gen_1'), status: 'COMPLETED' });
    const genlook = client();
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ name: 'GenlookResponseError', code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ path: 'status' })] });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ name: 'GenlookResponseError', code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ path: 'resultImageUrl' })] });
  });

  it('maps a body about another generation to GenlookResponseError', async () => {
    reply(200, pending('gen_2'));
    const error = await client().retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookResponseError);
    expect((error as GenlookResponseError).message).toMatch(/about generation "gen_2", not "gen_1"/);
  });

  it('refuses a body over the size cap, with a declared length or chunked', async () => {
    const body = JSON.stringify({ ...pending('gen_1'), padding: 'x'.repeat(5000) });
    answers.push((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body));
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(body.slice(0, 2500));
      res.end(body.slice(2500));
    });
    const genlook = client({ transport: makeTransport({ maxResponseSize: 1000 }) });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ name: 'GenlookResponseError', code: 'RESPONSE_TOO_LARGE' });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ name: 'GenlookResponseError', code: 'RESPONSE_TOO_LARGE' });
    expect(seen).toHaveLength(2);
  });

  it('does not follow a redirect: UNEXPECTED_REDIRECT, not transient, never retried, and its target never asked', async () => {
    answers.push((_req, res) => res.writeHead(302, { location: '/elsewhere/steal' }).end());
    const genlook = client({ retry: { count: 2, delay: 1, jitter: false } });
    const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error).toMatchObject({ status: 302, code: 'UNEXPECTED_REDIRECT', serverMessage: 'redirects are not followed' });
    expect(isTransientError(error)).toBe(false);
    expect(seen.map((request) => request.url)).toEqual(['/tryon/v1/generations/gen_1']);
  });

  it('maps a connection reset to a transient GenlookNetworkError', async () => {
    answers.push((req) => req.socket.destroy());
    const error = await client().retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookNetworkError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', isNotSent: false });
    expect(isTransientError(error)).toBe(true);
  });

  it('polls through to COMPLETED over the transport', async () => {
    reply(200, pending('gen_1'));
    reply(200, completed('gen_1'));
    await expect(lastValueFrom(client({ pollInterval: 1 }).generation$('gen_1'))).resolves.toEqual(completed('gen_1'));
    expect(seen.map((request) => request.url)).toEqual(['/tryon/v1/generations/gen_1', '/tryon/v1/generations/gen_1']);
  });
});

describe('the fetch transport in a browser', () => {
  it("reads a refused redirect that the browser hides (an 'opaqueredirect' of status 0) as UNEXPECTED_REDIRECT, sent once, not retried", async () => {
    // What fetch(url, { redirect: 'manual' }) gives in a browser: no status, no headers, no body.
    const opaque = { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null } as unknown as Response;
    const fetch = vi.fn(async () => opaque);
    const genlook = createGenlook({ apiKey: KEY, transport: fetchTransport({ fetch }), retry: { count: 2, delay: 1, jitter: false } });
    const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
    await genlook.close();
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error).toMatchObject({ status: 0, code: 'UNEXPECTED_REDIRECT' });
    expect(isTransientError(error)).toBe(false);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith('https://api.genlook.app/tryon/v1/generations/gen_1', expect.objectContaining({ redirect: 'manual' }));
  });
});
