import { request } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createGenlook, createMemoryBudget, fetchTransport, type Genlook } from '../src/index.js';
import { createGenlookProxy, type GenlookProxy, type GenlookProxyOptions, type ProxyAccess } from '../src/proxy/index.js';
import type { Simulator } from '../src/simulator/index.js';
import { readEvents } from './helpers/server-sent-events.js';
import { tryOnRequest, until, useSimulator } from './helpers/simulator.js';
import { send, useServers } from './proxy/http.js';

describe('genlook-rx/proxy', () => {
  const sim = useSimulator();
  const servers = useServers();
  const serve = async (handler: Parameters<typeof servers.serve>[0]) => (await servers.serve(handler)).origin;
  const accessLog: ProxyAccess[] = [];

  /** A simulator, the server-side client on it, and the proxy under /api/genlook on a plain node:http server. */
  async function setUp(options: Partial<GenlookProxyOptions> = {}, clientOptions: Parameters<typeof createGenlook>[0] = {}) {
    const simulator = await sim.start();
    const genlook = sim.client(simulator, clientOptions);
    accessLog.length = 0;
    const proxy = createGenlookProxy({ genlook, basePath: '/api/genlook', authorize: (access) => (accessLog.push(access), true), ...options });
    const origin = await serve((req, res) => proxy(req, res));
    return { simulator, genlook, origin, proxy };
  }

  it('forwards GET /generations/{id} with the key added server-side; a browser-side client follows it to COMPLETED', async () => {
    const { simulator, origin } = await setUp();
    // Two ids, so no assertion depends on how fast a loaded machine gets here: one that stays PENDING to
    // read once, one that completes to follow.
    const pending = simulator.script([{ at: 0, status: 'PENDING' }]);
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 300, status: 'COMPLETED' }]);
    const answer = await send(origin, 'GET', `/api/genlook/generations/${pending}?ignored=1`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ generationId: pending, status: 'PENDING' });
    expect(answer.headers['cache-control']).toBe('no-store');
    // What a page does: a relative-style client with no key of its own (a key it sends anyway is dropped).
    const browser = createGenlook({ baseUrl: `${origin}/api/genlook`, apiKey: 'gk_from_the_browser', transport: fetchTransport(), pollInterval: 20, rateLimit: false });
    try {
      await expect(browser.waitFor(id)).resolves.toMatchObject({ status: 'COMPLETED', resultImageUrl: expect.stringMatching(/\/results\//) });
    } finally {
      await browser.close();
    }
    expect(accessLog[0]).toMatchObject({ action: 'read', generationId: pending });
    expect(accessLog.at(-1)).toMatchObject({ action: 'read', generationId: id });
    expect(simulator.stats().byStatus[401]).toBeUndefined();
  });

  it('never forwards another path or method, whatever the encoding', async () => {
    const { simulator, origin } = await setUp();
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const cases: Array<[string, string, number]> = [
      ['GET', '/api/genlook/generations', 404],
      ['GET', '/api/genlook/generations/', 404],
      ['GET', `/api/genlook/generations/${id}/extra`, 404],
      ['POST', '/api/genlook/try-on', 404],
      ['POST', '/api/genlook/try-on/sync', 404],
      ['GET', '/api/genlook/../tryon/v1/generations/x', 404],
      ['GET', '/api/genlook/%2e%2e/%2e%2e/admin', 404],
      ['GET', '/api/genlookx/generations/x', 404],
      ['GET', '/elsewhere', 404],
      ['GET', 'http://evil.example/api/genlook/generations/x/y', 404],
      ['DELETE', `/api/genlook/generations/${id}`, 405],
      ['PUT', `/api/genlook/generations/${id}`, 405],
      ['HEAD', `/api/genlook/generations/${id}`, 405],
      ['OPTIONS', `/api/genlook/generations/${id}`, 405],
      ['GET', '/api/genlook/generations/%ZZ', 400],
    ];
    for (const [method, path, status] of cases) {
      const answer = await send(origin, method, path);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status });
      if (method !== 'HEAD') expect(answer.json).toMatchObject({ status, code: expect.any(String), message: expect.any(String) });
    }
    expect((await send(origin, 'DELETE', `/api/genlook/generations/${id}`)).headers.allow).toBe('GET');
    // Not one of them reached the API.
    expect(simulator.stats().requests).toBe(0);
    expect(accessLog).toEqual([]);
  });

  it('an id that tries to leave its path segment stays an id (encoded upstream), and a hostile one gets a typed 400', async () => {
    const { simulator, origin } = await setUp();
    const traversal = await send(origin, 'GET', '/api/genlook/generations/..%2F..%2Faccount');
    expect(traversal.status).toBe(404);
    expect(traversal.json).toMatchObject({ code: 'GENERATION_NOT_FOUND' });
    expect(simulator.stats().unknownPaths).toEqual([]);
    for (const path of ['/api/genlook/generations/a%20b', '/api/genlook/generations/%0d%0aX-Injected:1', `/api/genlook/generations/${'x'.repeat(5_000)}`, '/api/genlook/generations/%ED%A0%80']) {
      const answer = await send(origin, 'GET', path);
      // Refused by the proxy itself (the id is checked before anything else), never sent upstream.
      expect({ path: path.slice(0, 40), status: answer.status, code: answer.json.code }).toEqual({ path: path.slice(0, 40), status: 400, code: 'VALIDATION_FAILED' });
      expect(answer.headers['x-injected']).toBeUndefined();
    }
    expect(simulator.stats().generationRequests).toBe(1);
  });

  it('asks authorize first: refused is 403 with nothing sent upstream; a hook that throws is a generic 500', async () => {
    const refusing = await setUp({ authorize: ({ action, generationId }: ProxyAccess & { generationId?: string }) => action === 'read' && generationId === 'mine' });
    const id = refusing.simulator.script([{ at: 0, status: 'PENDING' }]);
    const refused = await send(refusing.origin, 'GET', `/api/genlook/generations/${id}`);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(refusing.simulator.requestsFor(id).requests).toBe(0);

    const throwing = await setUp({ authorize: async () => { throw new Error('db down at postgres://admin:hunter2@db'); } });
    const crashed = await send(throwing.origin, 'GET', '/api/genlook/generations/abc');
    expect(crashed.status).toBe(500);
    expect(crashed.json).toEqual({ code: 'PROXY_ERROR', message: 'Internal error', status: 500 });
    expect(() => createGenlookProxy({ genlook: throwing.genlook } as GenlookProxyOptions)).toThrow('Expected `authorize` to be a function, got undefined');
    expect(() => createGenlookProxy({ genlook: {} as Genlook, authorize: () => true })).toThrow('Expected `genlook` to be a client made by createGenlook');
  });

  it('with allowCreate, POST /try-on is checked before it costs a credit: media type, size, JSON, schema, authorize', async () => {
    const created: string[] = [];
    const { simulator, origin } = await setUp({ allowCreate: true, maxBodyBytes: 2_048, onCreated: (answer) => void created.push(answer.generationId), authorize: (access) => access.action !== 'create-body' || access.tryOn.externalUserId !== 'blocked' });
    const json = { 'content-type': 'application/json' };
    expect((await send(origin, 'POST', '/api/genlook/try-on', { headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await send(origin, 'POST', '/api/genlook/try-on', { headers: json, body: 'x'.repeat(10_000) })).status).toBe(413);
    // Without a declared length (chunked), counted as it arrives, and still answered.
    expect((await send(origin, 'POST', '/api/genlook/try-on', { headers: { ...json, 'transfer-encoding': 'chunked' }, body: 'x'.repeat(10_000) })).json).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect((await send(origin, 'POST', '/api/genlook/try-on', { headers: json, body: '{"products": [' })).json).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    const invalid = await send(origin, 'POST', '/api/genlook/try-on', { headers: json, body: JSON.stringify({ products: [] }) });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ code: 'VALIDATION_FAILED', details: expect.arrayContaining([expect.objectContaining({ path: expect.any(String), message: expect.any(String) })]) });
    expect((await send(origin, 'POST', '/api/genlook/try-on', { headers: json, body: JSON.stringify(tryOnRequest('blocked')) })).status).toBe(403);
    expect(simulator.stats().createRequests).toBe(0);
    const ok = await send(origin, 'POST', '/api/genlook/try-on', { headers: json, body: JSON.stringify(tryOnRequest()) });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ generationId: expect.any(String), status: 'PENDING' });
    expect(created).toEqual([ok.json.generationId]);
    expect(simulator.stats().createRequests).toBe(1);
  });

  it("relays the API's own refusals with their codes, and says nothing of the upstream (URL, key, stack) on the rest", async () => {
    const simulator = await sim.start({ otherApiKeys: ['gk_other'] });
    const others = simulator.script([{ at: 0, status: 'PENDING' }], { apiKey: 'gk_other' });
    const bodies: string[] = [];
    const proxyOf = async (genlook: Genlook) => {
      const proxy = createGenlookProxy({ genlook, authorize: () => true });
      return serve((req, res) => proxy(req, res));
    };
    const good = await proxyOf(sim.client(simulator));
    const forbidden = await send(good, 'GET', `/api/genlook/generations/${others}`.replace('/api/genlook', ''));
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toMatchObject({ code: 'FORBIDDEN' });
    bodies.push(forbidden.text);
    const wrongKey = await proxyOf(sim.client(simulator, { apiKey: 'gk_wrong_server_key' }));
    const refusedKey = await send(wrongKey, 'GET', '/generations/abc');
    expect(refusedKey).toMatchObject({ status: 502, json: { code: 'UPSTREAM_AUTH_FAILED' } });
    bodies.push(refusedKey.text);
    const deadUpstream = createGenlook({ baseUrl: 'http://127.0.0.1:9/tryon/v1', apiKey: 'gk_secret_server_key', retry: false, rateLimit: false });
    const down = await send(await proxyOf(deadUpstream), 'GET', '/generations/abc');
    await deadUpstream.close();
    expect(down).toMatchObject({ status: 502, json: { code: 'UPSTREAM_UNAVAILABLE' } });
    bodies.push(down.text);
    for (const body of bodies) {
      expect(body).not.toMatch(/127\.0\.0\.1|tryon\/v1|gk_|at .*\.(ts|js)/);
    }
  });

  it('a browser that goes away aborts its upstream request, and every read passes the client budget', async () => {
    const simulator = await sim.start({ faults: { latency: { min: 5_000, max: 5_000 } } });
    const budget = createMemoryBudget({ requestsPerMinute: 100, scheduler: (await import('rxjs')).asyncScheduler });
    const genlook = sim.client(simulator, { rateLimit: budget, retry: false });
    const proxy: GenlookProxy = createGenlookProxy({ genlook, authorize: () => true });
    const origin = await serve((req, res) => proxy(req, res));
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const outgoing = request({ host: '127.0.0.1', port: new URL(origin).port, path: `/generations/${id}` });
    outgoing.on('error', () => {});
    outgoing.end();
    await until(() => simulator.requestsFor(id).requests === 1, 'the read reached the API');
    outgoing.destroy();
    await until(() => simulator.requestsFor(id).aborted === 1, 'the API saw the read aborted');
    expect(budget.snapshot?.().used).toBe(1);
  });

  it('mounts in Express (which strips the mount path itself)', async () => {
    const simulator = await sim.start();
    const genlook = sim.client(simulator);
    const app = express();
    app.use('/api/genlook', createGenlookProxy({ genlook, authorize: () => true }));
    app.get('/health', (_req, res) => void res.send('ok'));
    const origin = await serve(app);
    const id = simulator.script([{ at: 0, status: 'PROCESSING' }]);
    expect((await send(origin, 'GET', `/api/genlook/generations/${id}`)).json).toMatchObject({ generationId: id, status: 'PROCESSING' });
    expect((await send(origin, 'GET', '/api/genlook/anything')).status).toBe(404);
    expect((await send(origin, 'GET', '/health')).text).toBe('ok');
    expect(simulator.stats().requests).toBe(1);
    // The event stream too.
    const events = await readEvents(`${origin}/api/genlook/generations/${id}/events`, (seen) => seen.length === 1);
    expect(events.map((event) => [event.type, event.id])).toEqual([['status', 'PROCESSING']]);
  });
});

export type { Simulator };
