import fc from 'fast-check';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../src/simulator/index.js';
import { tryOnRequest, useSimulator } from './helpers/simulator.js';

const api = (baseUrl: string, apiKey: string) => async (method: 'GET' | 'POST', path: string, body?: unknown) => {
  const response = await request(`${baseUrl}${path}`, { method, headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
};

describe('the simulator', () => {
  const sim = useSimulator();

  it('answers a malformed percent-encoding with a 400 and stays up (it used to throw and take the host process down)', async () => {
    const simulator = await sim.start();
    for (const path of ['/results/%ff.png', '/tryon/v1/generations/%ff', '/tryon/v1/generations/%E0%A4%A']) {
      const response = await request(`http://127.0.0.1:${simulator.port}${path}`, { headers: { 'x-api-key': simulator.apiKey } });
      expect(response.statusCode).toBe(400);
      expect(await response.body.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    expect((await api(simulator.baseUrl, simulator.apiKey)('GET', `/generations/${id}`)).status).toBe(200);
  });

  it('POST /try-on/sync holds until the try-on completes, then answers 200 with its result', async () => {
    const simulator = await sim.start({ timeScale: 0.02 });
    const started = Date.now();
    const answer = await api(simulator.baseUrl, simulator.apiKey)('POST', '/try-on/sync', tryOnRequest());
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['generationId', 'resultImageUrl']);
    // 10 s scaled by 0.02: about 200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(simulator.generation(answer.body.generationId as string)).toMatchObject({ status: 'COMPLETED' });
    expect(simulator.stats()).toMatchObject({ createRequests: 1, syncRequests: 1, countedRequests: 1 });
  });

  it('POST /try-on/sync answers 202 with the id when the hold (scaled) ends first, and a failure as configured', async () => {
    const slow = await sim.start({ timeScale: 0.02, syncHold: 5_000 });
    const held = await api(slow.baseUrl, slow.apiKey)('POST', '/try-on/sync', tryOnRequest());
    expect(held).toMatchObject({ status: 202, body: { generationId: expect.any(String) } });
    expect(slow.generation(held.body.generationId as string)).toMatchObject({ status: 'PROCESSING' });

    const failing = await sim.start({ timeScale: 0.02 });
    const failed = await api(failing.baseUrl, failing.apiKey)('POST', '/try-on/sync', tryOnRequest('sim:fail:PERSON_NOT_DETECTED'));
    expect(failed).toMatchObject({ status: 200, body: { status: 'FAILED', errorCode: 'PERSON_NOT_DETECTED' } });
    const erroring = await sim.start({ timeScale: 0.02, syncFailedAnswer: 'error' });
    const error = await api(erroring.baseUrl, erroring.apiKey)('POST', '/try-on/sync', tryOnRequest('sim:fail:PERSON_NOT_DETECTED'));
    expect(error).toMatchObject({ status: 422, body: { code: 'PERSON_NOT_DETECTED', generationId: expect.any(String) } });
  });

  it('a client that leaves ends the hold', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const controller = new AbortController();
    const call = request(`${simulator.baseUrl}/try-on/sync`, { method: 'POST', headers: { 'x-api-key': simulator.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(tryOnRequest()), signal: controller.signal });
    while (simulator.stats().syncRequests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(call).rejects.toThrow();
    while (simulator.stats().aborted === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(simulator.stats().aborted).toBe(1);
  });

  it("GET /generations lists the key's generations newest first, a page at a time, with the documented fields only", async () => {
    const simulator = await sim.start({ otherApiKeys: ['gk_other'], timeScale: 1 });
    const ids = [0, 1, 2, 3, 4].map(() => simulator.script([{ at: 0, status: 'PENDING' }, { at: 60_000, status: 'COMPLETED' }]));
    simulator.script([{ at: 0, status: 'PENDING' }], { apiKey: 'gk_other' });
    const call = api(simulator.baseUrl, simulator.apiKey);
    const first = await call('GET', '/generations?limit=2');
    expect(first.body).toMatchObject({ count: 2, hasMore: true });
    expect((first.body.items as Array<{ id: string }>).map((item) => item.id)).toEqual([ids[4], ids[3]]);
    expect(Object.keys((first.body.items as object[])[0]!).sort()).toEqual(['createdAt', 'generationTimeMs', 'id', 'productDescription', 'status', 'updatedAt']);
    const second = await call('GET', `/generations?limit=2&cursor=${first.body.nextCursor as string}`);
    expect((second.body.items as Array<{ id: string }>).map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const last = await call('GET', `/generations?limit=2&cursor=${second.body.nextCursor as string}`);
    expect(last.body).toMatchObject({ count: 1, hasMore: false, nextCursor: null });
    expect((await call('GET', '/generations?status=COMPLETED')).body.count).toBe(0);
    expect((await call('GET', '/generations?status=PENDING')).body.count).toBe(5);
    for (const query of ['limit=0', 'limit=201', 'limit=x', 'status=DONE', 'cursor=@@']) expect((await call('GET', `/generations?${query}`)).status).toBe(400);
    expect(simulator.stats().listRequests).toBe(10);
  });

  it('listLag: the list shows each generation as it was that long ago, while the single read is current', async () => {
    const simulator = await sim.start({ timeScale: 1, listLag: 60_000 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 1, status: 'PROCESSING' }, { at: 2, status: 'COMPLETED' }]);
    const call = api(simulator.baseUrl, simulator.apiKey);
    while ((await call('GET', `/generations/${id}`)).body.status !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 2));
    const page = await call('GET', '/generations?limit=10');
    expect(page.body.items).toEqual([expect.objectContaining({ id, status: 'PENDING', generationTimeMs: null })]);
    const current = await sim.start({ timeScale: 1 });
    const other = current.script([{ at: 0, status: 'PENDING' }, { at: 1, status: 'COMPLETED' }]);
    const callCurrent = api(current.baseUrl, current.apiKey);
    while ((await callCurrent('GET', `/generations/${other}`)).body.status !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 2));
    expect((await callCurrent('GET', '/generations')).body.items).toEqual([expect.objectContaining({ id: other, status: 'COMPLETED', generationTimeMs: 1 })]);
  });

  it('listFaults break list pages as faults break single reads, and can leave items out or shuffle them', async () => {
    const failing = await sim.start({ listFaults: { serverError: 1 } });
    failing.script([{ at: 0, status: 'PENDING' }]);
    expect((await api(failing.baseUrl, failing.apiKey)('GET', '/generations')).status).toBeGreaterThanOrEqual(500);
    expect(failing.stats().listFaults.serverError).toBe(1);
    expect(failing.stats().faults.serverError).toBe(0);

    const omitting = await sim.start({ listFaults: { omit: 1 } });
    omitting.script([{ at: 0, status: 'PENDING' }]);
    omitting.script([{ at: 0, status: 'PENDING' }]);
    expect((await api(omitting.baseUrl, omitting.apiKey)('GET', '/generations')).body).toMatchObject({ items: [], count: 0 });
    expect(omitting.stats().listItemsOmitted).toBe(2);

    const shuffling = await sim.start({ listFaults: { reorder: 1, seed: 3 } });
    const ids = Array.from({ length: 8 }, () => shuffling.script([{ at: 0, status: 'PENDING' }]));
    const items = (await api(shuffling.baseUrl, shuffling.apiKey)('GET', '/generations')).body.items as Array<{ id: string }>;
    expect(items.map((item) => item.id).sort()).toEqual([...ids].sort());
    expect(items.map((item) => item.id)).not.toEqual([...ids].reverse());
    expect(shuffling.stats().listPagesReordered).toBe(1);
    await expect(startSimulator({ listFaults: { omit: 2 } })).rejects.toThrow('Expected `listFaults.omit` to be a share from 0 to 1, got 2');
    await expect(startSimulator({ listLag: -1 })).rejects.toThrow('`listLag`');
  });

  it('draws durations from a seeded lognormal spread: the same seed gives the same durations', async () => {
    const durations = async (seed: number) => {
      const simulator = await sim.start({ timeScale: 1, durationSpread: 0.3, seed });
      const call = api(simulator.baseUrl, simulator.apiKey);
      const list: number[] = [];
      for (let index = 0; index < 20; index++) {
        const { body } = await call('POST', '/try-on', tryOnRequest());
        list.push(simulator.timelineOf(body.generationId as string)!.at(-1)!.at - simulator.timelineOf(body.generationId as string)![0]!.at);
      }
      return list;
    };
    const first = await durations(7);
    expect(await durations(7)).toEqual(first);
    expect(await durations(8)).not.toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(15);
    for (const duration of first) expect(duration).toBeGreaterThan(2_500);
  });

  it('refuses bad options with a TypeError naming the option', async () => {
    await expect(startSimulator({ timeScale: 0 })).rejects.toThrow('Expected `timeScale` to be a positive number, got 0');
    await expect(startSimulator({ durationSpread: -1 })).rejects.toThrow('`durationSpread`');
    await expect(startSimulator({ syncFailedAnswer: 'maybe' as never })).rejects.toThrow('`syncFailedAnswer`');
  });
});

describe('properties: what clients send the simulator', () => {
  const sim = useSimulator();

  it('any method, path, key and body gets an HTTP answer (a JSON error or a result), and the server stays up', async () => {
    const simulator = await sim.start({ rateLimit: { requestsPerMinute: 20, windowMs: 1_000 } });
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const segment = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('%ff', '%', '%2', '..', 'generations', 'try-on', 'sync', id, '%E0%A4%A', '\u00ff'));
    const path = fc.oneof(
      fc.array(segment, { maxLength: 5 }).map((parts) => `/tryon/v1/${parts.join('/')}`),
      fc.array(segment, { maxLength: 3 }).map((parts) => `/results/${parts.join('/')}.png`),
      fc.constantFrom('/tryon/v1/generations?limit=-1&cursor=%ff', '/tryon/v1/generations?status=' + '%00', '/'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
        path,
        fc.oneof(fc.constant(simulator.apiKey), fc.constant(undefined), fc.string({ maxLength: 8 })),
        fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }), fc.jsonValue().map((value) => JSON.stringify(value)), fc.constant(JSON.stringify(tryOnRequest()))),
        async (method, target, key, body) => {
          // Characters no HTTP client can put in a request line are encoded, as a client would.
          const safe = target.replace(/[^\x21-\x7e]/g, (character) => encodeURIComponent(character));
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (key !== undefined && /^[\x21-\x7e]*$/.test(key)) headers['x-api-key'] = key;
          const response = await request(`http://127.0.0.1:${simulator.port}${safe}`, { method, headers, body: method === 'GET' || method === 'OPTIONS' ? undefined : body });
          const text = await response.body.text();
          expect(response.statusCode).toBeGreaterThanOrEqual(200);
          expect(response.statusCode).toBeLessThan(600);
          expect(response.statusCode).not.toBe(500);
          if (response.headers['content-type'] === 'application/json') expect(() => JSON.parse(text)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
    expect((await api(simulator.baseUrl, simulator.apiKey)('GET', `/generations/${id}`)).status).toBeLessThan(500);
  }, 60_000);
});
