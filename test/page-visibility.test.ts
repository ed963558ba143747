import { asyncScheduler, takeUntil, timer } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestGenlook, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

/** A stand-in for a browser's `document`: its visibility and the event the browser fires. */
class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible';
  set(state: 'visible' | 'hidden'): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

describe('in a browser, polling pauses while the page is hidden (Node, with a stand-in document; test/browser does it in Chromium)', () => {
  const global = globalThis as { document?: unknown };
  afterEach(() => {
    delete global.document;
  });

  it('a poll that comes due while hidden goes as soon as the page is shown again; the cadence resumes from there', () => {
    testScheduler().run(({ flush }) => {
      const page = (global.document = new FakeDocument());
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
      genlook.generation$('g1').pipe(takeUntil(timer(16_000))).subscribe();
      asyncScheduler.schedule(() => page.set('hidden'), 3_000);
      asyncScheduler.schedule(() => page.set('visible'), 11_000);
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2_000, 11_000, 13_000, 15_000]);
    });
  });

  it('opted out (pauseWhenHidden: false), or with no document, it polls on', () => {
    testScheduler().run(({ flush }) => {
      const page = (global.document = new FakeDocument());
      page.visibilityState = 'hidden';
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', pauseWhenHidden: false, timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
      genlook.generation$('g1').pipe(takeUntil(timer(5_000))).subscribe();
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 2_000, 4_000]);
    });
  });

  it('a page hidden from the start asks nothing until it is shown', () => {
    testScheduler().run(({ flush }) => {
      const page = (global.document = new FakeDocument());
      page.visibilityState = 'hidden';
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
      genlook.generation$('g1').pipe(takeUntil(timer(8_000))).subscribe();
      asyncScheduler.schedule(() => page.set('visible'), 5_000);
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([5_000, 7_000]);
    });
  });
});
