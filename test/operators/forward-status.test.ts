import { describe, it } from 'vitest';
import { forwardStatus } from '../../src/operators/forward-status.js';
import { completed, failed, pending, processing } from '../../src/testing/index.js';
import { testScheduler } from '../helpers/marbles.js';

const p = pending('g1');
const r = processing('g1');
const c = completed('g1');
const f = failed('g1', 'PRODUCT_IMAGE_FETCH_FAILED');
const u = { ...p, status: 'QUEUED' };
const v = { ...p, status: 'RENDERING' };

describe('forwardStatus: the forward-status stage', () => {
  it('passes a status only when it moves forward: a repeat is dropped', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('p-p-r-r-c|', { p, r, c }).pipe(forwardStatus())).toBe('p---r---c|', { p, r, c });
    });
  });

  it('drops a stale earlier status (a replica behind) without resetting anything', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      // PENDING after PROCESSING is stale; the PROCESSING after it is still a repeat.
      expectObservable(cold('p-r-p-r-f|', { p, r, f }).pipe(forwardStatus())).toBe('p-r-----f|', { p, r, f });
    });
  });

  it('passes an unknown status when it differs from the last one passed, and keeps the order of the known ones', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      // QUEUED has no place in the order; after PROCESSING, PENDING stays stale even past QUEUED.
      expectObservable(cold('u-u-r-v-p-c|', { u, r, v, p, c }).pipe(forwardStatus())).toBe('u---r-v---c|', { u, r, v, c });
    });
  });

  it('keeps its progress per subscription', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const statuses$ = cold('r-p|', { r, p }).pipe(forwardStatus());
      expectObservable(statuses$).toBe('r--|', { r });
      expectObservable(statuses$, '5ms ^').toBe('5ms r--|', { r });
    });
  });
});
