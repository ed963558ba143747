import { catchError, defer, finalize, map, type Observable, of, type SchedulerLike, share, startWith, Subject, switchMap, take, tap, timer } from 'rxjs';
import { classifyStatus } from '../model/generation-status.js';
import type { GenerationList } from '../model/generation-list.js';
import type { Generation } from '../model/schemas.js';
import type { FleetSweep } from './poll-coordinator.js';
import { fleetSweepOf, type SweepResult, sweepPages$, sweepResultOf } from './sweep-pages.js';

/** What the sweeps of a client read with, and how often. */
export interface SweepsConfig {
  /** One read of one generation (`GET /generations/{id}`), through the client's budget. */
  readOne$(id: string, priority: number): Observable<Generation>;
  /** One page of `GET /generations`, newest first, through the client's budget. */
  readPage$(query: { limit: number; cursor: string | undefined }): Observable<GenerationList>;
  /** The client's scheduler. */
  scheduler: SchedulerLike;
  /** The gap between a sweep's answer and the next sweep, in ms: `pollInterval`, the floor of every read. */
  interval: number;
  /** Pages one sweep may read while watched ids are older than what it has seen. @default 3 */
  maxPages?: number;
  /** Items a page asks for (the API allows 1 to 200). @default 200 */
  pageSize?: number;
  /**
   * The cadence's wait after a pending answer (at least `interval`, at most `maxPollGap`): a sweep goes
   * when the first member is due by it, so sweeps stretch past `interval` while no outcome is likely.
   * Not used in a fleet (its process that sweeps knows only its own members). Without it: every `interval`.
   */
  delayAfter?(answer: Generation): number;
  /** Learns a try-on's duration from a finished item that nobody here watches (`generationTimeMs`). */
  learn?(durationMs: number): void;
  /**
   * In a fleet, the coordinator's `sweep`: one process sweeps for the account and the others use what it
   * published (src/redis/fleet-sweeps.ts). Without it, this client sweeps for itself.
   */
  fleet?: ((own$: Observable<FleetSweep>, interval: number) => Observable<FleetSweep>) | undefined;
}

/** The sweeps of one client: one shared `GET /generations` read instead of a poll per pending id. */
export interface Sweeps {
  /** Runs `loop$` (the loop of `id`) as a member of the sweeps while it is subscribed. */
  member<T>(id: string, loop$: Observable<T>): Observable<T>;
  /**
   * One read of a member: its status from the next sweep when a sweep is worth it (it replaces more than
   * one read), else, or when the sweep does not show it, or shows it finished (the outcome's fields are
   * not in the list), one `GET /generations/{id}`.
   */
  read$(id: string, priority: number): Observable<Generation>;
  /** True for an answer a sweep gave: the loop asks again at once, and the sweep's own pace applies. */
  isSwept(answer: Generation): boolean;
  /**
   * How long the loop of a member waits after `answer` before its next read: 0 after a swept answer (the
   * sweep's own pace applies); `interval` after a read made for a sweep that did not show the id (a new
   * id the page in flight predates) or failed, so that it joins the next sweep (the cadence's wait
   * would leave a young id unread for seconds, PROCESSING unseen); else `cadence`, the cadence's wait.
   */
  waitAfter(answer: Generation, cadence: number): number;
  /** True while a sweep is worth it: more than one member reads through the sweeps, and they are not paused. */
  isActive(): boolean;
}

/** What one member has shown the sweeps. */
interface Member {
  /** Its `createdAt` (epoch ms), once an answer told it. */
  createdAt: number | undefined;
  /** Sweeps in a row that did not show it. */
  misses: number;
  /** Read on its own from now on: older than the pages worth reading, or never in the list (another account's). */
  isDirect: boolean;
  /** When a sweep last answered for it (its floor when it leaves the sweeps). */
  sweptAt: number;
  /** When it is next worth reading, by the cadence (`-Infinity` before its first answer). */
  dueAt: number;
}

/** A sweep that failed: its waiters read on their own this once. */
const FAILED = Symbol('sweep failed');
/** Sweeps are paused after a failure for the interval times 2^(failures - 1), up to this. */
const MAX_PAUSE = 60_000;
/** A member missing from this many sweeps in a row is read on its own. */
const MISSES_TO_DIRECT = 2;
/**
 * From this many members on, a sweep goes every interval whatever the cadence: it costs a third of a
 * request a member or less, and it shows PROCESSING as soon as the API does (at 40 try-ons a minute
 * watch-only, the stretched sweeps saw PROCESSING 4.9 s late at the p95, these 2 s).
 */
const EVERY_INTERVAL_FROM = 3;
/** Finished items learned from, remembered so that none is learned twice. */
const LEARNED_MEMORY = 2_048;

/**
 * Sweeps: while several watched ids are pending, one `GET /generations` page (newest first) reports the
 * status of all of them, so a read costs a share of one request instead of one each. The sweep is one
 * shared Observable (`timer` to its turn, the pages by `expand`, `share` among the ids waiting for it);
 * ids join it by reading and leave it by unsubscribing. A finished item costs its one
 * `GET /generations/{id}` (the list has no `resultImageUrl` or `errorCode`); an id the pages do not
 * show is read on its own (another account's, one older than the pages worth reading, a list that lags);
 * a failed sweep sends its waiters to their own reads and pauses sweeps with a growing backoff. Statuses
 * from sweeps go through the same forward-status and terminal rules as every answer of the id.
 */
export function createSweeps(config: SweepsConfig): Sweeps {
  const { readOne$, readPage$, scheduler, interval, maxPages = 3, pageSize = 200, learn, fleet } = config;
  const delayAfter = fleet === undefined ? config.delayAfter : undefined;
  const members = new Map<string, Member>();
  const waiting = new Set<string>();
  const swept = new WeakSet<Generation>();
  /** Answers of reads made for a sweep (it did not show the id, or failed): their loop rejoins the next sweep. */
  const rejoining = new WeakSet<Generation>();
  const rejoin = (answer: Generation) => void rejoining.add(answer);
  /** A member joined: the pending sweep's turn is timed again. */
  const joined = new Subject<void>();
  const learned = new Set<string>();
  let answeredAt = -Infinity;
  let failures = 0;
  let pausedUntil = -Infinity;
  let next$: Observable<SweepResult | typeof FAILED> | undefined;
  /** When the pending sweep (`next$`) goes. */
  let nextAt = -Infinity;
  /** Members not read on their own: a sweep is worth it while it stands for more than one read. */
  let sweepable = 0;
  const isWorthIt = () => sweepable > 1 && scheduler.now() >= pausedUntil;
  const goDirect = (member: Member) => {
    if (member.isDirect) return;
    member.isDirect = true;
    sweepable--;
  };

  /** Pages while at least two waiting ids could be further back than what was seen (fewer: their own reads are cheaper). */
  const wantsMore = (result: SweepResult, pages: number) =>
    result.hasMore && pages < maxPages && [...waiting].filter((id) => !result.items.has(id) && !(members.get(id)?.createdAt! >= result.oldest)).length > 1;

  /** This process's sweep, or in a fleet the fleet's (read here if this process sweeps for it). */
  const turn$ = (): Observable<SweepResult> => {
    const pages$ = sweepPages$(readPage$, pageSize, (seen, pages) => wantsMore(seen, pages));
    return fleet === undefined ? pages$ : fleet(pages$.pipe(map(fleetSweepOf)), interval).pipe(map(sweepResultOf));
  };

  /**
   * When the next sweep goes: `interval` after the last one; with fewer than `EVERY_INTERVAL_FROM`
   * members, later while none of them is due by the cadence.
   */
  const dueAt = () => {
    const due = answeredAt + interval;
    if (delayAfter === undefined || sweepable >= EVERY_INTERVAL_FROM) return due;
    let first = Infinity;
    for (const member of members.values()) if (!member.isDirect) first = Math.min(first, member.dueAt);
    return Math.max(due, first === Infinity ? due : first);
  };

  const sweep$ = (): Observable<SweepResult | typeof FAILED> =>
    (next$ ??= joined.pipe(
      // The wait for its turn, timed again when a member joins (a new one is due at once, and from
      // EVERY_INTERVAL_FROM members on the turn is every interval): one stretched for fewer would keep it.
      startWith(undefined),
      switchMap(() => timer(Math.max(0, (nextAt = dueAt()) - scheduler.now()), scheduler)),
      take(1),
      switchMap(turn$),
      tap((result) => {
        answeredAt = scheduler.now();
        failures = 0;
        learnFrom(result);
      }),
      catchError(() => {
        answeredAt = scheduler.now();
        failures++;
        pausedUntil = answeredAt + Math.min(MAX_PAUSE, interval * 2 ** (failures - 1));
        return of(FAILED);
      }),
      // Ended, or left by every waiter: the next reader starts the next sweep.
      finalize(() => (next$ = undefined)),
      share(),
    ));

  /** Marks `id` as learned from (forgetting the oldest past `LEARNED_MEMORY`). */
  const remember = (id: string) => {
    if (learned.size >= LEARNED_MEMORY) learned.delete(learned.values().next().value!);
    learned.add(id);
  };

  const learnFrom = (result: SweepResult) => {
    if (learn === undefined) return;
    for (const item of result.items.values()) {
      if (item.generationTimeMs == null || members.has(item.id) || learned.has(item.id) || classifyStatus(item.status) === 'pending') continue;
      remember(item.id);
      learn(item.generationTimeMs);
    }
  };

  /** What a sweep said of one waiting member: its status, or its own read (finished, missing, failed sweep). */
  const answerOf = (id: string, member: Member, result: SweepResult | typeof FAILED, priority: number): Observable<Generation> => {
    if (result === FAILED) return readOne$(id, priority).pipe(tap(rejoin));
    member.sweptAt = scheduler.now();
    const item = result.items.get(id);
    if (item === undefined) {
      member.misses++;
      const isOlder = member.createdAt !== undefined && member.createdAt < result.oldest && result.hasMore;
      if (isOlder || member.misses >= MISSES_TO_DIRECT) {
        goDirect(member);
        return readOne$(id, priority);
      }
      return readOne$(id, priority).pipe(
        tap((answer) => {
          if (delayAfter !== undefined && classifyStatus(answer.status) === 'pending') member.dueAt = scheduler.now() + delayAfter(answer);
          rejoin(answer);
        }),
      );
    }
    member.misses = 0;
    member.createdAt = Date.parse(item.createdAt);
    if (classifyStatus(item.status) !== 'pending') return readOne$(id, priority);
    const generation = { generationId: id, status: item.status, createdAt: item.createdAt, updatedAt: item.updatedAt } as Generation;
    swept.add(generation);
    if (delayAfter !== undefined) member.dueAt = member.sweptAt + delayAfter(generation);
    return of(generation);
  };

  return {
    member: (id, loop$) =>
      defer(() => {
        const member: Member = { createdAt: undefined, misses: 0, isDirect: false, sweptAt: -Infinity, dueAt: -Infinity };
        members.set(id, member);
        sweepable++;
        joined.next();
        return loop$.pipe(
          finalize(() => {
            goDirect(member);
            if (members.get(id) !== member) return;
            members.delete(id);
            // Its own answers taught the cadence: a later sweep listing it finished must not teach it again
            // (one that left before its outcome gives up that one sample).
            if (learn !== undefined && !learned.has(id)) remember(id);
          }),
        );
      }),
    read$: (id, priority) =>
      defer(() => {
        const member = members.get(id);
        if (member === undefined) return readOne$(id, priority);
        // A sweep stretched for members that are not due would keep a member that is (a new one) waiting:
        // it reads on its own this once.
        const isLate = next$ !== undefined && nextAt > Math.max(scheduler.now(), member.dueAt) + interval;
        if (member.isDirect || !isWorthIt() || isLate) {
          // Its own read, no sooner than `interval` after the sweep that last answered for it.
          const wait = member.sweptAt + interval - scheduler.now();
          const read$ = readOne$(id, priority).pipe(
            tap((answer) => {
              member.createdAt ??= Date.parse(answer.createdAt);
              if (delayAfter !== undefined && classifyStatus(answer.status) === 'pending') member.dueAt = scheduler.now() + delayAfter(answer);
            }),
          );
          return wait > 0 ? timer(wait, scheduler).pipe(switchMap(() => read$)) : read$;
        }
        waiting.add(id);
        return sweep$().pipe(
          take(1),
          finalize(() => waiting.delete(id)),
          switchMap((result) => answerOf(id, member, result, priority)),
        );
      }),
    isSwept: (answer) => swept.has(answer),
    waitAfter: (answer, cadence) => (swept.has(answer) ? 0 : rejoining.has(answer) ? interval : cadence),
    isActive: isWorthIt,
  };
}
