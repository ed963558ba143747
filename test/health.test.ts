import { asyncScheduler, takeUntil, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ConnectionHealth } from '../src/index.js';
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
});
