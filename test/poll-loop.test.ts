import { asyncScheduler, of, takeUntil, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createGenlook, GenerationFailedError, GenlookApiError } from '../src/index.js';
import type { TransportRequest } from '../src/http/transport.js';
import { completed, createTestGenlook, createTestTransport, failed, pending, processing } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const p = pending('g1');
const r = processing('g1');
const c = completed('g1');

describe('generation$: the poll loop', () => {
  it('sends the first request on subscribe and emits its status as soon as it arrives', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ latency: 5, timelines: { g1: [{ at: 0, answer: p }] } });
      expectObservable(genlook.generation$('g1'), '^ 100ms !').toBe('5ms p', { p });
      flush();
      expect(requests[0]?.sentAt).toBe(0);
    });
  });

  it('emits only when the status changes, and completes after COMPLETED', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        cadence: 'fixed',
        timelines: { g1: [{ at: 0, answer: p }, { at: 3000, answer: r }, { at: 7000, answer: c }] },
      });
      // Polls at 0, 2000, 4000, 6000, 8000: PENDING, PENDING, PROCESSING, PROCESSING, COMPLETED.
      expectObservable(genlook.generation$('g1')).toBe('p 3999ms r 3999ms (c|)', { p, r, c });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 4000, 6000, 8000]);
    });
  });

  it('errors with GenerationFailedError carrying the server code on FAILED', () => {
    testScheduler().run(({ expectObservable }) => {
      const f = failed('g1', 'PRODUCT_IMAGE_FETCH_FAILED', 'Could not fetch the product image');
      const { genlook } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: p }, { at: 1000, answer: f }] } });
      const error = new GenerationFailedError(f);
      expectObservable(genlook.generation$('g1')).toBe('p 1999ms #', { p }, error);
    });
  });

  it('paces by responses: the next request starts pollInterval after the previous answer', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', latency: 3000, timelines: { g1: [{ at: 0, answer: p }] } });
      // A server slower than the interval still gets answered: 0 -> 3000, next at 5000 -> 8000, ...
      expectObservable(genlook.generation$('g1'), '^ 12000ms !').toBe('3000ms p', { p });
      flush();
      expect(requests.map((request) => [request.sentAt, request.answeredAt])).toEqual([
        [0, 3000],
        [5000, 8000],
        [10000, undefined],
      ]);
      expect(requests[2]?.aborted).toBe(true);
    });
  });

  it('never overlaps requests for one id', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', latency: (request) => (request.sentAt % 7) * 500, timelines: { g1: [{ at: 0, answer: p }] } });
      expectObservable(genlook.generation$('g1'), '^ 60000ms !').toBe('p', { p });
      flush();
      for (let index = 1; index < requests.length; index++) {
        expect(requests[index]!.sentAt).toBeGreaterThanOrEqual(requests[index - 1]!.answeredAt! + 2000);
      }
    });
  });

  it('honours a per-stream pollInterval', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: p }, { at: 1200, answer: c }] } });
      expectObservable(genlook.generation$('g1', { pollInterval: 500 })).toBe('p 1499ms (c|)', { p, c });
      flush();
      expect(requests).toHaveLength(4);
    });
  });

  it('treats an unknown status as non-terminal and polls it at the normal cadence', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const u = pending('g1', { status: 'QUEUED_FOR_GPU' });
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: u }, { at: 4000, answer: c }] } });
      expectObservable(genlook.generation$('g1')).toBe('u 3999ms (c|)', { u, c });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 4000]);
    });
  });

  it('drops a stale read (a replica behind answers PENDING after PROCESSING) and keeps polling', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        cadence: 'fixed',
        timelines: { g1: [{ at: 0, answer: p }, { at: 2000, answer: r }, { at: 4000, answer: p }, { at: 6000, answer: c }] },
      });
      // PENDING at 4000 is older than PROCESSING, already emitted: not emitted, nothing reset.
      expectObservable(genlook.generation$('g1')).toBe('a 1999ms b 3999ms (d|)', { a: p, b: r, d: c });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 4000, 6000]);
    });
  });

  it('emits an unknown status when it differs from the last, and a known one after it only if it moves forward', () => {
    testScheduler().run(({ expectObservable }) => {
      const u = processing('g1', { status: 'UPSCALING' });
      const { genlook } = createTestGenlook({
        cadence: 'fixed',
        timelines: { g1: [{ at: 0, answer: r }, { at: 2000, answer: u }, { at: 4000, answer: p }, { at: 6000, answer: r }, { at: 8000, answer: c }] },
      });
      // PROCESSING, UPSCALING (new), PENDING (stale: dropped), PROCESSING (differs from UPSCALING, not older), COMPLETED.
      expectObservable(genlook.generation$('g1')).toBe('a 1999ms b 3999ms a 1999ms (d|)', { a: r, b: u, d: c });
    });
  });

  it('surfaces a 404 at once, without retrying', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ timelines: {} });
      expectObservable(genlook.generation$('missing')).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'GenlookApiError', status: 404, code: 'GENERATION_NOT_FOUND' }),
      );
      flush();
      expect(requests).toHaveLength(1);
    });
  });

  it('unsubscribing mid-request aborts it and sends nothing more', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', latency: 1000, timelines: { g1: [{ at: 0, answer: p }] } });
      expectObservable(genlook.generation$('g1'), '^ 3500ms !').toBe('1000ms p', { p });
      flush();
      expect(requests).toHaveLength(2);
      expect(requests[1]).toMatchObject({ sentAt: 3000, aborted: true });
    });
  });

  it('maps an error to GenlookApiError', () => {
    expect(new GenlookApiError({ status: 401, code: 'INVALID_API_KEY', request: 'GET x' }).message).toContain('401');
  });
});

describe('generation$: the poll loop with sweeps', () => {
  it('after a swept PENDING, an id joins the very next sweep: three young ids are swept every pollInterval, not at the cadence of one', () => {
    testScheduler().run(({ flush }) => {
      const ids = ['a', 'b', 'c'];
      // The test kit answers single reads; the list (GET /generations) is answered here, every id PENDING.
      const single = createTestTransport({ timelines: Object.fromEntries(ids.map((id) => [id, [{ at: 0, answer: pending(id) }]])) });
      const lists: number[] = [];
      const transport = {
        request: (request: TransportRequest) => {
          if (!/\/generations(\?|$)/.test(request.url)) return single.request(request);
          lists.push(asyncScheduler.now());
          const items = ids.map((id) => ({ id, status: 'PENDING', productDescription: null, generationTimeMs: null, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() }));
          return of({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items, hasMore: false, nextCursor: null, count: items.length }) });
        },
      };
      const genlook = createGenlook({ apiKey: 'gk_test', baseUrl: 'https://api.genlook.test/tryon/v1', transport, retry: { jitter: false } });
      for (const id of ids) genlook.generation$(id).pipe(takeUntil(timer(9_000))).subscribe();
      flush();
      // a was alone at 0 (its own read), b and c took the first sweep; from then on one list request
      // every pollInterval (three members: the cadence's 6.8 s wait does not stretch the sweeps).
      expect(single.requests.map((request) => `${request.generationId}@${request.sentAt}`)).toEqual(['a@0']);
      expect(lists).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
    });
  });
});
