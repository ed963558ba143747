// The three worked examples of docs/testing.md, as they appear there (the last test checks that).
import { readFileSync } from 'node:fs';
import { map, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { GenerationTimeoutError, type Genlook, retryTransient, timeoutGeneration } from '../../src/index.js';
import { completed, createTestGenlook, failed, pending, processing } from '../../src/testing/index.js';
import { testScheduler } from '../helpers/marbles.js';

// Example 1: a service that maps a generation to the image URL a component shows.
class TryOnImageService {
  constructor(private readonly genlook: Genlook) {}
  imageUrl$(id: string): Observable<string | null> {
    return this.genlook.generation$(id).pipe(map((generation) => generation.resultImageUrl ?? null));
  }
}

describe('docs/testing.md', () => {
  it('example 1: a service mapping a generation to its image URL, on the cadence production runs', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        timelines: { g1: [{ at: 0, answer: pending('g1') }, { at: 3_000, answer: processing('g1') }, { at: 9_000, answer: completed('g1') }] },
      });
      const service = new TryOnImageService(genlook);
      // pending('g1') was created at virtual 0: young, so the next poll waits until an outcome is likely
      // (6774: PROCESSING), then polls every 2000, the pollInterval floor (8774: PROCESSING again, not emitted; 10774: COMPLETED).
      expectObservable(service.imageUrl$('g1')).toBe('a 6773ms b 3999ms (c|)', {
        a: null,
        b: null,
        c: completed('g1').resultImageUrl,
      });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 6_774, 8_774, 10_774]);
    });
  });

  it('example 2: retry then timeout, driven through real backoff and timeout logic', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({
        cadence: 'fixed', // a poll every 2 s: this test is about retry and timeout, not the cadence
        retry: false, // the client gives up at once; the composition below does the retrying
        timelines: { g1: ({ count }) => (count === 2 ? { status: 503 } : pending('g1')) },
      });
      const watched = genlook.generation$('g1').pipe(retryTransient({ count: 2, delay: 1_000, jitter: false }), timeoutGeneration(10_000));
      // 0: PENDING; 2000: 503, retried at 3000 (PENDING again: not re-emitted); ... 10000: timeout.
      expectObservable(watched).toBe('p 9999ms #', { p: pending('g1') }, new GenerationTimeoutError({ generationId: 'g1', timeout: 10_000, lastStatus: 'PENDING' }));
      flush();
      expect(requests.map((request) => [request.sentAt, request.status])).toEqual([
        [0, 200],
        [2000, 503],
        [3000, 200],
        [5000, 200],
        [7000, 200],
        [9000, 200],
      ]);
    });
  });

  it('example 3: many ids, one failing', () => {
    testScheduler().run(({ expectObservable }) => {
      const { genlook } = createTestGenlook({
        cadence: 'fixed',
        timelines: {
          a: [{ at: 0, answer: pending('a') }, { at: 4_000, answer: completed('a') }],
          b: [{ at: 0, answer: pending('b') }, { at: 1_000, answer: failed('b', 'PRODUCT_IMAGE_FETCH_FAILED') }],
        },
      });
      const outcomes$ = genlook.generationsSettled$(['a', 'b']).pipe(map((entries) => entries.map((entry) => `${entry.generationId}:${entry.outcome}`).join(' ')));
      expectObservable(outcomes$).toBe('x 1999ms y 1999ms (z|)', {
        x: 'a:pending b:pending',
        y: 'a:pending b:failed',
        z: 'a:completed b:failed',
      });
    });
  });

  it('docs/testing.md shows the examples as they are here: every paragraph of their code blocks is in this file', () => {
    const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
    const guide = readFileSync(new URL('../../docs/testing.md', import.meta.url), 'utf8');
    const here = squash(readFileSync(new URL(import.meta.url), 'utf8'));
    const examples = guide.slice(guide.indexOf('## Example 1'), guide.indexOf('Each example is a test'));
    const paragraphs = [...examples.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.split(/\n\s*\n/)).map(squash);
    expect(paragraphs.length).toBeGreaterThanOrEqual(4);
    for (const paragraph of paragraphs) expect(here, paragraph).toContain(paragraph);
  });
});
