import { catchError, defer, from, map, type Observable, of, type SchedulerLike, Subject, switchMap, take, tap, timeout } from 'rxjs';
import { type FleetSweep, parseGenerationList } from '../internal.js';
import type { RedisHealth, RedisLike } from './redis-health.js';
import { SWEEP_LEASE_SCRIPT, SWEEP_PUBLISH_SCRIPT, SWEEP_RELEASE_SCRIPT } from './sweep-scripts.js';

/** What the fleet's sweeps share with the coordinator. */
export interface FleetSweepsConfig {
  redis: RedisLike;
  health: RedisHealth;
  /** The prefix of the keys and channels. */
  key: string;
  /** Names this process in the lease and in what it publishes. */
  token: string;
  /** The longest a lease lasts without renewal, in ms (it is also renewed at each sweep). */
  leaseMs: number;
  scheduler: SchedulerLike;
  /** Subscribes `channel` on the coordinator's pub/sub connection (resolves once Redis confirmed). */
  subscribe(channel: string): Promise<unknown>;
  /** A Redis call failed: the coordinator's fallback (every watch of this process local). */
  fail(cause: unknown): void;
  /** Keeps a call that `close()` should wait for. */
  track(call: Promise<unknown>): void;
}

/** The fleet's sweeps, as one process of it takes part. */
export interface FleetSweeps {
  /** The channel of what the sweeping process publishes. */
  readonly channel: string;
  /** A coordinator's `sweep` (see `PollCoordinator.sweep`). */
  sweep(own$: Observable<FleetSweep>, interval: number): Observable<FleetSweep>;
  /** A message on `channel`. */
  onMessage(message: string): void;
  /** Redis is back after an outage: the channel is subscribed again at the next sweep. */
  recovered(): void;
  /** Lets the lease go if this process holds it. */
  close(): void;
}

/** A sweep another process published, as it arrived here. */
interface Published {
  sweep: FleetSweep;
  /** When it arrived (the coordinator's scheduler). */
  at: number;
  /** Its place in the order of arrival. */
  seq: number;
}

/** A follower whose sweep came due and saw nothing published waits this many lease turns before sweeping without the lease. */
const TURNS = 3;

/**
 * One process sweeps `GET /generations` for the fleet, and the others use what it publishes. When a
 * client's sweep comes due, its coordinator runs `SWEEP_LEASE_SCRIPT`: the process that gets the lease
 * reads the pages itself (`own$`, through its budget, which the fleet shares) and publishes what it saw
 * on the sweeps' channel; the others take the latest sweep published, if it is news and no older than
 * one interval, or wait for the next. The lease passes on when its owner's latest sweep is 1.5 intervals
 * old (it stopped sweeping, or died); a follower that waited that long takes it at its next turn, and one
 * that still sees nothing after three turns sweeps on its own. When Redis fails, each process sweeps on
 * its own (its budget's fallback share bounds it); published text is decoded as a list page is
 * (`parseGenerationList`), and a finished item is always read from the API, so Redis can delay an
 * outcome but never invent one.
 */
export function fleetSweeps(config: FleetSweepsConfig): FleetSweeps {
  const { redis, health, key, token, leaseMs, scheduler } = config;
  // A hash tag of its own: the lease key lives in one Redis Cluster slot.
  const channel = `${key}:{sweeps}`;
  const leaseKey = `${channel}:lease`;
  const arrivals = new Subject<Published>();
  let latest: Published | undefined;
  let arrived = 0;
  let consumed = 0;
  let subscribed: Promise<unknown> | undefined;
  let isOwner = false;
  let isClosed = false;

  const ready = () =>
    (subscribed ??= config.subscribe(channel).catch((error: unknown) => {
      subscribed = undefined;
      throw error;
    }));

  const lease$ = (stale: number) =>
    from(ready().then(() => health.call(redis.eval(SWEEP_LEASE_SCRIPT, 1, leaseKey, token, Math.max(leaseMs, 2 * stale), stale)))).pipe(
      map((answer) => {
        const values = Array.isArray(answer) ? answer : [];
        // Bounded: an owner's clock in the future (or a lease written by something else) never holds a follower longer.
        return { isOwner: Number(values[0]) === 1, staleIn: Math.min(stale, Math.max(0, Number(values[1]) || 0)) };
      }),
      catchError((error: unknown) => {
        config.fail(error);
        return of(undefined);
      }),
    );

  const publish = (sweep: FleetSweep) => {
    const call = health.call(redis.eval(SWEEP_PUBLISH_SCRIPT, 1, leaseKey, token, channel, JSON.stringify(sweep)));
    config.track(call.then((published) => (isOwner = Number(published) === 1), config.fail));
  };

  /** The sweep another process published: the latest, if it is news and no older than `interval`, else the next to arrive. */
  const published$ = (interval: number) =>
    defer(() => (latest !== undefined && latest.seq > consumed && scheduler.now() - latest.at <= interval ? of(latest) : arrivals.pipe(take(1)))).pipe(
      tap((published) => (consumed = published.seq)),
      map((published) => published.sweep),
    );

  return {
    channel,
    sweep(own$, interval) {
      const stale = Math.ceil(1.5 * interval);
      const turn$ = (turn: number): Observable<FleetSweep> =>
        defer(() =>
          health.isDown || isClosed
            ? own$
            : lease$(stale).pipe(
                switchMap((lease) => {
                  // Redis failed: this process sweeps on its own.
                  if (lease === undefined) return own$;
                  isOwner = lease.isOwner;
                  if (lease.isOwner) return own$.pipe(tap(publish));
                  if (turn >= TURNS) return own$;
                  return published$(interval).pipe(timeout({ first: lease.staleIn + interval, with: () => turn$(turn + 1), scheduler }));
                }),
              ),
        );
      return turn$(1);
    },
    onMessage(message) {
      const space = message.indexOf(' ');
      if (space <= 0 || message.slice(0, space) === token) return;
      let json: unknown;
      try {
        json = JSON.parse(message.slice(space + 1));
      } catch {
        return;
      }
      // Not a sweep genlook-rx wrote: ignored (a follower then takes the lease, or sweeps on its own).
      const parsed = parseGenerationList(json, undefined);
      if (!parsed.success) return;
      latest = { sweep: { items: parsed.data.items, hasMore: parsed.data.hasMore }, at: scheduler.now(), seq: ++arrived };
      arrivals.next(latest);
    },
    recovered() {
      subscribed = undefined;
    },
    close() {
      if (isClosed) return;
      isClosed = true;
      if (isOwner) config.track(health.call(redis.eval(SWEEP_RELEASE_SCRIPT, 1, leaseKey, token)).catch(() => {}));
    },
  };
}
