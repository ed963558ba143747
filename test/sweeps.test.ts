import { map, Subscription, tap, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Generation } from '../src/model/schemas.js';
import { createSweeps } from '../src/polling/sweeps.js';
import { testScheduler } from './helpers/marbles.js';
import { always, config, fakeAccount, loop$, trace } from './helpers/sweeps-account.js';

// Timing in these specs: every request takes 10 ms; the interval is 100 ms. A swept answer (`~`) sends
// its id straight back to wait for the next sweep, which starts 100 ms after the previous sweep's answer;
// an answer of the id's own read waits the interval. The first id to subscribe is alone (a sweep is worth
// it only for more than one id), so its first read is its own.
describe('sweeps: many ids, one request', () => {
  it('two pending ids are read by one list request per sweep, 100 ms after the last answer; a finished item costs its one read', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, {
        a: { createdAt: 0, steps: [[150, 'PROCESSING'], [250, 'COMPLETED']] },
        b: { createdAt: 0, steps: [[350, 'FAILED']] },
      });
      const sweeps = createSweeps(config(account, scheduler));
      expect(trace(scheduler, sweeps, ['a', 'b'], 1_000)).toEqual([
        '10 a PENDING', // alone when it subscribed: its own read
        '10 b PENDING~', // the first sweep, sent at 0 for b
        '120 b PENDING~', // sweeps at 110, 220, 330, 440 (100 ms after each answer), answered 10 ms later
        '120 a PENDING~',
        '230 b PENDING~',
        '230 a PROCESSING~', // PROCESSING since 150: seen by the next sweep
        '340 b PENDING~',
        '350 a COMPLETED', // the sweep at 330 listed it COMPLETED: one read for its result
        '350 a done',
        '460 b FAILED', // listed FAILED at 440: one read for its errorCode
        '460 b done',
      ]);
      expect(account.asked.pages).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(account.asked.reads).toEqual(['a', 'a', 'b']);
    });
  });

  it('a lone id is read on its own, every interval: a sweep is worth it only when it replaces more than one read', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: { createdAt: 0, steps: [[150, 'COMPLETED']] } });
      const sweeps = createSweeps(config(account, scheduler));
      expect(trace(scheduler, sweeps, ['a'], 1_000)).toEqual(['10 a PENDING', '120 a PENDING', '230 a COMPLETED', '230 a done']);
      expect(account.asked.pages).toEqual([]);
    });
  });

  it("an id the list does not show (another account's) is read on its own at once, and after two misses no longer waits for sweeps", () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), x: { createdAt: 0, steps: [[400, 'COMPLETED']] } }, { hidden: ['x'] });
      const sweeps = createSweeps(config(account, scheduler));
      const events = trace(scheduler, sweeps, ['a', 'b', 'x'], 500).filter((event) => event.includes(' x '));
      // Missed by the sweep of 0-10: read at once (20). Missed again by the sweep it joins at 120: read at
      // once (130), and from then on on its own, every interval.
      expect(events).toEqual(['20 x PENDING', '130 x PENDING', '240 x PENDING', '350 x PENDING', '460 x COMPLETED', '460 x done']);
      expect(account.asked.reads.filter((id) => id === 'x')).toHaveLength(5);
      expect(account.asked.pages).toHaveLength(5);
    });
  });

  it('an id left alone in the sweeps goes back to its own reads no sooner than the interval after its last sweep (pollInterval is a floor)', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: { createdAt: 0, steps: [[150, 'COMPLETED']] } });
      const sweeps = createSweeps(config(account, scheduler));
      expect(trace(scheduler, sweeps, ['a', 'b'], 500)).toEqual([
        '10 a PENDING',
        '10 b PENDING~',
        '120 b PENDING~',
        '120 a PENDING~',
        '230 a PENDING~',
        '240 b COMPLETED', // listed COMPLETED by the sweep of 220-230: its own read; then b leaves
        '240 b done',
        '340 a PENDING~', // a had joined the sweep of 330 before b left: that sweep goes for a alone
        '450 a PENDING', // then its own read, 100 ms after that sweep (not at once)
      ]);
    });
  });

  it('pages with the cursor while two waiting ids may be older than the page, up to maxPages; ids older than that are read on their own', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // Pages of two, newest first: [a, b] [c, d] [e, f]; e and f are watched.
      const generations = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((id, index) => [id, { createdAt: 1_000 - index * 10, steps: [] as Array<[number, string]> }]));
      const account = fakeAccount(scheduler, generations);
      const sweeps = createSweeps(config(account, scheduler, { maxPages: 2 }));
      expect(trace(scheduler, sweeps, ['e', 'f'], 400)).toEqual([
        '10 e PENDING', // alone: its own read
        '20 f PENDING', // the first sweep waited for f only: one page, f missing, read at once
        '140 e PENDING', // the sweep at 110 pages once (both may be older), sees down to d, reaches maxPages:
        '140 f PENDING', // both older than the pages read: read on their own from now on
        '250 e PENDING',
        '250 f PENDING',
        '360 e PENDING',
        '360 f PENDING',
      ]);
      expect(account.asked.pages).toEqual([undefined, undefined, '2']);
    });
  });

  it('a failed sweep sends its waiters to their own reads and pauses sweeps for the interval; then sweeps resume', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') }, { failPages: 1 });
      const sweeps = createSweeps(config(account, scheduler));
      expect(trace(scheduler, sweeps, ['a', 'b'], 250)).toEqual([
        '10 a PENDING',
        '20 b PENDING', // its sweep failed at 10: its own read
        '120 a PENDING~', // paused until 110; the next sweep then goes
        '120 b PENDING~',
        '230 a PENDING~',
        '230 b PENDING~',
      ]);
      expect(account.asked.pages).toEqual([undefined, undefined, undefined]);
      expect(account.asked.reads).toEqual(['a', 'b']);
    });
  });

  it('every waiter leaving cancels the sweep: a sweep not yet sent never goes, one in flight is unsubscribed', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') });
      let inFlight = 0;
      const readPage$ = (query: { limit: number; cursor: string | undefined }) => account.readPage$(query).pipe(tap({ subscribe: () => inFlight++, finalize: () => inFlight-- }));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$ });
      trace(scheduler, sweeps, ['a', 'b'], 50); // the next sweep was due at 110
      expect(account.asked.pages).toEqual([undefined]);
      trace(scheduler, sweeps, ['a', 'b'], 65); // again from 50: a alone (its own read), b's sweep sent at 110 (100 ms after the last answer), left at 115
      expect(account.asked.pages).toEqual([undefined, undefined]);
      expect(inFlight).toBe(0);
    });
  });

  it('learns durations from finished items nobody here watches, once each', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const learned: number[] = [];
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') });
      const other = { id: 'other', status: 'COMPLETED', productDescription: null, generationTimeMs: 9_000, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() };
      const readPage$ = (query: { limit: number; cursor: string | undefined }) => account.readPage$(query).pipe(map((page) => ({ ...page, items: [...page.items, other] })));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$, learn: (duration) => learned.push(duration) });
      trace(scheduler, sweeps, ['a', 'b'], 300);
      expect(account.asked.pages).toHaveLength(3);
      expect(learned).toEqual([9_000]);
    });
  });

  // The cadence of these specs: a generation under 400 ms old is not worth reading before that age; from
  // then on, every interval (as the client's adaptive cadence does, at the scale of these specs).
  const youngUntil400 = (answer: Generation, now: number) => Math.max(100, 400 - (now - Date.parse(answer.createdAt)));

  it('duration-aware: while no member is due by the cadence, the next sweep waits for the first that is (never sooner than the interval)', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, {
        a: { createdAt: 0, steps: [[450, 'COMPLETED']] },
        b: { createdAt: 0, steps: [[650, 'COMPLETED']] },
      });
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: (answer) => youngUntil400(answer, scheduler.now()) }));
      expect(trace(scheduler, sweeps, ['a', 'b'], 1_000)).toEqual([
        '10 a PENDING',
        '10 b PENDING~', // the first sweep (b had no answer yet: due at once)
        '410 b PENDING~', // both members were young: the next sweep waited for age 400 (not 110, 220, 330)
        '410 a PENDING~',
        '520 b PENDING~', // then every interval
        '530 a COMPLETED', // listed COMPLETED at 520: its one read
        '530 a done',
        '630 b PENDING~', // the sweep b joined at 520, before a left
        // b alone from then on: its own reads, no sooner than the interval after its last sweep
        '740 b COMPLETED',
        '740 b done',
      ]);
      // Sweeps at 0, 400, 510, 620: four list requests where an interval's pace would have sent seven by 620.
      expect(account.asked.pages).toEqual([undefined, undefined, undefined, undefined]);
    });
  });

  it('duration-aware, from three members on: a sweep every interval (it shows PROCESSING when the API does), however young they are', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const young = { createdAt: 0, steps: [[250, 'PROCESSING'], [2_000, 'COMPLETED']] as Array<[number, string]> };
      const account = fakeAccount(scheduler, { a: young, b: young, c: young }, { pageSize: 3 });
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: (answer) => youngUntil400(answer, scheduler.now()) }));
      const events = trace(scheduler, sweeps, ['a', 'b', 'c'], 400);
      // Sweeps at 0, 110, 220, 330: every interval although no member is due by the cadence before 400.
      expect(account.asked.pages).toEqual([undefined, undefined, undefined, undefined]);
      // PROCESSING (at 250) is seen by the sweep of 330, not by one stretched to 400.
      expect(events.filter((event) => event.includes('PROCESSING'))[0]).toBe('340 b PROCESSING~');
    });
  });

  it('duration-aware: a member that joins (a new one, due at once) brings the stretched sweep forward to its join; from three members on, every interval', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, {
        a: { createdAt: 0, steps: [[2_000, 'COMPLETED']] },
        b: { createdAt: 0, steps: [[2_000, 'COMPLETED']] },
        c: { createdAt: 0, steps: [[2_000, 'COMPLETED']] },
      }, { pageSize: 3 });
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: (answer) => youngUntil400(answer, scheduler.now()) }));
      const events: string[] = [];
      const subscription = new Subscription();
      const follow = (id: string) => subscription.add(loop$(sweeps, id, scheduler, 100).subscribe((value) => events.push(`${scheduler.now()} ${id} ${value}`)));
      follow('a');
      follow('b');
      scheduler.schedule(() => follow('c'), 200);
      scheduler.schedule(() => subscription.unsubscribe(), 600);
      scheduler.flush();
      expect(events).toEqual([
        '10 a PENDING',
        '10 b PENDING~',
        // a and b were young: the next sweep waited for 400. c, new at 200, is due at once: the sweep came
        // forward to 200 (one request for the three, where c's own read would have been one for c)
        '210 b PENDING~',
        '210 a PENDING~',
        '210 c PENDING~',
        // three members: every interval
        '320 b PENDING~',
        '320 a PENDING~',
        '320 c PENDING~',
        '430 b PENDING~',
        '430 a PENDING~',
        '430 c PENDING~',
        '540 b PENDING~',
        '540 a PENDING~',
        '540 c PENDING~',
      ]);
      expect(account.asked.reads).toEqual(['a']);
    });
  });

  it('duration-aware: an id a sweep did not show (new since its page) is read on its own, then rejoins the next sweep, not the cadence\'s wait', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), c: always('PENDING') }, { hidden: ['c'], pageSize: 3 });
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: (answer) => youngUntil400(answer, scheduler.now()) }));
      const cadence = (answer: Generation) => youngUntil400(answer, scheduler.now());
      const events = trace(scheduler, sweeps, ['a', 'b', 'c'], 300, cadence).filter((event) => event.includes(' c '));
      // c missed the sweep of 0: its own read at 10. An interval later (120) it joined the sweep then
      // answering, missed it again, and was read on its own at 120 (the second miss: on its own from then
      // on). The cadence's wait would have left it unread until its age of 400.
      expect(events).toEqual(['20 c PENDING', '130 c PENDING']);
    });
  });

  it("an error of a finished id's own read reaches that id only", () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), c: always('COMPLETED') });
      const readOne$ = (id: string) => (id === 'c' ? throwError(() => new Error('c is unreadable')) : account.readOne$(id));
      const sweeps = createSweeps({ ...config(account, scheduler), readOne$ });
      expect(trace(scheduler, sweeps, ['a', 'b', 'c'], 130)).toEqual(['10 a PENDING', '10 b PENDING~', '10 c error c is unreadable', '120 b PENDING~', '120 a PENDING~']);
    });
  });
});
