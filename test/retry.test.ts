import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../src/index.js';
import { completed, createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const p = pending('g1');
const c = completed('g1');
const unavailable = { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: 'Try later', status: 503 } };

describe('transient failures of one poll', () => {
  it('are retried with capped exponential backoff, and the stream goes on', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        cadence: 'fixed',
        retry: { count: 5, delay: 1000, maxDelay: 4000, jitter: false },
        timelines: { g1: ({ count }) => (count >= 2 && count <= 5 ? unavailable : count >= 6 ? c : p) },
      });
      // 0 ok; 2000 fail; +1000 fail; +2000 fail; +4000 fail; +4000 (capped) COMPLETED.
      expectObservable(genlook.generation$('g1')).toBe('p 12999ms (c|)', { p, c });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 3000, 5000, 9000, 13000]);
    });
  });

  it('error the stream once the policy gives up, with the last transient error', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        retry: { count: 2, delay: 100, jitter: false },
        timelines: { g1: () => unavailable },
      });
      expectObservable(genlook.generation$('g1')).toBe('300ms #', undefined, expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', status: 503 }));
      flush();
      expect(requests).toHaveLength(3);
    });
  });

  it('a watch rides through a long burst of 503s: it is bounded by time since its last good answer, not by a count', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      // 503 from 2 s to 90 s (over 40 failures in a row), then COMPLETED: no count ends the watch. Retries at
      // 3000 (+1000), then every 2000 (capped): 5000, ..., 89000 fail, 91000 finds COMPLETED.
      const { genlook, requests } = createTestGenlook({
        cadence: 'fixed',
        retry: { delay: 1000, maxDelay: 2000, jitter: false },
        timelines: { g1: [{ at: 0, answer: p }, { at: 2000, answer: unavailable }, { at: 90_000, answer: c }] },
      });
      expectObservable(genlook.generation$('g1')).toBe('p 90999ms (c|)', { p, c });
      flush();
      expect(requests.filter((request) => request.status === 503).length).toBeGreaterThan(40);
    });
  });

  it('a watch gives up once no good answer came for giveUpAfter, with the last transient error', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        cadence: 'fixed',
        retry: { delay: 1000, maxDelay: 1000, jitter: false, giveUpAfter: 10_000 },
        timelines: { g1: [{ at: 0, answer: p }, { at: 2000, answer: unavailable }] },
      });
      // Good answer at 0; failures at 2000, 3000, ..., 10000 (retried: within 10 s), 11000 (past it): error.
      expectObservable(genlook.generation$('g1')).toBe('p 10999ms #', { p }, expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }));
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000]);
    });
  });

  it('a watch of a try-on just created counts giveUpAfter from the creation, not from its first poll', () => {
    testScheduler().run(({ flush }) => {
      const { genlook, requests } = createTestGenlook({
        onCreate: () => ({ status: 200, body: { generationId: 'new', status: 'PENDING' } }),
        retry: { delay: 1000, maxDelay: 1000, jitter: false, giveUpAfter: 10_000 },
        timelines: { new: () => unavailable },
      });
      const seen: string[] = [];
      const request = { products: [{ externalId: 'sku-1' }], person: { image: { source: { url: 'https://images.example/person.jpg' } } } };
      genlook.tryOn$(request, { creation: 'poll' }).subscribe({
        next: (generation) => seen.push(`${generation.status}@${asyncScheduler.now()}`),
        error: (error: { code?: string }) => seen.push(`${error.code}@${asyncScheduler.now()}`),
      });
      flush();
      // Created at 0 (its good answer); the first poll waits for the cadence (6774) and every read fails.
      // Retried each second while within 10 s of the creation: the failure of 10774 gives up, 4 s into
      // the polls (counted from the first poll, it would go on until 17774).
      expect(requests.map((sent) => `${sent.method}@${sent.sentAt}`)).toEqual(['POST@0', 'GET@6774', 'GET@7774', 'GET@8774', 'GET@9774', 'GET@10774']);
      expect(seen).toEqual(['PENDING@0', 'SERVICE_UNAVAILABLE@10774']);
    });
  });

  it('a one-shot read keeps a count (5 retries by default)', async () => {
    let calls = 0;
    const { createGenlook } = await import('../src/index.js');
    const genlook = createGenlook({ apiKey: 'gk_x', retry: { delay: 0 }, transport: { request: async () => (calls++, { status: 503, headers: {}, body: '' }) } });
    await expect(genlook.retrieve('g1')).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(6);
  });

  it('uses full jitter: delays drawn from [0, cap]', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        retry: { count: 3, delay: 1000, random: () => 0.5 },
        timelines: { g1: ({ count }) => (count <= 3 ? unavailable : c) },
      });
      expectObservable(genlook.generation$('g1')).toBe('3500ms (c|)', { c });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 500, 1500, 3500]);
    });
  });

  it('treats a request timeout as transient', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        requestTimeout: 1000,
        retry: { count: 1, delay: 500, jitter: false },
        latency: (request) => (request.sentAt === 0 ? 5000 : 10),
        timelines: { g1: [{ at: 0, answer: c }] },
      });
      expectObservable(genlook.generation$('g1')).toBe('1510ms (c|)', { c });
      flush();
      expect(requests[0]).toMatchObject({ sentAt: 0, aborted: true });
      expect(requests[1]).toMatchObject({ sentAt: 1500, status: 200 });
    });
  });

  it('surfaces 400, 401, 402, 403 and 404 at once', () => {
    for (const [status, code] of [[400, 'VALIDATION_FAILED'], [401, 'INVALID_API_KEY'], [402, 'INSUFFICIENT_CREDITS'], [403, 'FORBIDDEN'], [404, 'GENERATION_NOT_FOUND']] as const) {
      testScheduler().run(({ expectObservable, flush }) => {
        const { genlook, requests } = createTestGenlook({ timelines: { g1: () => ({ status, body: { code, message: 'no', status } }) } });
        expectObservable(genlook.generation$('g1')).toBe('#', undefined, expect.objectContaining({ name: 'GenlookApiError', status, code }));
        flush();
        expect(requests).toHaveLength(1);
      });
    }
  });

  it('surfaces an invalid 2xx body at once', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ timelines: { g1: () => ({ status: 200, body: '{"generationId":"g1"' }) } });
      expectObservable(genlook.generation$('g1')).toBe('#', undefined, expect.objectContaining({ name: 'GenlookResponseError', code: 'INVALID_RESPONSE' }));
      flush();
      expect(requests).toHaveLength(1);
    });
  });

  it('retry.invalidBodies rides through a body that is not JSON, but never a schema violation', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const cut = { status: 200, body: '{"generationId":"g1","sta' };
      const { genlook, requests } = createTestGenlook({
        retry: { delay: 100, jitter: false, invalidBodies: true },
        timelines: { g1: ({ count }) => (count === 1 ? cut : c), g2: () => ({ status: 200, body: { generationId: 'g2' } }) },
      });
      expectObservable(genlook.generation$('g1')).toBe('100ms (c|)', { c });
      expectObservable(genlook.generation$('g2')).toBe('#', undefined, expect.objectContaining({ code: 'INVALID_RESPONSE', isJson: true }));
      flush();
      expect(requests).toHaveLength(3);
    });
  });

  it('a stream’s retry.maxRetryAfter clamps a 120 s Retry-After to 1 s', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const slow = { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: 'Later', status: 503 }, headers: { 'retry-after': '120' } };
      const { genlook, requests } = createTestGenlook({
        rateLimit: false,
        cadence: 'fixed',
        retry: { delay: 100, jitter: false },
        timelines: { g1: ({ count }) => (count === 2 ? slow : count >= 3 ? c : p) },
      });
      // PENDING at 0; the 503 at 2000 asks for 120 s, the stream's policy allows 1 s: COMPLETED at 3000.
      expectObservable(genlook.generation$('g1', { retry: { delay: 100, jitter: false, maxRetryAfter: 1000 } })).toBe('p 2999ms (c|)', { p, c });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 3000]);
    });
  });

  it('a Retry-After of 0 (or in the past) on a 503 never shortens the backoff: no hot loop, even without a budget', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const now = { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: 'Later', status: 503 }, headers: { 'retry-after': '0' } };
      const { genlook, requests } = createTestGenlook({ rateLimit: false, cadence: 'fixed', retry: { delay: 1000, maxDelay: 4000, jitter: false }, timelines: { g1: ({ count }) => (count === 1 ? p : count <= 20 ? now : c) } });
      expectObservable(genlook.generation$('g1'), '^ 10000ms !').toBe('p', { p });
      flush();
      // PENDING at 0; failures at 2000, then after 1, 2, 4 and 4 s of backoff. (Were the 0 obeyed, the
      // 20 failures would all go at 2000, and the 21st request would find COMPLETED there.)
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2000, 3000, 5000, 9000]);
    });
  });

  it('retry: false surfaces the first transient failure', () => {
    testScheduler().run(({ expectObservable }) => {
      const { genlook } = createTestGenlook({ retry: false, timelines: { g1: () => unavailable } });
      expectObservable(genlook.generation$('g1')).toBe('#', undefined, expect.objectContaining({ status: 503 }));
    });
  });
});

describe('backoff maths', () => {
  it('caps the exponential growth and draws full jitter from [0, cap]', () => {
    const policy = { delay: 1000, maxDelay: 30_000, jitter: false, random: () => 0.999 };
    expect([0, 1, 2, 3, 4, 5, 6, 60].map((attempt) => backoffDelay(attempt, policy))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(3, { ...policy, jitter: true, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...policy, jitter: true, random: () => 0.5 })).toBe(4000);
  });

  it('clamps Retry-After and ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now, 60_000)).toBe(3000);
    expect(parseRetryAfter('99999999999', now, 60_000)).toBe(60_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now, 60_000)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now, 60_000)).toBe(0);
    for (const garbage of ['-5', '', 'soon', 'NaN', '1e9', '0x10', undefined]) expect(parseRetryAfter(garbage, now, 60_000)).toBeUndefined();
  });
});
