// Fixed examples of Retry-After as an HTTP date, through the whole client in virtual time. The random
// property of test/properties.test.ts draws such dates only in some runs; these catch a broken date path
// in every run. Only Date is faked (so the header's "now" is exact); virtual time drives the rest.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const NOW = Date.parse('2026-12-03T08:00:00.000Z');
const rateLimited = (retryAfter: string) => ({ status: 429, body: { code: 'RATE_LIMITED', message: 'Slow down', status: 429 }, headers: { 'Retry-After': retryAfter } });

describe('Retry-After as an HTTP date', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'], now: NOW }));
  afterEach(() => void vi.useRealTimers());

  it.each([
    ['12 s ahead: the client waits exactly until that date', 'Thu, 03 Dec 2026 08:00:12 GMT', 14_000],
    ['10 minutes ahead: clamped to maxRetryAfter (60 s)', 'Thu, 03 Dec 2026 08:10:00 GMT', 62_000],
  ])('%s', (_name, date, resumedAt) => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        cadence: 'fixed',
        timelines: { g1: ({ count }) => (count === 2 ? rateLimited(date) : pending('g1')) },
      });
      expectObservable(genlook.generation$('g1'), `^ ${resumedAt}ms !`).toBe('p', { p: pending('g1') });
      flush();
      // PENDING at 0, the 429 at 2000, then nothing until the date (or the clamp) has passed.
      expect(requests.map((request) => [request.sentAt, request.status])).toEqual([
        [0, 200],
        [2_000, 429],
        [resumedAt, 200],
      ]);
    });
  });
});
