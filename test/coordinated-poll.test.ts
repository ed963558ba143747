import { asyncScheduler, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type CoordinatedWatch, createGenlook, type Generation, type PollCoordinator } from '../src/index.js';
import { completed, createTestGenlook, failed, pending, processing } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const p = pending('g1');
const r = processing('g1');
const c = completed('g1');

/**
 * A coordinator driven by the test: what the client tells it is recorded, and the test decides (at
 * virtual times) when this process leads, follows, or receives a relayed generation. The real
 * coordinator, on Redis, is tested against a real redis-server in test/fleet/.
 */
function scriptedCoordinator(onJoin: (watch: CoordinatedWatch) => void = () => {}) {
  const log: string[] = [];
  let current: CoordinatedWatch | undefined;
  const coordinator: PollCoordinator = {
    join(id, watch) {
      log.push(`join ${id}`);
      current = watch;
      onJoin(watch);
      return { publish: (generation: Generation) => log.push(`publish ${generation.status}`), leave: () => log.push('leave') };
    },
  };
  return { coordinator, log, watch: () => current! };
}

describe('generation$ with a coordinator (the core side of PollCoordinator)', () => {
  const timelines = { g1: [{ at: 0, answer: p }, { at: 1_000, answer: r }, { at: 9_000, answer: c }] };

  it('polls only while leading, emits relayed generations as answers, and aborts the request in flight on follow', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { coordinator, log, watch } = scriptedCoordinator();
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', coordinator, latency: 500, timelines });
      expectObservable(genlook.generation$('g1')).toBe('500ms p 999ms r 7999ms (c|)', { p, r, c });
      asyncScheduler.schedule(() => watch().relay(p), 500);
      asyncScheduler.schedule(() => watch().lead(), 1_000);
      asyncScheduler.schedule(() => watch().follow(), 6_200);
      // Another process saw PROCESSING again (not emitted twice), then the outcome.
      asyncScheduler.schedule(() => watch().relay(r), 7_000);
      asyncScheduler.schedule(() => watch().relay(c), 9_500);
      flush();
      expect(requests.map((request) => [request.sentAt, request.aborted])).toEqual([[1_000, false], [3_500, false], [6_000, true]]);
      expect(log).toEqual(['join g1', 'publish PROCESSING', 'publish PROCESSING', 'leave']);
    });
  });

  it('a stored outcome relayed at join ends the stream at once, without a request', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { coordinator, log } = scriptedCoordinator((watch) => watch.relay(c));
      const { genlook, requests } = createTestGenlook({ coordinator, timelines });
      expectObservable(genlook.generation$('g1')).toBe('(c|)', { c });
      flush();
      expect(requests).toEqual([]);
      expect(log).toEqual(['join g1', 'leave']);
    });
  });

  it('a relayed failure errors with GenerationFailedError; unsubscribing leaves the fleet and stops polling', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const f = failed('g1', 'PERSON_NOT_DETECTED');
      const { coordinator, log, watch } = scriptedCoordinator();
      const { genlook } = createTestGenlook({ coordinator, timelines });
      expectObservable(genlook.generation$('g1')).toBe('100ms #', undefined, expect.objectContaining({ name: 'GenerationFailedError', errorCode: 'PERSON_NOT_DETECTED' }));
      asyncScheduler.schedule(() => watch().relay(f), 100);
      flush();
      expect(log).toEqual(['join g1', 'leave']);
    });
    testScheduler().run(({ expectObservable, flush }) => {
      const { coordinator, log } = scriptedCoordinator((watch) => watch.lead());
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', coordinator, timelines });
      // Leading from the start: the same loop as without a coordinator.
      expectObservable(genlook.generation$('g1'), '^ 2500ms !').toBe('p 1999ms r', { p, r });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2_000]);
      expect(log).toEqual(['join g1', 'publish PENDING', 'publish PROCESSING', 'leave']);
    });
  });

  it('publishes the first answer even when the coordinator leads at once and the transport answers synchronously', () => {
    const { coordinator, log } = scriptedCoordinator((watch) => watch.lead());
    const transport = { request: () => of({ status: 200, headers: {}, body: JSON.stringify(c) }) };
    const genlook = createGenlook({ apiKey: 'gk_test', baseUrl: 'https://api.genlook.test/tryon/v1', transport, rateLimit: false, coordinator });
    const seen: string[] = [];
    genlook.generation$('g1').subscribe((generation) => seen.push(generation.status));
    expect(seen).toEqual(['COMPLETED']);
    expect(log).toEqual(['join g1', 'publish COMPLETED', 'leave']);
  });
});
