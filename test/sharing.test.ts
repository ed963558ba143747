import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { completed, createTestGenlook, pending, processing } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const p = pending('g1');
const r = processing('g1');
const c = completed('g1');

describe('generation$: one poll per id per client', () => {
  it('shares one loop between concurrent subscribers of the same id', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: p }, { at: 5000, answer: c }] } });
      expectObservable(genlook.generation$('g1')).toBe('p 5999ms (c|)', { p, c });
      expectObservable(genlook.generation$('g1')).toBe('p 5999ms (c|)', { p, c });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 4000, 6000]);
      void cold;
    });
  });

  it('gives a late subscriber the latest status at once', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: p }, { at: 1000, answer: r }, { at: 5000, answer: c }] } });
      expectObservable(genlook.generation$('g1')).toBe('p 1999ms r 3999ms (c|)', { p, r, c });
      // Subscribes at 3000: PROCESSING (seen at 2000) arrives at once, then COMPLETED at 6000.
      expectObservable(genlook.generation$('g1'), '3000ms ^').toBe('3000ms r 2999ms (c|)', { r, c });
      flush();
      expect(requests).toHaveLength(4);
    });
  });

  it('stops the loop when the last subscriber leaves, and starts afresh for a new one', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: p }] } });
      expectObservable(genlook.generation$('g1'), '^ 2500ms !').toBe('p', { p });
      expectObservable(genlook.generation$('g1'), '^ 4500ms !').toBe('p', { p });
      expectObservable(genlook.generation$('g1'), '10000ms ^ 100ms !').toBe('10000ms p', { p });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 4000, 10000]);
    });
  });

  it('keeps separate loops for separate ids', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const g2 = pending('g2');
      const { genlook, transport } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: p }], g2: [{ at: 0, answer: g2 }] } });
      expectObservable(genlook.generation$('g1'), '^ 3000ms !').toBe('p', { p });
      expectObservable(genlook.generation$('g2'), '^ 3000ms !').toBe('q', { q: g2 });
      flush();
      expect(transport.requestsFor('g1')).toHaveLength(2);
      expect(transport.requestsFor('g2')).toHaveLength(2);
    });
  });

  it('the same stream object resubscribed after its end polls again', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ timelines: { g1: [{ at: 0, answer: c }] } });
      const stream = genlook.generation$('g1');
      expectObservable(stream).toBe('(c|)', { c });
      expectObservable(stream, '1000ms ^').toBe('1000ms (c|)', { c });
      flush();
      expect(requests).toHaveLength(2);
    });
  });

  it('close() errors every live poll with CLIENT_CLOSED and aborts its request in flight', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ latency: 500, cadence: 'fixed', timelines: { g1: [{ at: 0, answer: p }], g2: [{ at: 0, answer: pending('g2') }] } });
      const closed = expect.objectContaining({ code: 'CLIENT_CLOSED' });
      expectObservable(genlook.generation$('g1')).toBe('500ms p 2199ms #', { p }, closed);
      expectObservable(genlook.generation$('g1'), '1000ms ^').toBe('1000ms p 1699ms #', { p }, closed);
      expectObservable(genlook.generation$('g2')).toBe('500ms q 2199ms #', { q: pending('g2') }, closed);
      asyncScheduler.schedule(() => void genlook.close(), 2700);
      flush();
      // Each id's second request went at 2500 and was in flight at 2700.
      expect(requests.filter((request) => request.sentAt === 2500).map((request) => request.aborted)).toEqual([true, true]);
    });
  });

  it('an id whose loop ended is forgotten: subscribing from the completion handler starts a new loop', () => {
    testScheduler().run(({ flush }) => {
      const { genlook, requests } = createTestGenlook({ timelines: { g1: [{ at: 0, answer: c }] } });
      const seen: string[] = [];
      genlook.generation$('g1').subscribe({ complete: () => genlook.generation$('g1').subscribe({ next: (generation) => seen.push(generation.status), complete: () => seen.push('done') }) });
      flush();
      expect(seen).toEqual(['COMPLETED', 'done']);
      expect(requests).toHaveLength(2);
    });
  });
});
