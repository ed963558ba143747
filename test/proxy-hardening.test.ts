import { connect } from 'node:net';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createGenlook, type TryOnRequest } from '../src/index.js';
import { createGenlookProxy, type GenlookProxyOptions, type ProxyAccess, type ProxyErrorContext } from '../src/proxy/index.js';
import { tryOnRequest, until, useSimulator } from './helpers/simulator.js';
import { send, useServers } from './proxy/http.js';

/** Writes a raw HTTP request, then body chunks while the socket takes them (up to `maxBytes`); reports what came back. */
function pushBody(origin: string, head: string, maxBytes: number): Promise<{ written: number; answer: string }> {
  const { port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let written = 0;
    let answer = '';
    let isClosed = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const pump = () => {
      while (!isClosed && written < maxBytes) {
        written += frame.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
    };
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      isClosed = true;
      resolve({ written, answer });
    });
    socket.write(head);
    pump();
  });
}

describe('genlook-rx/proxy: the order of checks, hooks that throw, body caps, upstream statuses', () => {
  const sim = useSimulator();
  const { serve } = useServers();
  afterEach(() => vi.restoreAllMocks());

  async function setUp(options: Partial<GenlookProxyOptions> = {}) {
    const simulator = await sim.start();
    const access: ProxyAccess[] = [];
    const proxy = createGenlookProxy({ genlook: sim.client(simulator), allowCreate: true, authorize: (asked) => (access.push(asked), true), ...options });
    const { origin } = await serve((req, res) => proxy(req, res));
    return { simulator, origin, access };
  }

  it('checks its options once, naming the bad one', async () => {
    const genlook = sim.client(await sim.start());
    const make = (options: Partial<GenlookProxyOptions>) => () => createGenlookProxy({ genlook, authorize: () => true, ...options });
    expect(make({ maxWait: -1 })).toThrow('Expected `maxWait` to be a positive number, got -1');
    expect(make({ concurrentReads: 0 })).toThrow('Expected `concurrentReads` to be a positive integer, got 0');
    expect(make({ keepaliveInterval: Number.NaN })).toThrow('Expected `keepaliveInterval` to be a positive number, got NaN');
    expect(make({ reconnectDelay: 1.5 })).toThrow('Expected `reconnectDelay` to be a positive integer, got 1.5');
    expect(make({ maxBufferedBytes: 0 })).toThrow('Expected `maxBufferedBytes` to be a positive integer, got 0');
    expect(make({ callerOf: 'user' as never })).toThrow('Expected `callerOf` to be a function, got "user"');
    expect(make({ onError: {} as never })).toThrow('Expected `onError` to be a function, got an object');
    expect(make({ allowCreate: 'yes' as never })).toThrow('Expected `allowCreate` to be a boolean, got "yes"');
  });

  it('checks the id before authorize is asked: a NUL, a bidi override or a 5,000-character id never reach the hook', async () => {
    const { simulator, origin, access } = await setUp();
    for (const id of ['a%00b', 'gen%E2%80%AEexe', 'x'.repeat(5_000), '%20', '...']) {
      for (const suffix of ['', '/events']) {
        const answer = await send(origin, 'GET', `/generations/${id}${suffix}`);
        expect({ id: id.slice(0, 20), suffix, status: answer.status, code: answer.json.code }).toEqual({ id: id.slice(0, 20), suffix, status: 400, code: 'VALIDATION_FAILED' });
      }
    }
    expect(access).toEqual([]);
    expect(simulator.stats().requests).toBe(0);
  });

  it('asks authorize before a POST body is read: refused while the body is still coming, answered 403 and the connection closed', async () => {
    const { origin, access } = await setUp({ authorize: (asked) => (access.push(asked), asked.action !== 'create') });
    // The body never ends: an answer can only come from a proxy that did not wait for it.
    const { answer } = await pushBody(origin, 'POST /try-on HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n', 256 * 1024 * 1024);
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(access.map((asked) => asked.action)).toEqual(['create']);
  });

  it('authorize sees a create body only once it passed the try-on schema', async () => {
    const { simulator, origin, access } = await setUp();
    const json = { 'content-type': 'application/json' };
    for (const body of ['null', '{}', '{"products":"nope"}', '[]', JSON.stringify({ ...tryOnRequest(), products: [] })]) {
      const answer = await send(origin, 'POST', '/try-on', { headers: json, body });
      expect({ body, status: answer.status, code: answer.json.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      expect(answer.json.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String), message: expect.any(String) })]));
    }
    expect(access.map((asked) => asked.action)).toEqual(Array(5).fill('create'));
    const ok = await send(origin, 'POST', '/try-on', { headers: json, body: JSON.stringify(tryOnRequest('shopper-7')) });
    expect(ok.status).toBe(200);
    expect(access.at(-1)).toMatchObject({ action: 'create-body', tryOn: { externalUserId: 'shopper-7', products: [{ externalId: 'sku-1' }] } });
    expect(simulator.stats().createRequests).toBe(1);
    // The types say it too: a hook reaches `tryOn` only on `create-body`, where it is a TryOnRequest.
    expectTypeOf<Extract<ProxyAccess, { action: 'create' }>>().not.toHaveProperty('tryOn');
    expectTypeOf<Extract<ProxyAccess, { action: 'create-body' }>['tryOn']>().toEqualTypeOf<TryOnRequest>();
  });

  it('a hook that throws is answered 500 without detail and reported to onError; by default console.error, the key redacted', async () => {
    const reported: Array<[unknown, ProxyErrorContext['stage']]> = [];
    const failure = new Error('session store down, key gk_live_0123456789abcdef\r\nFAKE LOG LINE');
    const withReporter = await setUp({ authorize: () => Promise.reject(failure), onError: (error, context) => void reported.push([error, context.stage]) });
    const answer = await send(withReporter.origin, 'GET', '/generations/gen_1');
    expect(answer).toMatchObject({ status: 500, json: { code: 'PROXY_ERROR', message: 'Internal error', status: 500 } });
    expect(answer.text).not.toMatch(/session|gk_/);
    expect(reported).toEqual([[failure, 'authorize']]);

    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const byDefault = await setUp({ authorize: () => true, onCreated: () => { throw failure; } });
    const created = await send(byDefault.origin, 'POST', '/try-on', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(tryOnRequest()) });
    expect(created).toMatchObject({ status: 500, json: { code: 'PROXY_ERROR' } });
    expect(logged).toHaveBeenCalledTimes(1);
    const line = String(logged.mock.calls[0]![0]);
    expect(line).toContain('onCreated failed');
    expect(line).toContain('session store down, key [redacted]');
    expect(line).not.toContain('gk_live_');
    expect(line.split('\n')[0]).toContain('\\u{d}\\u{a}FAKE LOG LINE');
  });

  it('stops reading past the body cap: 413, then the connection is closed long before a huge body is sent', async () => {
    const { origin, simulator } = await setUp({ maxBodyBytes: 1_024 });
    const chunked = await pushBody(origin, 'POST /try-on HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n', 256 * 1024 * 1024);
    expect(chunked.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(chunked.answer).toContain('PAYLOAD_TOO_LARGE');
    // Far less than was offered: what the socket buffers took before the proxy closed it.
    expect(chunked.written).toBeLessThan(32 * 1024 * 1024);
    const declared = await pushBody(origin, 'POST /try-on HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 4294967296\r\n\r\n', 0);
    expect(declared.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(simulator.stats().createRequests).toBe(0);
  });

  it('relays only the statuses Genlook documents; anything else upstream (a 302 without Location, a 407, a 418) is a 502', async () => {
    // 429 last: it pauses the whole client for its Retry-After.
    const statuses = [301, 302, 304, 400, 401, 402, 403, 404, 405, 407, 409, 410, 413, 418, 422, 451, 500, 503, 429];
    const { origin: upstream } = await serve((req, res) => {
      const status = Number(/\/generations\/s(\d+)/.exec(req.url ?? '')?.[1]);
      const headers: Record<string, string> = status === 429 ? { 'retry-after': '7', 'content-type': 'application/json' } : { 'content-type': 'application/json' };
      res.writeHead(status, headers).end(status === 304 ? undefined : JSON.stringify({ code: `CODE_${status}`, message: `said ${status} gk_upstream_secret`, status }));
    });
    const genlook = createGenlook({ baseUrl: `${upstream}/tryon/v1`, apiKey: 'gk_test_proxy_statuses', retry: false, rateLimit: false });
    const proxy = createGenlookProxy({ genlook, authorize: () => true });
    const { origin } = await serve((req, res) => proxy(req, res));
    const seen: Record<number, [number, unknown]> = {};
    try {
      for (const status of statuses) {
        const answer = await send(origin, 'GET', `/generations/s${status}`);
        seen[status] = [answer.status, answer.json.code];
        expect(answer.text).not.toMatch(/gk_|127\.0\.0\.1|tryon\/v1/);
        if (status === 429) expect(answer.headers['retry-after']).toBe('7');
      }
    } finally {
      await genlook.close();
    }
    const relayed = (status: number): [number, unknown] => [status, `CODE_${status}`];
    expect(seen).toEqual({
      301: [502, 'UPSTREAM_ERROR'], 302: [502, 'UPSTREAM_ERROR'], 304: [502, 'UPSTREAM_ERROR'],
      400: relayed(400), 401: [502, 'UPSTREAM_AUTH_FAILED'], 402: relayed(402), 403: relayed(403), 404: relayed(404),
      405: [502, 'UPSTREAM_ERROR'], 407: [502, 'UPSTREAM_ERROR'], 409: [502, 'UPSTREAM_ERROR'], 410: [502, 'UPSTREAM_ERROR'],
      413: [502, 'UPSTREAM_ERROR'], 418: [502, 'UPSTREAM_ERROR'], 422: relayed(422), 429: relayed(429), 451: [502, 'UPSTREAM_ERROR'],
      500: [502, 'UPSTREAM_ERROR'], 503: [502, 'UPSTREAM_ERROR'],
    });
  });
});

export { until };
