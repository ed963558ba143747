// Exact tests of src/polling/sweeps.ts: learning from unwatched items (and its memory), the backoff of
// failed sweeps, a member older than the pages read going to its own reads at its first miss, and when
// the next sweep goes (the cadence's stretch, in a fleet or not, a member late for a stretched sweep).
// The fake account, loop and trace: test/helpers/sweeps-account.ts.
import { defer, map, Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { GenerationListItem } from '../src/model/generation-list.js';
import { createSweeps } from '../src/polling/sweeps.js';
import { testScheduler } from './helpers/marbles.js';
import type { Generation } from '../src/model/schemas.js';
import { always, config, fakeAccount, loop$, trace } from './helpers/sweeps-account.js';

const unwatched = (id: string, status: string, generationTimeMs: number | null): GenerationListItem => ({
  id,
  status: status as GenerationListItem['status'],
  productDescription: null,
  generationTimeMs,
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
});

describe('sweeps: learning from unwatched finished items', () => {
  it('learns only finished, unwatched items with a duration, once each', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const learned: Array<number | null | undefined> = [];
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') });
      const extra = [
        unwatched('done1', 'COMPLETED', 9_000),
        unwatched('done2', 'FAILED', 7_000),
        unwatched('running', 'PROCESSING', 5_000),
        unwatched('queued', 'PENDING', 4_000),
        unwatched('noTime', 'COMPLETED', null),
      ];
      // 'a' is watched: listed with a duration, it is not learned from.
      const readPage$ = (query: { limit: number; cursor: string | undefined }) =>
        account.readPage$(query).pipe(map((page) => ({ ...page, items: [...page.items.map((item) => (item.id === 'a' ? { ...item, generationTimeMs: 3_000 } : item)), ...extra] })));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$, learn: (duration) => learned.push(duration) });
      const events = trace(scheduler, sweeps, ['a', 'b'], 300);
      expect(account.asked.pages).toHaveLength(3);
      expect(events).toEqual(['10 a PENDING', '10 b PENDING~', '120 b PENDING~', '120 a PENDING~', '230 b PENDING~', '230 a PENDING~']);
      // Two unwatched finished items, learned by the first sweep only (remembered after).
      expect(learned).toEqual([9_000, 7_000]);
    });
  });

  it('never learns an item that was watched here, even from a sweep after its loop ended (its own answer taught the cadence)', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const learned: number[] = [];
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), c: { createdAt: 0, steps: [[0, 'PENDING'], [150, 'COMPLETED']] } }, { pageSize: 3 });
      const readPage$ = (query: { limit: number; cursor: string | undefined }) =>
        account.readPage$(query).pipe(map((page) => ({ ...page, items: page.items.map((item) => (item.id === 'c' ? { ...item, generationTimeMs: 4_242 } : item)) })));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$, learn: (duration) => learned.push(duration) });
      const events = trace(scheduler, sweeps, ['a', 'b', 'c'], 500);
      // c's loop ended at its own read of COMPLETED; the sweeps after it still list c, finished.
      expect(events).toContain('240 c done');
      expect(account.asked.pages.length).toBeGreaterThan(2);
      expect(learned).toEqual([]);
    });
  });

  it('an id watched here that left is remembered like any learned id: forgotten (and learned again) once 2048 newer ones came', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const learned: number[] = [];
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), c: { createdAt: 0, steps: [[0, 'PENDING'], [150, 'COMPLETED']] } }, { pageSize: 3 });
      // c is done at 240; the first sweep after 300 also lists 2048 unwatched finished items (evicting c).
      const many = Array.from({ length: 2_048 }, (_, index) => unwatched(`old${index + 1}`, 'COMPLETED', index + 1));
      let isFlooded = false;
      const readPage$ = (query: { limit: number; cursor: string | undefined }) =>
        account.readPage$(query).pipe(
          map((page) => {
            const items = page.items.map((item) => (item.id === 'c' ? { ...item, generationTimeMs: 4_242 } : item));
            if (isFlooded || scheduler.now() < 300) return { ...page, items };
            isFlooded = true;
            return { ...page, items: [...items, ...many] };
          }),
        );
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$, learn: (duration) => learned.push(duration) });
      const events = trace(scheduler, sweeps, ['a', 'b', 'c'], 600);
      expect(events).toContain('240 c done');
      // The memory holds ids, not members: c, past its loop, is one of them and is evicted like the others.
      expect(learned).toHaveLength(2_049);
      expect(learned.slice(-2)).toEqual([2_048, 4_242]);
    });
  });

  it('without learn, unwatched finished items leave the sweeps working', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') });
      const readPage$ = (query: { limit: number; cursor: string | undefined }) => account.readPage$(query).pipe(map((page) => ({ ...page, items: [...page.items, unwatched('done', 'COMPLETED', 9_000)] })));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$ });
      expect(trace(scheduler, sweeps, ['a', 'b'], 300)).toEqual(['10 a PENDING', '10 b PENDING~', '120 b PENDING~', '120 a PENDING~', '230 b PENDING~', '230 a PENDING~']);
      expect(account.asked.reads).toEqual(['a']);
    });
  });

  it('remembers the last 2048 learned ids: the oldest is forgotten (and learned again), the others are not', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const learned: number[] = [];
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') });
      // The first sweep lists 2049 unwatched finished items (durations 1..2049); the next ones list items 1 and 2049 again.
      const many = Array.from({ length: 2_049 }, (_, index) => unwatched(`old${index + 1}`, 'COMPLETED', index + 1));
      let sweepsRead = 0;
      const readPage$ = (query: { limit: number; cursor: string | undefined }) =>
        account.readPage$(query).pipe(map((page) => ({ ...page, items: [...page.items, ...(sweepsRead++ === 0 ? many : [many[0]!, many[2_048]!])] })));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$, learn: (duration) => learned.push(duration) });
      trace(scheduler, sweeps, ['a', 'b'], 300);
      expect(sweepsRead).toBe(3);
      expect(learned).toHaveLength(2_050);
      expect(learned.slice(0, 3)).toEqual([1, 2, 3]);
      // old1 was evicted when old2049 came in: learned again by the second sweep (evicting old2); old2049 is remembered.
      expect(learned.slice(2_047)).toEqual([2_048, 2_049, 1]);
    });
  });

  it('with a small memory turnover, two unwatched items alternate without being relearned', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const learned: number[] = [];
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') });
      const readPage$ = (query: { limit: number; cursor: string | undefined }) =>
        account.readPage$(query).pipe(map((page) => ({ ...page, items: [...page.items, unwatched('o1', 'COMPLETED', 1_000), unwatched('o2', 'COMPLETED', 2_000)] })));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$, learn: (duration) => learned.push(duration) });
      trace(scheduler, sweeps, ['a', 'b'], 400);
      expect(learned).toEqual([1_000, 2_000]);
    });
  });
});

describe('sweeps: failures back off', () => {
  it('three failed sweeps pause for the interval, then twice, then four times it', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') }, { failPages: 3 });
      const pagesAt: number[] = [];
      const readPage$ = (query: { limit: number; cursor: string | undefined }) => defer(() => (pagesAt.push(scheduler.now()), account.readPage$(query)));
      const sweeps = createSweeps({ ...config(account, scheduler), readPage$ });
      const events = trace(scheduler, sweeps, ['a', 'b'], 1_500);
      expect({ pagesAt, events, reads: account.asked.reads }).toMatchInlineSnapshot(`
        {
          "events": [
            "10 a PENDING",
            "20 b PENDING",
            "130 a PENDING",
            "130 b PENDING",
            "240 a PENDING",
            "240 b PENDING",
            "360 a PENDING",
            "360 b PENDING",
            "470 a PENDING",
            "470 b PENDING",
            "580 a PENDING",
            "580 b PENDING",
            "690 a PENDING",
            "690 b PENDING",
            "800 a PENDING~",
            "800 b PENDING~",
            "910 a PENDING~",
            "910 b PENDING~",
            "1020 a PENDING~",
            "1020 b PENDING~",
            "1130 a PENDING~",
            "1130 b PENDING~",
            "1240 a PENDING~",
            "1240 b PENDING~",
            "1350 a PENDING~",
            "1350 b PENDING~",
            "1460 a PENDING~",
            "1460 b PENDING~",
          ],
          "pagesAt": [
            0,
            110,
            340,
            790,
            900,
            1010,
            1120,
            1230,
            1340,
            1450,
          ],
          "reads": [
            "a",
            "b",
            "a",
            "b",
            "a",
            "b",
            "a",
            "b",
            "a",
            "b",
            "a",
            "b",
            "a",
            "b",
          ],
        }
      `);
    });
  });
});

describe('sweeps: a member older than the pages read', () => {
  it('goes to its own reads at its first miss once its createdAt (from its own read) is older than the page', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // Pages of two, newest first: [n1, n2] [old1]; old1 and n1 are watched; one page per sweep.
      const account = fakeAccount(scheduler, {
        n1: { createdAt: 1_000, steps: [] },
        n2: { createdAt: 900, steps: [] },
        old1: { createdAt: 100, steps: [] },
      });
      const sweeps = createSweeps(config(account, scheduler, { maxPages: 1 }));
      const events = trace(scheduler, sweeps, ['old1', 'n1'], 500);
      expect({ events, pages: account.asked.pages, reads: account.asked.reads }).toMatchInlineSnapshot(`
        {
          "events": [
            "10 old1 PENDING",
            "10 n1 PENDING~",
            "120 n1 PENDING~",
            "130 old1 PENDING",
            "230 n1 PENDING",
            "240 old1 PENDING",
            "340 n1 PENDING",
            "350 old1 PENDING",
            "450 n1 PENDING",
            "460 old1 PENDING",
          ],
          "pages": [
            undefined,
            undefined,
          ],
          "reads": [
            "old1",
            "old1",
            "n1",
            "old1",
            "n1",
            "old1",
            "n1",
            "old1",
          ],
        }
      `);
    });
  });

  it('a member whose createdAt equals the oldest item seen is not older: it rejoins the next sweep', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // Pages of two: [n1, n2] [y]; y was created when n2 was (the oldest the first page shows).
      const account = fakeAccount(scheduler, {
        n1: { createdAt: 1_000, steps: [] },
        n2: { createdAt: 100, steps: [] },
        y: { createdAt: 100, steps: [] },
      }, { hidden: [] });
      const sweeps = createSweeps(config(account, scheduler, { maxPages: 1 }));
      const events = trace(scheduler, sweeps, ['y', 'n1'], 500);
      expect({ events, pages: account.asked.pages, reads: account.asked.reads }).toMatchInlineSnapshot(`
        {
          "events": [
            "10 y PENDING",
            "10 n1 PENDING~",
            "120 n1 PENDING~",
            "130 y PENDING",
            "230 n1 PENDING~",
            "240 y PENDING",
            "340 n1 PENDING",
            "350 y PENDING",
            "450 n1 PENDING",
            "460 y PENDING",
          ],
          "pages": [
            undefined,
            undefined,
            undefined,
          ],
          "reads": [
            "y",
            "y",
            "y",
            "n1",
            "y",
            "n1",
            "y",
          ],
        }
      `);
    });
  });

  it('a member the last page does not show is not older than it (no more pages): it rejoins the next sweep', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { n1: { createdAt: 1_000, steps: [] }, x: { createdAt: 100, steps: [] } }, { hidden: ['x'] });
      const sweeps = createSweeps(config(account, scheduler, { maxPages: 1 }));
      const events = trace(scheduler, sweeps, ['x', 'n1'], 500);
      expect({ events, pages: account.asked.pages, reads: account.asked.reads }).toMatchInlineSnapshot(`
        {
          "events": [
            "10 x PENDING",
            "10 n1 PENDING~",
            "120 n1 PENDING~",
            "130 x PENDING",
            "230 n1 PENDING~",
            "240 x PENDING",
            "340 n1 PENDING",
            "350 x PENDING",
            "450 n1 PENDING",
            "460 x PENDING",
          ],
          "pages": [
            undefined,
            undefined,
            undefined,
          ],
          "reads": [
            "x",
            "x",
            "x",
            "n1",
            "x",
            "n1",
            "x",
          ],
        }
      `);
    });
  });
});

describe('sweeps: paging only for ids that may be further back', () => {
  it('waiting ids known to be no older than the oldest item seen do not make the sweep page on', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const hidden: string[] = [];
      // Pages of three, newest first: [n1, x, y] while x and y are listed, then [n1, n2, n3] (all at 900 but n1) [n4, n5].
      const account = fakeAccount(scheduler, {
        n1: { createdAt: 1_000, steps: [] },
        x: { createdAt: 900, steps: [] },
        y: { createdAt: 900, steps: [] },
        n2: { createdAt: 900, steps: [] },
        n3: { createdAt: 900, steps: [] },
        n4: { createdAt: 800, steps: [] },
        n5: { createdAt: 700, steps: [] },
      }, { hidden, pageSize: 3 });
      let sweepsRead = 0;
      const readPage$ = (query: { limit: number; cursor: string | undefined }) => defer(() => {
        // From the second sweep on, the list no longer shows x and y (a lagging list).
        if (sweepsRead++ === 1) hidden.push('x', 'y');
        return account.readPage$(query);
      });
      const sweeps = createSweeps({ ...config(account, scheduler, { maxPages: 3 }), readPage$ });
      const events = trace(scheduler, sweeps, ['x', 'y'], 250);
      expect({ events, pages: account.asked.pages, reads: account.asked.reads }).toMatchInlineSnapshot(`
        {
          "events": [
            "10 x PENDING",
            "10 y PENDING~",
            "130 y PENDING",
            "130 x PENDING",
          ],
          "pages": [
            undefined,
            undefined,
            undefined,
          ],
          "reads": [
            "x",
            "y",
            "x",
            "y",
            "x",
          ],
        }
      `);
    });
  });
});

describe('sweeps: members leaving and joining', () => {
  it('members that finished no longer make the sweeps page on: one page a sweep once the older ids left', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // Pages of two, newest first: [n1, n2] [o1, o2]. o1 and o2 finish at 150 (read at 260, done at 270).
      const account = fakeAccount(scheduler, { n1: { createdAt: 1_000, steps: [] }, n2: { createdAt: 900, steps: [] }, o1: { createdAt: 100, steps: [[150, 'COMPLETED']] }, o2: { createdAt: 50, steps: [[150, 'COMPLETED']] } });
      const sweeps = createSweeps(config(account, scheduler));
      const events = follows(scheduler, sweeps, [['n1', 0, 700], ['n2', 0, 700], ['o1', 0, 700], ['o2', 0, 700]]);
      expect(events).toContain('270 o2 done');
      // Two pages while o1 and o2 waited (they are on the second), then the first page only.
      expect(account.asked.pages).toEqual([undefined, '2', undefined, '2', undefined, '2', undefined, undefined, undefined, undefined]);
    });
  });

  it('a member that went to its own reads and then finished leaves the other two sweeping', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // c is never listed (another account's): on its own reads after its second miss, done at 350.
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), c: { createdAt: 0, steps: [[300, 'COMPLETED']] } }, { hidden: ['c'], pageSize: 3 });
      const sweeps = createSweeps(config(account, scheduler));
      const events = trace(scheduler, sweeps, ['a', 'b', 'c'], 800);
      expect(events.slice(events.indexOf('350 c done'))).toEqual(['350 c done', '450 b PENDING~', '450 a PENDING~', '560 b PENDING~', '560 a PENDING~', '670 b PENDING~', '670 a PENDING~', '780 b PENDING~', '780 a PENDING~']);
      // a's first read, then c's own reads: a and b never went back to their own.
      expect(account.asked.reads).toEqual(['a', 'c', 'c', 'c', 'c']);
    });
  });

  it('duration-aware: a member joining two young ones (one having left) brings the stretched sweep forward to its join', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const youngUntil400 = (answer: Generation) => Math.max(100, 400 - (scheduler.now() - Date.parse(answer.createdAt)));
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), c: always('PENDING') }, { pageSize: 3 });
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: youngUntil400 }));
      const events: string[] = [];
      const all = new Subscription();
      const follow = (id: string) => {
        const subscription = loop$(sweeps, id, scheduler, 100).subscribe((value) => events.push(`${scheduler.now()} ${id} ${value}`));
        all.add(subscription);
        return subscription;
      };
      follow('a');
      const b = follow('b');
      scheduler.schedule(() => b.unsubscribe(), 150);
      // c is new (no answer yet: due at once): the sweep stretched to 400 for a comes forward to 200.
      scheduler.schedule(() => follow('c'), 200);
      scheduler.schedule(() => all.unsubscribe(), 600);
      scheduler.flush();
      expect(events).toEqual(['10 a PENDING', '10 b PENDING~', '210 a PENDING~', '210 c PENDING~', '410 a PENDING~', '410 c PENDING~', '520 a PENDING~', '520 c PENDING~']);
      expect(account.asked.reads).toEqual(['a']);
    });
  });
});

/** Records when each page and each own read of `account` goes (call it before `config(account, …)`). */
function record(scheduler: ReturnType<typeof testScheduler>, account: ReturnType<typeof fakeAccount>) {
  const log = { pagesAt: [] as number[], readsAt: [] as string[] };
  const { readPage$, readOne$ } = account;
  account.readPage$ = (query) => defer(() => (log.pagesAt.push(scheduler.now()), readPage$(query)));
  account.readOne$ = (id) => defer(() => (log.readsAt.push(`${id}@${scheduler.now()}`), readOne$(id)));
  return log;
}

/** Follows each id of `plan` from its first time to its second (0 to `until` by default); what each saw when. */
function follows(scheduler: ReturnType<typeof testScheduler>, sweeps: ReturnType<typeof createSweeps>, plan: Array<[id: string, from: number, to: number]>, cadence?: (answer: Generation) => number) {
  const events: string[] = [];
  for (const [id, from, to] of plan) {
    scheduler.schedule(() => {
      const subscription = loop$(sweeps, id, scheduler, 100, cadence).subscribe({ next: (value) => events.push(`${scheduler.now()} ${id} ${value}`), complete: () => events.push(`${scheduler.now()} ${id} done`) });
      scheduler.schedule(() => subscription.unsubscribe(), to - from);
    }, from);
  }
  scheduler.flush();
  return events;
}

describe('sweeps: when the next sweep goes, exactly', () => {
  it('in a fleet, the cadence does not stretch the sweeps: two young members are swept every interval', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING') });
      const log = record(scheduler, account);
      // The fleet's sweep passed straight through (this process sweeps for the fleet).
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: () => 400, fleet: (own$) => own$ }));
      follows(scheduler, sweeps, [['a', 0, 450], ['b', 0, 450]]);
      expect(log.pagesAt).toEqual([0, 110, 220, 330, 440]);
    });
  });

  it('duration-aware: a member on its own reads, due soon, does not bring forward the sweeps stretched for two young ones', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // x is never listed (another account's): on its own reads from its second miss (120), due every
      // 100 ms by the cadence; a and b are young (400 ms).
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), x: always('PENDING') }, { hidden: ['x'], pageSize: 3 });
      const log = record(scheduler, account);
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: (answer) => (answer.generationId === 'x' ? 100 : 400) }));
      follows(scheduler, sweeps, [['a', 0, 1_000], ['b', 0, 1_000], ['x', 0, 1_000]]);
      // Two members sweep: after the sweep answered at 120, the next goes when a and b are due (520), then 930.
      expect(log.pagesAt).toEqual([0, 110, 520, 930]);
      expect(log.readsAt).toEqual(['a@0', 'x@10', 'x@120', 'x@230', 'x@340', 'x@450', 'x@560', 'x@670', 'x@780', 'x@890']);
    });
  });

  it('duration-aware: a missed member is due by the cadence after its own read, and the next sweep waits for it', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // x is never listed: missed by the first sweep (0-10), its own read answers PENDING at 20, due 150
      // ms later by the cadence; a (its own read at 0-10, alone then) is young, due at 410.
      const account = fakeAccount(scheduler, { a: always('PENDING'), x: always('PENDING') }, { hidden: ['x'] });
      const log = record(scheduler, account);
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: (answer) => (answer.generationId === 'x' ? 150 : 400) }));
      const events = follows(scheduler, sweeps, [['a', 0, 400], ['x', 0, 400]]);
      // a joins the next sweep at 110 (the loop's interval): it goes at 170, when x is due, not at once.
      expect(log.pagesAt).toEqual([0, 170]);
      expect(events.slice(0, 3)).toEqual(['10 a PENDING', '20 x PENDING', '180 a PENDING~']);
    });
  });

  it('a sweep left by every waiter while it waited is not the next one: two members joining later sweep at once', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // a and b (young) wait for a sweep stretched to 410, and leave at 150; c and d come at 200.
      const account = fakeAccount(scheduler, { a: always('PENDING'), b: always('PENDING'), c: always('PENDING'), d: always('PENDING') }, { pageSize: 4 });
      const log = record(scheduler, account);
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: () => 400 }));
      const events = follows(scheduler, sweeps, [['a', 0, 150], ['b', 0, 150], ['c', 200, 400], ['d', 200, 400]]);
      // c, alone at 200, reads on its own; d takes a sweep at once (not its own read: no sweep is pending).
      expect(log.pagesAt).toEqual([0, 200]);
      expect(log.readsAt).toEqual(['a@0', 'c@200']);
      expect(events).toEqual(['10 a PENDING', '10 b PENDING~', '210 c PENDING', '210 d PENDING~']);
    });
  });

  it('a member whose cadence shortens (seen PROCESSING by its own read) does not wait for a sweep stretched for a young one: it reads on its own at once', () => {
    const scheduler = testScheduler();
    scheduler.run(() => {
      // The cadence: 500 ms after a PENDING, 100 after a PROCESSING. x turns PROCESSING at 150, when the
      // list starts to lag (it no longer shows x). w leaves at 100, so x alone waits for the sweep of 510;
      // z joins at 200: that sweep comes forward to 200 (z is new), misses x (its own read, 210-220,
      // PROCESSING: due at 320) and is timed again for x's stale PENDING and z's: 510.
      const hidden: string[] = [];
      const account = fakeAccount(scheduler, { w: always('PENDING'), x: { createdAt: 0, steps: [[150, 'PROCESSING']] }, z: always('PENDING') }, { hidden, pageSize: 3 });
      scheduler.schedule(() => hidden.push('x'), 150);
      const log = record(scheduler, account);
      const cadence = (answer: Generation) => (answer.status === 'PROCESSING' ? 100 : 500);
      const sweeps = createSweeps(config(account, scheduler, { delayAfter: cadence }));
      const events = follows(scheduler, sweeps, [['w', 0, 100], ['x', 0, 700], ['z', 200, 700]], cadence);
      // At 320 x is due and the sweep 190 ms off: x reads on its own (320), then joins the sweep of 510
      // (its second miss: on its own reads from then on).
      expect(log.pagesAt).toEqual([0, 200, 510]);
      expect(log.readsAt).toEqual(['w@0', 'x@210', 'x@320', 'x@520', 'z@620', 'x@630']);
      expect(events.filter((event) => event.includes(' x '))).toEqual(['10 x PENDING~', '220 x PROCESSING', '330 x PROCESSING', '530 x PROCESSING', '640 x PROCESSING']);
    });
  });
});
