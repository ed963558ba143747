import { asyncScheduler, lastValueFrom, take, takeUntil, timer, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createGenlook, createMemoryBudget, type Generation } from '../src/index.js';
import { completed, createTestGenlook, pending, processing } from '../src/testing/index.js';
import { CreationChoice } from '../src/client/creation-choice.js';
import { Cadence, DurationModel } from '../src/polling/cadence.js';
import { testScheduler } from './helpers/marbles.js';
import { tryOnRequest, until, useSimulator } from './helpers/simulator.js';

/** A generation created at virtual time `at` (TestScheduler's clock starts at 0 = the epoch). */
const on = (make: typeof pending, id: string, at = 0, overrides: Partial<Generation> = {}) => make(id, { createdAt: new Date(at).toISOString(), updatedAt: new Date(at).toISOString(), ...overrides });

describe('the adaptive cadence (virtual time, creation times on the virtual clock)', () => {
  it('skips the polls that could not find an outcome: after a young PENDING, the next poll waits until one is likely, at most maxPollGap', () => {
    testScheduler().run(({ flush }) => {
      const p = on(pending, 'g1');
      const c = on(completed, 'g1', 0, { updatedAt: new Date(10_000).toISOString() });
      const { genlook, requests } = createTestGenlook({ timelines: { g1: [{ at: 0, answer: p }, { at: 10_000, answer: c }] } });
      genlook.generation$('g1').subscribe();
      flush();
      // Before any try-on was seen, 2% of them end by 4.9 s (a prior of about 10 s): nothing is asked
      // before 0.95 of an interval past it, 6.8 s (under the bound: maxPollGap, 8 s), then every 2 s:
      // pollInterval is a floor, never shortened where an outcome is likely.
      expect(requests.map((request) => request.sentAt)).toEqual([0, 6_774, 8_774, 10_774]);
    });
  });

  it('learns durations from the outcomes it sees, and polls where they end', () => {
    testScheduler().run(({ flush }) => {
      // Thirty try-ons that each took 3 s teach the client; then a new one is polled from about 3 s on.
      const timelines: Record<string, ReadonlyArray<{ at: number; answer: Generation }>> = {};
      for (let index = 0; index < 30; index++) timelines[`old${index}`] = [{ at: 0, answer: on(completed, `old${index}`, 0, { updatedAt: new Date(3_000).toISOString() }) }];
      timelines.fresh = [{ at: 0, answer: on(pending, 'fresh', 100_000) }];
      const { genlook, transport } = createTestGenlook({ rateLimit: false, timelines });
      for (let index = 0; index < 30; index++) genlook.generation$(`old${index}`).subscribe();
      asyncScheduler.schedule(() => genlook.generation$('fresh').pipe(takeUntil(timer(10_000))).subscribe(), 100_000);
      flush();
      const fresh = transport.requestsFor('fresh').map((request) => request.sentAt - 100_000);
      // The early quantile moves from 4.9 s (the prior alone) towards 3 s, (4873 × 4 + 3000 × 30) / 34,
      // and the first poll goes 0.95 of an interval after it; the next one interval later.
      expect(fresh[1]).toBe(5_121);
      expect(fresh[2]! - fresh[1]!).toBe(2_000);
    });
  });

  it("'fixed' polls every pollInterval, and an old generation (or an untrusted clock) gets the fixed interval too", () => {
    testScheduler().run(({ flush }) => {
      const { genlook, transport } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: on(pending, 'g1') }] } });
      genlook.generation$('g1').pipe(takeUntil(timer(7_000))).subscribe();
      const old = createTestGenlook({ timelines: { g2: [{ at: 0, answer: on(pending, 'g2', -60_000) }], g3: [{ at: 0, answer: pending('g3', { createdAt: '2026-01-01T00:00:00.000Z' }) }] } });
      old.genlook.generation$('g2').pipe(takeUntil(timer(7_000))).subscribe();
      old.genlook.generation$('g3').pipe(takeUntil(timer(7_000))).subscribe();
      flush();
      expect(transport.requestsFor('g1').map((request) => request.sentAt)).toEqual([0, 2_000, 4_000, 6_000]);
      expect(old.transport.requestsFor('g2').map((request) => request.sentAt)).toEqual([0, 2_000, 4_000, 6_000]);
      expect(old.transport.requestsFor('g3').map((request) => request.sentAt)).toEqual([0, 2_000, 4_000, 6_000]);
    });
  });

  it('maxPollGap bounds how long a status change can go unseen', () => {
    testScheduler().run(({ flush }) => {
      const { genlook, requests } = createTestGenlook({ maxPollGap: 3_000, timelines: { g1: [{ at: 0, answer: on(pending, 'g1') }] } });
      genlook.generation$('g1').pipe(takeUntil(timer(8_500))).subscribe();
      flush();
      // 3 s gaps (the bound) while young, then every pollInterval once an outcome is likely (from 6.8 s).
      expect(requests.map((request) => request.sentAt)).toEqual([0, 3_000, 6_000, 8_000]);
    });
  });
});

describe('priorities inside the one budget', () => {
  it('a creation goes before polls that were waiting, and a poll likely to find an outcome before a young one, for a bounded time', () => {
    testScheduler().run(({ flush }) => {
      // 6 a minute, burst 4: the four first polls go at once, then one request every 10 s.
      const budget = createMemoryBudget({ requestsPerMinute: 6, burst: 4, scheduler: asyncScheduler });
      const young = ['y1', 'y2', 'y3'];
      const timelines = Object.fromEntries([...young.map((id) => [id, [{ at: 0, answer: on(pending, id) }]]), ['old', [{ at: 0, answer: on(pending, 'old', -6_000) }]]]);
      const { genlook, requests } = createTestGenlook({
        rateLimit: budget,
        timelines,
        onCreate: () => ({ generationId: 'new', status: 'PENDING' }) as never,
      });
      for (const id of [...young, 'old']) genlook.generation$(id).pipe(takeUntil(timer(61_000))).subscribe();
      asyncScheduler.schedule(() => genlook.createTryOn(tryOnRequest()), 15_000);
      flush();
      const order = requests.map((request) => `${request.method === 'POST' ? 'create' : request.generationId}@${request.sentAt}`);
      // The young ids ask again at 6.6 s (the cadence), the old one at 2 s, with priority (an outcome is
      // likely). At 10 s the old one goes first; the creation (asked at 15 s) goes at 20 s before them all.
      // Six grants fill the window until 60.5 s, when the refilled burst lets four go: the young ones
      // first, since the old one's next poll (asked at 12 s, boosted by 2 s) ranks after theirs (6.6 s):
      // a boost is bounded, so nobody is starved.
      expect(order).toEqual(['y1@0', 'y2@0', 'y3@0', 'old@0', 'old@10000', 'create@20000', 'y1@60500', 'y2@60500', 'y3@60500', 'old@60500']);
    });
  });

  it('a poll likely to find an outcome overtakes young polls that asked up to a pollInterval before it', () => {
    testScheduler().run(({ flush }) => {
      // 6 a minute, burst 4: y1 to y3 at 0 and old at 2.5 s take the burst; the next slot frees at 10 s.
      const budget = createMemoryBudget({ requestsPerMinute: 6, burst: 4, scheduler: asyncScheduler });
      const young = ['y1', 'y2', 'y3'];
      const timelines = Object.fromEntries([...young.map((id) => [id, [{ at: 0, answer: on(pending, id) }]]), ['old', [{ at: 0, answer: on(pending, 'old', -6_000) }]]]);
      const { genlook, requests } = createTestGenlook({ rateLimit: budget, maxPollGap: 3_000, timelines });
      for (const id of young) genlook.generation$(id).pipe(takeUntil(timer(25_000))).subscribe();
      asyncScheduler.schedule(() => genlook.generation$('old').pipe(takeUntil(timer(20_000))).subscribe(), 2_500);
      flush();
      const order = requests.map((request) => `${request.generationId}@${request.sentAt}`);
      // The young ids ask again at 3 s (maxPollGap: too young for an outcome, no boost), the old one at
      // 4.5 s, boosted by a pollInterval (ranked as if it had asked at 2.5 s): the slot of 10 s is its.
      expect(order.slice(0, 6)).toEqual(['y1@0', 'y2@0', 'y3@0', 'old@2500', 'old@10000', 'y1@20000']);
    });
  });
});

describe('tryOn$: creation that waits, or creation then polls', () => {
  const sim = useSimulator();

  it("'sync': one request for the whole try-on, the outcome alone", async () => {
    const simulator = await sim.start();
    const statuses = await lastValueFrom(sim.client(simulator).tryOn$(tryOnRequest(), { creation: 'sync' }).pipe(toArray()));
    expect(statuses.map((generation) => generation.status)).toEqual(['COMPLETED']);
    expect(statuses[0]?.resultImageUrl).toMatch(/\/results\//);
    expect(simulator.stats()).toMatchObject({ syncRequests: 1, createRequests: 1, generationRequests: 0 });
  });

  it("'sync': a failed try-on is GenerationFailedError (both answers the simulator can give), and a 202 continues as the poll", async () => {
    for (const syncFailedAnswer of ['generation', 'error'] as const) {
      const simulator = await sim.start({ syncFailedAnswer });
      const error = await lastValueFrom(sim.client(simulator).tryOn$(tryOnRequest('sim:fail:PERSON_NOT_DETECTED'), { creation: 'sync' })).catch((caught: unknown) => caught);
      expect(error).toMatchObject(syncFailedAnswer === 'generation' ? { code: 'GENERATION_FAILED', errorCode: 'PERSON_NOT_DETECTED' } : { name: 'GenlookApiError', code: 'PERSON_NOT_DETECTED' });
    }
    const held = await sim.start({ syncHold: 2_000 });
    const statuses = await lastValueFrom(sim.client(held).tryOn$(tryOnRequest(), { creation: 'sync' }).pipe(toArray()));
    expect(statuses.at(-1)?.status).toBe('COMPLETED');
    expect(held.stats()).toMatchObject({ syncRequests: 1 });
    expect(held.stats().generationRequests).toBeGreaterThan(0);
  });

  it('a hold is timed by holdTimeout, not requestTimeout, and unsubscribing aborts it', async () => {
    const simulator = await sim.start({ timeScale: 0.05 });
    const genlook = sim.client(simulator, { requestTimeout: 100, holdTimeout: 5_000 });
    await expect(lastValueFrom(genlook.tryOn$(tryOnRequest(), { creation: 'sync' }))).resolves.toMatchObject({ status: 'COMPLETED' });
    const subscription = genlook.tryOn$(tryOnRequest(), { creation: 'sync' }).subscribe();
    await until(() => simulator.stats().syncRequests === 2, 'the second hold reached the server');
    subscription.unsubscribe();
    await until(() => simulator.stats().aborted === 1, 'the server saw the hold aborted');
    const short = sim.client(simulator, { holdTimeout: 50, retry: { count: 3 } });
    await expect(lastValueFrom(short.tryOn$(tryOnRequest(), { creation: 'sync' }))).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
    // An ambiguous failure of a creation is never retried: it may have spent a credit.
    expect(simulator.stats().syncRequests).toBe(3);
  });

  it("'poll': PENDING at once from the creation's answer, and no poll before the cadence says an outcome could be in", () => {
    testScheduler().run(({ flush }) => {
      const seen: string[] = [];
      const { genlook, requests } = createTestGenlook({
        onCreate: () => ({ status: 200, body: { generationId: 'new', status: 'PENDING' } }),
        timelines: { new: [{ at: 0, answer: on(processing, 'new') }, { at: 9_000, answer: on(completed, 'new') }] },
      });
      genlook.tryOn$(tryOnRequest(), { creation: 'poll' }).subscribe((generation) => seen.push(`${generation.status}@${asyncScheduler.now()}`));
      flush();
      // Just created: nothing asked until an outcome is worth a poll (6.8 s, the prior's 2% age plus 0.95 of an interval), then every 2 s.
      expect(requests.map((request) => `${request.method}@${request.sentAt}`)).toEqual(['POST@0', 'GET@6774', 'GET@8774', 'GET@10774']);
      expect(seen).toEqual(['PENDING@0', 'PROCESSING@6774', 'COMPLETED@10774']);
    });
  });

  it("'auto' polls while requests are plentiful, and waits once the budget has no room for a try-on's polls", async () => {
    const simulator = await sim.start();
    const budget = createMemoryBudget({ requestsPerMinute: 10, burst: 10, scheduler: asyncScheduler });
    const genlook = sim.client(simulator, { rateLimit: budget });
    await lastValueFrom(genlook.tryOn$(tryOnRequest()));
    expect(simulator.stats().syncRequests).toBe(0);
    // Five requests spent in the window: 70% of 10 leaves two, under a try-on's expected polls.
    for (let index = simulator.stats().countedRequests; index < 5; index++) await genlook.retrieve(simulator.script([{ at: 0, status: 'PENDING' }]));
    await lastValueFrom(genlook.tryOn$(tryOnRequest()));
    expect(simulator.stats().syncRequests).toBe(1);
  });
});

describe("'auto' sees a burst of creations coming before their polls fill the window", () => {
  it('polls at a rate the budget can follow by polling, and waits once creations come faster', () => {
    testScheduler().run(() => {
      const budget = createMemoryBudget({ requestsPerMinute: 100, scheduler: asyncScheduler });
      const choice = new CreationChoice(budget, new Cadence(new DurationModel()));
      // Five a minute, each about 1 + 3.9 polls: 25 requests of the 70 a minute polling may use.
      const slow = [0, 12_000, 24_000, 36_000].map((at) => choice.shouldPoll(at, 2_000));
      // Then one every second: 60 a minute would need about 300 requests; nothing was spent yet.
      const fast = [37_000, 38_000, 39_000, 40_000, 41_000, 42_000, 43_000, 44_000, 45_000].map((at) => choice.shouldPoll(at, 2_000));
      expect(slow).toEqual([true, true, true, true]);
      // The eight remembered span 18 s by the sixth fast one: (8 - 2) in 18 s is 20 creations a window,
      // each 1 + 3.9 requests, over the 70 polling may use; from then on every try-on waits.
      expect(fast).toEqual([true, true, true, true, true, false, false, false, false]);
    });
  });
});

describe("'auto' counts sweeps", () => {
  it('with sweeps a try-on followed costs its creation and final read, and the sweeps one request an interval: it polls at rates that polls alone could not follow', () => {
    testScheduler().run(() => {
      const decide = (hasSweeps: boolean) => {
        const choice = new CreationChoice(createMemoryBudget({ requestsPerMinute: 100, scheduler: asyncScheduler }), new Cadence(new DurationModel()), hasSweeps);
        // One creation every 3 s: the last eight span 21 s, (8 - 2) in 21 s is 17 a window. By polls that is
        // 17 x (1 + 3.6 expected polls) = 79 requests, over the 70 polling may use; by sweeps 17 x 2 + 30
        // sweeps = 64, under it.
        return Array.from({ length: 10 }, (_, index) => choice.shouldPoll(index * 3_000, 2_000));
      };
      expect(decide(true)).toEqual(Array.from({ length: 10 }, () => true));
      expect(decide(false).slice(-4)).toEqual([false, false, false, false]);
    });
  });
});

describe('pressure$', () => {
  it('says how loaded the budget is, and when requests queue', () => {
    testScheduler().run(({ flush }) => {
      const { genlook } = createTestGenlook({ cadence: 'fixed', rateLimit: { requestsPerMinute: 2, burst: 2 }, timelines: { a: [{ at: 0, answer: pending('a') }], b: [{ at: 0, answer: pending('b') }], c: [{ at: 0, answer: pending('c') }] } });
      const seen: string[] = [];
      genlook.pressure$.pipe(take(3)).subscribe(({ used, waiting, limit }) => seen.push(`${used}+${waiting}/${limit}@${asyncScheduler.now()}`));
      for (const id of ['a', 'b', 'c']) genlook.generation$(id).pipe(takeUntil(timer(3_000))).subscribe();
      flush();
      // Two requests spent and c waiting; a and b wait too from their next poll at 2 s; all leave at 3 s.
      expect(seen).toEqual(['2+1/2@0', '2+3/2@2000', '2+0/2@3000']);
    });
  });
});

describe('the new options are checked', () => {
  it.each([
    [{ cadence: 'smart' }, "Expected `cadence` to be 'adaptive', 'fixed', got \"smart\""],
    [{ maxPollGap: 100, pollInterval: 1_000 }, 'Expected `maxPollGap` to be at least `pollInterval` (1000), got 100'],
    [{ creation: 'later' }, "Expected `creation` to be 'auto', 'sync', 'poll', got \"later\""],
    [{ holdTimeout: 0 }, 'Expected `holdTimeout` to be a positive number, got 0'],
  ])('%j', (options, message) => {
    expect(() => createGenlook({ apiKey: 'gk_x', ...(options as object) })).toThrow(message);
  });
});
