import { asyncScheduler, takeUntil, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type ConnectionHealth, fetchTransport, type Transport, type TransportResponse } from '../src/index.js';
import { createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';
import { until, useSimulator } from './helpers/simulator.js';

const p = pending('g1');
const ok: ConnectionHealth = { status: 'ok' };
const retry = { delay: 1_000, maxDelay: 1_000, jitter: false, giveUpAfter: 5_000 };

describe('genlook.health$: whether the API is answering', () => {
  it('is ok, then retrying from the first 5xx (since then, with its code), then ok again at the next answer', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', retry: { ...retry, giveUpAfter: 10_000 }, timelines: { g1: ({ now }) => (now >= 2_000 && now < 6_000 ? { status: 503 } : p) } });
      genlook.generation$('g1').pipe(takeUntil(timer(9_000))).subscribe();
      const retrying: ConnectionHealth = { status: 'retrying', since: 2_000, code: 'SERVER_ERROR' };
      expectObservable(genlook.health$, '^ 9000ms !').toBe('a 1999ms b 3999ms a', { a: ok, b: retrying });
      flush();
      // The failures at 2000, 3000, 4000 and 5000 were retried; 6000 was answered.
      expect(requests.map((request) => [request.sentAt, request.status])).toEqual([[0, 200], [2_000, 503], [3_000, 503], [4_000, 503], [5_000, 503], [6_000, 200], [8_000, 200]]);
    });
  });

  it('is down once the last answer is retry.giveUpAfter old, when watches give up', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook } = createTestGenlook({ cadence: 'fixed', retry, timelines: { g1: ({ now }) => (now >= 2_000 ? { status: 503 } : p) } });
      let failedAt: number | undefined;
      genlook.generation$('g1').subscribe({ error: () => (failedAt = asyncScheduler.now()) });
      const since = { since: 2_000, code: 'SERVER_ERROR' };
      expectObservable(genlook.health$, '^ 20000ms !').toBe('a 1999ms b 2999ms c', { a: ok, b: { status: 'retrying', ...since }, c: { status: 'down', ...since } });
      flush();
      // The last answer was at 0: down at 5000; the watch gave up at its first failure past then (6000).
      expect(failedAt).toBe(6_000);
    });
  });

  it('a late subscriber gets the current state at once: down when the failures are already old enough', () => {
    testScheduler().run(({ expectObservable }) => {
      const { genlook } = createTestGenlook({ cadence: 'fixed', retry, timelines: { g1: ({ now }) => (now >= 2_000 ? { status: 503 } : p) } });
      genlook.generation$('g1').subscribe({ error: () => {} });
      expectObservable(genlook.health$, '10000ms ^ 100ms !').toBe('10000ms c', { c: { status: 'down', since: 2_000, code: 'SERVER_ERROR' } });
    });
  });

  it('a 429, a 404 or a 401 is an answer: the API is up', () => {
    testScheduler().run(({ expectObservable }) => {
      const { genlook } = createTestGenlook({
        cadence: 'fixed',
        retry,
        timelines: { g1: ({ count }) => (count === 2 ? { status: 429, headers: { 'retry-after': '1' } } : p), g2: () => ({ status: 404 }), g3: () => ({ status: 401 }) },
      });
      genlook.generation$('g1').pipe(takeUntil(timer(9_000))).subscribe();
      genlook.generation$('g2').subscribe({ error: () => {} });
      genlook.generation$('g3').subscribe({ error: () => {} });
      expectObservable(genlook.health$, '^ 9000ms !').toBe('a', { a: ok });
    });
  });

  it('completes when the client closes', () => {
    testScheduler().run(({ expectObservable }) => {
      const { genlook } = createTestGenlook({ timelines: {} });
      asyncScheduler.schedule(() => void genlook.close(), 100);
      expectObservable(genlook.health$).toBe('a 99ms |', { a: ok });
    });
  });
});

describe('genlook.health$ on a real server', () => {
  const sim = useSimulator();

  it('says retrying with NETWORK_ERROR while the simulator drops every connection, and ok once it answers again', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 60_000, status: 'COMPLETED' }]);
    const genlook = sim.client(simulator, { pollInterval: 50, cadence: 'fixed', sweeps: false, retry: { delay: 20, maxDelay: 50, jitter: false } });
    const seen: ConnectionHealth[] = [];
    const health = genlook.health$.subscribe((state) => seen.push(state));
    const watch = genlook.generation$(id).subscribe({ error: () => {} });
    try {
      await until(() => simulator.requestsFor(id).requests >= 1, 'the first answer');
      simulator.outage(1_000);
      await until(() => seen.some((state) => state.status === 'retrying'), 'health says retrying');
      expect(seen.find((state) => state.status === 'retrying')).toMatchObject({ status: 'retrying', code: 'NETWORK_ERROR', since: expect.any(Number) });
      await until(() => seen.at(-1)?.status === 'ok', 'health says ok once the simulator answers again', 10_000);
      expect(seen.map((state) => state.status)).toEqual(['ok', 'retrying', 'ok']);
    } finally {
      watch.unsubscribe();
      health.unsubscribe();
    }
  });
  it('with sweeps on and four ids: retrying within the requests in flight when the outage began, ok within the answers in flight when it ended, never ok between', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const ids = [0, 1, 2, 3].map(() => simulator.script([{ at: 0, status: 'PENDING' }, { at: 60_000, status: 'COMPLETED' }]));
    // One log of what the transport saw end (with how many requests were in flight then) and of what
    // health$ said, in the order they happened.
    type Entry = { kind: 'fail' | 'answer'; inflight: number } | { kind: 'health'; status: ConnectionHealth['status'] };
    const log: Entry[] = [];
    const inner = fetchTransport();
    let inflight = 0;
    const transport: Transport = {
      request: async (request) => {
        inflight++;
        try {
          const response = await (inner.request(request) as Promise<TransportResponse>);
          log.push({ kind: 'answer', inflight: inflight-- });
          return response;
        } catch (error) {
          log.push({ kind: 'fail', inflight: inflight-- });
          throw error;
        }
      },
    };
    const genlook = sim.client(simulator, { pollInterval: 50, cadence: 'fixed', transport, retry: { delay: 20, maxDelay: 50, jitter: false } });
    const health = genlook.health$.subscribe((state) => log.push({ kind: 'health', status: state.status }));
    const watches = ids.map((id) => genlook.generation$(id).subscribe({ error: () => {} }));
    try {
      await until(() => simulator.stats().listRequests >= 2, 'two sweeps answered');
      simulator.outage(1_000);
      await until(() => log.some((entry) => entry.kind === 'health' && entry.status === 'retrying'), 'health says retrying');
      const oks = () => log.filter((entry) => entry.kind === 'health' && entry.status === 'ok').length;
      await until(() => oks() === 2, 'health says ok once the simulator answers again', 10_000);
      const statuses = log.flatMap((entry) => (entry.kind === 'health' ? [entry.status] : []));
      expect(statuses).toEqual(['ok', 'retrying', 'ok']);
      // Retrying: after the first failure, at most the requests that were in flight with it failed first.
      const retryingAt = log.findIndex((entry) => entry.kind === 'health' && entry.status === 'retrying');
      const firstFail = log.findIndex((entry) => entry.kind === 'fail');
      expect(firstFail).toBeGreaterThanOrEqual(0);
      expect(firstFail).toBeLessThan(retryingAt);
      const failsBefore = log.slice(0, retryingAt).filter((entry) => entry.kind === 'fail').length;
      expect(failsBefore).toBeLessThanOrEqual((log[firstFail] as { inflight: number }).inflight);
      // Ok: after the first answer past the outage, at most the answers in flight with it came first.
      const okAt = log.findLastIndex((entry) => entry.kind === 'health' && entry.status === 'ok');
      const firstAnswer = log.findIndex((entry, index) => index > retryingAt && entry.kind === 'answer');
      expect(firstAnswer).toBeGreaterThan(retryingAt);
      const answersBefore = log.slice(retryingAt, okAt).filter((entry) => entry.kind === 'answer').length;
      expect(answersBefore).toBeLessThanOrEqual((log[firstAnswer] as { inflight: number }).inflight);
      // Every request that ended between them failed: the outage was whole, and health said so throughout.
      expect(log.slice(retryingAt, firstAnswer).every((entry) => entry.kind !== 'answer')).toBe(true);
      expect(log.slice(firstFail, firstAnswer).filter((entry) => entry.kind === 'fail').length).toBeGreaterThan(1);
    } finally {
      for (const watch of watches) watch.unsubscribe();
      health.unsubscribe();
    }
  });
});
