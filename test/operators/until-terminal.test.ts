import { describe, it } from 'vitest';
import { GenerationFailedError, untilTerminal } from '../../src/index.js';
import { completed, failed, pending, processing } from '../../src/testing/index.js';
import { testScheduler } from '../helpers/marbles.js';

const p = pending('g1');
const r = processing('g1');
const c = completed('g1');
const f = failed('g1', 'PRODUCT_IMAGE_FETCH_FAILED');
const u = { ...p, status: 'QUEUED' };

describe('untilTerminal: the terminal stage', () => {
  it('emits COMPLETED, then completes and unsubscribes from the source', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('p-r-c-p-', { p, r, c });
      expectObservable(source.pipe(untilTerminal())).toBe('p-r-(c|)', { p, r, c });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('errors with GenerationFailedError on FAILED (not emitted) and unsubscribes from the source', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('p-f-p-', { p, f });
      expectObservable(source.pipe(untilTerminal())).toBe('p-#', { p }, new GenerationFailedError(f));
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('treats an unknown status as pending', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('u-u-c', { u, c }).pipe(untilTerminal())).toBe('u-u-(c|)', { u, c });
    });
  });

  it('passes the source’s own errors and completion through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p-#', { p }, new Error('boom')).pipe(untilTerminal())).toBe('p-#', { p }, new Error('boom'));
      expectObservable(cold('p-|', { p }).pipe(untilTerminal())).toBe('p-|', { p });
    });
  });
});
