// Exact unit tests of src/polling/shared-polls.ts: the registry of one poll per id, how an id leaves it,
// and `fail`.
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Generation } from '../src/model/schemas.js';
import { sharedPolls } from '../src/polling/shared-polls.js';
import { completed, pending, processing } from '../src/testing/factories.js';

/** A hand-driven poll: its answers are pushed with `next`, and `made` counts how often it was created. */
function source(label: string) {
  const answers = new Subject<Generation>();
  const made: string[] = [];
  return { answers, made, create: () => (made.push(label), answers.asObservable()) };
}

/** Records what a subscriber heard. */
function listen() {
  const heard: string[] = [];
  return {
    heard,
    observer: {
      next: (g: Generation) => heard.push(`${g.generationId}:${g.status}`),
      error: (e: unknown) => heard.push(`error:${(e as Error).message}`),
      complete: () => heard.push('complete'),
    },
  };
}

describe('sharedPolls', () => {
  it('shares one live poll per id, replaying the latest answer', () => {
    const polls = sharedPolls();
    const a = source('a');
    const first = listen();
    polls.get('g', a.create).subscribe(first.observer);
    a.answers.next(pending('g'));
    const second = listen();
    polls.get('g', () => {
      throw new Error('must not create a second poll');
    }).subscribe(second.observer);
    a.answers.next(processing('g'));
    expect(a.made).toEqual(['a']);
    expect(first.heard).toEqual(['g:PENDING', 'g:PROCESSING']);
    expect(second.heard).toEqual(['g:PENDING', 'g:PROCESSING']);
  });

  it('forgets an id when its poll completes: the next get uses its own create', () => {
    const polls = sharedPolls();
    const a = source('a');
    const first = listen();
    polls.get('g', a.create).subscribe(first.observer);
    a.answers.next(completed('g'));
    expect(first.heard).toEqual(['g:COMPLETED', 'complete']);
    const b = source('b');
    const second = listen();
    polls.get('g', b.create).subscribe(second.observer);
    b.answers.next(pending('g'));
    expect(a.made).toEqual(['a']);
    expect(b.made).toEqual(['b']);
    expect(second.heard).toEqual(['g:PENDING']);
  });

  it('forgets an id when its last subscriber leaves', () => {
    const polls = sharedPolls();
    const a = source('a');
    const sub = polls.get('g', a.create).subscribe();
    sub.unsubscribe();
    const b = source('b');
    polls.get('g', b.create).subscribe();
    expect(a.made).toEqual(['a']);
    expect(b.made).toEqual(['b']);
  });

  it('an old poll ending does not remove the newer poll of its id', () => {
    const polls = sharedPolls();
    const a = source('a');
    const old$ = polls.get('g', a.create);
    old$.subscribe().unsubscribe(); // 'g' leaves the registry
    const b = source('b');
    const live = listen();
    polls.get('g', b.create).subscribe(live.observer);
    b.answers.next(pending('g'));
    // The old stream is subscribed again (it reconnects) and ends: its reset must leave b's poll registered.
    old$.subscribe();
    a.answers.next(completed('g'));
    const c = source('c');
    const late = listen();
    polls.get('g', c.create).subscribe(late.observer);
    expect(c.made).toEqual([]);
    expect(b.made).toEqual(['b']);
    expect(late.heard).toEqual(['g:PENDING']);
  });

  it('fail errors every live poll, and the ids leave the registry', () => {
    const polls = sharedPolls();
    const a = source('a');
    const b = source('b');
    const onA = listen();
    const onB = listen();
    polls.get('g1', a.create).subscribe(onA.observer);
    polls.get('g2', b.create).subscribe(onB.observer);
    a.answers.next(pending('g1'));
    polls.fail(new Error('closed'));
    expect(onA.heard).toEqual(['g1:PENDING', 'error:closed']);
    expect(onB.heard).toEqual(['error:closed']);
    const c = source('c');
    polls.get('g1', c.create).subscribe();
    expect(c.made).toEqual(['c']);
  });

  it('fail copes with a poll that was got but never subscribed', () => {
    const polls = sharedPolls();
    const a = source('a');
    polls.get('g', a.create);
    expect(() => polls.fail(new Error('closed'))).not.toThrow();
    expect(a.made).toEqual([]);
    const b = source('b');
    polls.get('g', b.create).subscribe();
    expect(b.made).toEqual(['b']);
  });
});
