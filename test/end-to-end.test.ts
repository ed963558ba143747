import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fetchTransport, GenerationFailedError, GenlookApiError } from '../src/index.js';
import { sleep, tryOnRequest, until, useSimulator } from './helpers/simulator.js';

const steps = (outcome: 'COMPLETED' | 'FAILED') => [
  { at: 0, status: 'PENDING' },
  { at: 2_000, status: 'PROCESSING' },
  outcome === 'COMPLETED' ? { at: 10_000, status: 'COMPLETED' } : { at: 10_000, status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'Could not fetch' },
];

describe('generation$ end to end, against a real HTTP server on 127.0.0.1', () => {
  const sim = useSimulator();

  it('follows a generation from PENDING to COMPLETED, each status once', async () => {
    const simulator = await sim.start();
    // PENDING for 200 ms of real time (10 s at the simulator's 0.02 scale): the first request, which
    // loads the transport, must find it on a loaded machine (40 ms was too short).
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 10_000, status: 'PROCESSING' }, { at: 20_000, status: 'COMPLETED' }]);
    const statuses = await lastValueFrom(sim.client(simulator).generation$(id).pipe(toArray()));
    expect(statuses.map((generation) => generation.status)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED']);
    expect(statuses.at(-1)?.resultImageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/results\/.+\.png$/);
  });

  it('errors with GenerationFailedError carrying the server errorCode on FAILED', async () => {
    const simulator = await sim.start();
    const id = simulator.script(steps('FAILED'));
    const error = await lastValueFrom(sim.client(simulator).generation$(id)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenerationFailedError);
    expect(error).toMatchObject({ generationId: id, errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', code: 'GENERATION_FAILED' });
  });

  it('aborts the request in flight on unsubscribe, as the server sees it', async () => {
    const simulator = await sim.start({ faults: { latency: { min: 10_000, max: 10_000 } } });
    const id = simulator.script(steps('COMPLETED'));
    const subscription = sim.client(simulator).generation$(id).subscribe();
    await until(() => simulator.requestsFor(id).concurrent === 1, 'the server holds the first request');
    subscription.unsubscribe();
    await until(() => simulator.requestsFor(id).aborted === 1, 'the server sees the abort');
    expect(simulator.requestsFor(id)).toMatchObject({ requests: 1, concurrent: 0, aborted: 1 });
  });

  it('never overlaps requests for one id, even when the server is slower than the interval', async () => {
    const simulator = await sim.start({ faults: { seed: 7, latency: { min: 10, max: 80 } } });
    const id = simulator.script(steps('COMPLETED'));
    await lastValueFrom(sim.client(simulator, { pollInterval: 5 }).generation$(id));
    const counters = simulator.requestsFor(id);
    expect(counters.requests).toBeGreaterThan(2);
    expect(counters.maxConcurrent).toBe(1);
  });

  it('shares one poll between subscribers: the server counts one loop', async () => {
    const simulator = await sim.start();
    const id = simulator.script(steps('COMPLETED'));
    const genlook = sim.client(simulator, { pollInterval: 50 });
    const alone = await requestsOfOneSubscriber(sim);
    const shared = await Promise.all([1, 2, 3, 4, 5].map(() => lastValueFrom(genlook.generation$(id))));
    expect(shared).toHaveLength(5);
    expect(simulator.requestsFor(id).maxConcurrent).toBe(1);
    // Five subscribers of one client cost about what one costs: far fewer than five loops.
    expect(simulator.requestsFor(id).requests).toBeLessThanOrEqual(alone + 2);
  });

  it('creates a try-on and follows it with tryOn$', async () => {
    const simulator = await sim.start();
    const statuses = await lastValueFrom(sim.client(simulator).tryOn$(tryOnRequest()).pipe(toArray()));
    expect(statuses.map((generation) => generation.status)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED']);
  });

  it('waitFor resolves with the completed generation and reports each status', async () => {
    const simulator = await sim.start();
    const id = simulator.script(steps('COMPLETED'));
    const seen: string[] = [];
    const done = await sim.client(simulator).waitFor(id, { onStatus: (generation) => seen.push(generation.status) });
    expect(done.resultImageUrl).toBeTruthy();
    expect(seen).toEqual(['PENDING', 'PROCESSING', 'COMPLETED']);
  });

  it('waitFor rejects with the abort reason and stops polling when its signal aborts', async () => {
    const simulator = await sim.start();
    const id = simulator.script(steps('COMPLETED'));
    // Counted where they are sent: a request sent before the abort may reach a loaded server after it.
    const base = fetchTransport();
    let sent = 0;
    const genlook = sim.client(simulator, { transport: { request: (request) => (sent++, base.request(request)) } });
    const controller = new AbortController();
    const waiting = genlook.waitFor(id, { signal: controller.signal });
    await until(() => sent >= 2, 'polling under way');
    controller.abort(new Error('user left'));
    await expect(waiting).rejects.toThrow('user left');
    const afterAbort = sent;
    await sleep(100); // five poll intervals
    expect(sent).toBe(afterAbort);
    await until(() => simulator.requestsFor(id).concurrent === 0, 'nothing in flight on the server');
    expect(simulator.requestsFor(id).requests).toBeLessThanOrEqual(afterAbort);
  });

  it('retrieve reads once without polling', async () => {
    const simulator = await sim.start();
    const id = simulator.script(steps('COMPLETED'));
    await expect(sim.client(simulator).retrieve(id)).resolves.toMatchObject({ generationId: id, status: 'PENDING' });
    await sleep(100);
    expect(simulator.requestsFor(id).requests).toBe(1);
  });

  it('a wrong key is a GenlookApiError INVALID_API_KEY, another account a FORBIDDEN', async () => {
    const simulator = await sim.start({ otherApiKeys: ['gk_other_account'] });
    const id = simulator.script(steps('COMPLETED'), { apiKey: 'gk_other_account' });
    await expect(sim.client(simulator).retrieve(id)).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(sim.client(simulator, { apiKey: 'gk_wrong' }).retrieve(id)).rejects.toMatchObject({ status: 401, code: 'INVALID_API_KEY' });
  });

  it('generations$ emits every id in order and generationsSettled$ keeps failures as entries', async () => {
    const simulator = await sim.start();
    const ok = simulator.script(steps('COMPLETED'));
    const bad = simulator.script(steps('FAILED'));
    const genlook = sim.client(simulator);
    const settled = await lastValueFrom(genlook.generationsSettled$([ok, bad, 'gen_missing']));
    expect(settled.map((entry) => [entry.generationId, entry.outcome, entry.error?.code])).toEqual([
      [ok, 'completed', undefined],
      [bad, 'failed', 'GENERATION_FAILED'],
      ['gen_missing', 'failed', 'GENERATION_NOT_FOUND'],
    ]);
    expect(settled[1]?.generation?.errorCode).toBe('PRODUCT_IMAGE_FETCH_FAILED');
    const error = await lastValueFrom(genlook.generations$([ok, bad])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenerationFailedError);
    const both = await lastValueFrom(genlook.generations$([ok, ok]));
    expect(both.map((generation) => generation.status)).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('close() ends live streams with CLIENT_CLOSED and refuses new work', async () => {
    const simulator = await sim.start();
    const id = simulator.script(steps('COMPLETED'));
    const genlook = sim.client(simulator);
    const watching = lastValueFrom(genlook.generation$(id)).catch((caught: unknown) => caught);
    await sleep(30);
    await genlook.close();
    await expect(watching).resolves.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(genlook.retrieve(id)).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it('createTryOn answers 402 INSUFFICIENT_CREDITS as GenlookApiError, once', async () => {
    const simulator = await sim.start({ credits: 0 });
    const error = await sim.client(simulator).createTryOn(tryOnRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error).toMatchObject({ status: 402, code: 'INSUFFICIENT_CREDITS' });
    expect(simulator.stats().createRequests).toBe(1);
  });
});

/** What one subscriber's poll costs on a fresh simulator, for comparison. */
async function requestsOfOneSubscriber(sim: ReturnType<typeof useSimulator>): Promise<number> {
  const simulator = await sim.start();
  const id = simulator.script(steps('COMPLETED'));
  await lastValueFrom(sim.client(simulator, { pollInterval: 50 }).generation$(id));
  return simulator.requestsFor(id).requests;
}
