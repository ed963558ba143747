// Exact unit tests of src/polling/coordinated.ts (with a hand-driven coordinator) and of
// pageVisibility's document checks in src/polling/page-visibility.ts.
import { Observable, Subject, take } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Generation } from '../src/model/schemas.js';
import { coordinated$ } from '../src/polling/coordinated.js';
import { pageVisibility } from '../src/polling/page-visibility.js';
import type { CoordinatedWatch, PollCoordinator } from '../src/polling/poll-coordinator.js';
import { completed, pending, processing } from '../src/testing/factories.js';

/** A coordinator driven by the test: `onJoin` runs inside `join`; it records publishes and leaves. */
function handCoordinator(onJoin: (watch: CoordinatedWatch) => void = () => {}) {
  const log: string[] = [];
  let watch: CoordinatedWatch | undefined;
  const coordinator: PollCoordinator = {
    join(id, w) {
      log.push(`join ${id}`);
      watch = w;
      onJoin(w);
      return { publish: (g) => void log.push(`publish ${g.status}`), leave: () => void log.push('leave') };
    },
  };
  return { log, coordinator, watch: () => watch! };
}

/** A poll loop whose answers the test pushes, counting its subscriptions (and those still open). */
function answers() {
  const subject = new Subject<Generation>();
  let subscribed = 0;
  let active = 0;
  return {
    push: (g: Generation) => subject.next(g),
    fail: (e: Error) => subject.error(e),
    counts: () => ({ subscribed, active }),
    tracked: () =>
      new Observable<Generation>((sub) => {
        subscribed++;
        active++;
        const s = subject.subscribe(sub);
        return () => {
          active--;
          s.unsubscribe();
        };
      }),
  };
}

describe('coordinated$', () => {
  it('leads: polls here and publishes each answer; follow stops the loop; relays are emitted', () => {
    const loop = answers();
    const { log, coordinator, watch } = handCoordinator();
    const heard: string[] = [];
    const sub = coordinated$('g', coordinator, loop.tracked()).subscribe((g) => heard.push(g.status));
    watch().lead();
    watch().lead(); // idempotent: one loop
    expect(loop.counts()).toEqual({ subscribed: 1, active: 1 });
    loop.push(pending('g'));
    watch().follow();
    expect(loop.counts()).toEqual({ subscribed: 1, active: 0 });
    loop.push(processing('g')); // not polled here any more
    watch().relay(processing('g'));
    watch().lead(); // leads again after follow: a new loop
    expect(loop.counts()).toEqual({ subscribed: 2, active: 1 });
    sub.unsubscribe();
    expect(loop.counts()).toEqual({ subscribed: 2, active: 0 });
    expect(heard).toEqual(['PENDING', 'PROCESSING']);
    expect(log).toEqual(['join g', 'publish PENDING', 'leave']);
  });

  it('follow before any lead is harmless', () => {
    const loop = answers();
    const { coordinator, watch } = handCoordinator();
    coordinated$('g', coordinator, loop.tracked()).subscribe();
    expect(() => watch().follow()).not.toThrow();
    expect(loop.counts()).toEqual({ subscribed: 0, active: 0 });
  });

  it('a lead during join starts the loop once joined', () => {
    const loop = answers();
    const { log, coordinator } = handCoordinator((w) => w.lead());
    const heard: string[] = [];
    coordinated$('g', coordinator, loop.tracked()).subscribe((g) => heard.push(g.status));
    expect(loop.counts()).toEqual({ subscribed: 1, active: 1 });
    loop.push(pending('g'));
    expect(heard).toEqual(['PENDING']);
    expect(log).toEqual(['join g', 'publish PENDING']);
  });

  it('a lead or relay after the watch ended does nothing', () => {
    const loop = answers();
    const { coordinator, watch } = handCoordinator();
    const heard: string[] = [];
    const sub = coordinated$('g', coordinator, loop.tracked()).subscribe((g) => heard.push(g.status));
    sub.unsubscribe();
    watch().lead();
    watch().relay(pending('g'));
    expect(loop.counts()).toEqual({ subscribed: 0, active: 0 });
    expect(heard).toEqual([]);
  });

  it('a watch ended from within join (a relayed outcome after a lead) leaves at once and starts no loop', () => {
    const loop = answers();
    const { log, coordinator } = handCoordinator((w) => {
      w.lead();
      w.relay(completed('g'));
    });
    const heard: string[] = [];
    coordinated$('g', coordinator, loop.tracked())
      .pipe(take(1))
      .subscribe({ next: (g) => heard.push(g.status), complete: () => heard.push('complete') });
    expect(heard).toEqual(['COMPLETED', 'complete']);
    expect(loop.counts()).toEqual({ subscribed: 0, active: 0 });
    expect(log).toEqual(['join g', 'leave']);
  });

  it('an error of the loop reaches the subscriber', () => {
    const loop = answers();
    const { coordinator, watch } = handCoordinator();
    const heard: string[] = [];
    coordinated$('g', coordinator, loop.tracked()).subscribe({ error: (e: Error) => heard.push(`error ${e.message}`) });
    watch().lead();
    loop.fail(new Error('down'));
    expect(heard).toEqual(['error down']);
  });
});

describe('pageVisibility document checks', () => {
  const g = globalThis as { document?: unknown };
  afterEach(() => {
    delete g.document;
  });
  const full = () => ({ visibilityState: 'visible', addEventListener() {}, removeEventListener() {} });

  it('a full document gives a visibility', () => {
    g.document = full();
    expect(pageVisibility()?.isVisible()).toBe(true);
  });

  it('a document without visibilityState, addEventListener or removeEventListener gives none', () => {
    g.document = { ...full(), visibilityState: undefined };
    expect(pageVisibility()).toBeUndefined();
    g.document = { ...full(), addEventListener: undefined };
    expect(pageVisibility()).toBeUndefined();
    g.document = { ...full(), removeEventListener: 'no' };
    expect(pageVisibility()).toBeUndefined();
  });
});
