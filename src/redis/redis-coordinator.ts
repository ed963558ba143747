import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { asyncScheduler, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { CoordinatedWatch, CoordinatorMembership, PollCoordinator } from '../internal.js';
import { CoordinatedId, type FleetContext } from './coordinated-id.js';
import { fleetSweeps } from './fleet-sweeps.js';
import { GenlookRedisWarning } from './genlook-redis-warning.js';
import { createRedisHealth, type RedisLike } from './redis-health.js';

/** The part of an ioredis connection in subscriber mode the coordinator uses. */
export interface RedisSubscriberLike {
  subscribe(...channels: string[]): Promise<unknown>;
  /** When present, a probe during an outage asks it too: Redis is back once both connections answer. */
  ping?(): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  removeListener(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

/** A connection the coordinator opens itself (ioredis's `duplicate()`) and closes with the client. */
interface OwnedSubscriber extends RedisSubscriberLike {
  on(event: 'message' | 'error', listener: (...args: never[]) => void): unknown;
  disconnect(): void;
}

/** Settings of `redisCoordinator`. */
export interface RedisCoordinatorOptions {
  /** An ioredis client, for the scripts (and `duplicate()`d for pub/sub unless `subscriber` is given). */
  redis: RedisLike & { duplicate?(): unknown };
  /** A connection for pub/sub only (ioredis puts it in subscriber mode); yours to close. @default redis.duplicate(), closed with the client */
  subscriber?: RedisSubscriberLike;
  /** The prefix of the keys and channels: every process of one account uses the same. @default 'genlook-rx:poll' */
  key?: string;
  /** How long a lease lasts without renewal, in ms: the longest a dead leaseholder's ids go unpolled. @default 5000 */
  leaseMs?: number;
  /** How long the latest generation of an id stays in Redis for late subscribers, in ms. @default 300000 */
  retainMs?: number;
  /** A Redis call slower than this counts as a failure, in ms. @default 1000 */
  commandTimeout?: number;
  /** How often to try Redis again during an outage, in ms. @default 5000 */
  probeInterval?: number;
  /** @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** A `PollCoordinator` on Redis, with its warnings. */
export interface RedisCoordinator extends PollCoordinator {
  /** `GenlookRedisWarning`s (`source: 'coordinator'`): `REDIS_UNAVAILABLE` once per outage, then `REDIS_RECOVERED`. */
  readonly warnings$: Observable<GenlookRedisWarning>;
  /** True during an outage: new watches poll in this process. */
  readonly isFallback: boolean;
  /** Releases the leases held, unsubscribes, and closes the connection it opened. */
  close(): Promise<void>;
}

/**
 * One poll per generation across a fleet: for each watched id, the process that takes the id's lease in
 * Redis (set-if-absent with an expiry, renewed every third of `leaseMs` while it polls) polls it and
 * publishes every status change; the others emit what it publishes, a late subscriber gets the latest
 * status at once, and when the leaseholder dies another process takes over within one lease period.
 * One process sweeps `GET /generations` for the fleet and publishes what it saw (a lease of its own:
 * src/redis/fleet-sweeps.ts), so a fleet reads the list once per `pollInterval` however many processes
 * watch ids. When Redis fails, every watched id is polled (or swept) in this process (one
 * `GenlookRedisWarning` per outage).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const redis = new Redis(process.env.REDIS_URL);
 * const coordinator = redisCoordinator({ redis });
 * coordinator.warnings$.subscribe((warning) => logger.warn(warning.message));
 * const genlook = createGenlook({ rateLimit: redisBudget({ redis }), coordinator });
 * ```
 */
export function redisCoordinator(options: RedisCoordinatorOptions): RedisCoordinator {
  const { redis, key = 'genlook-rx:poll', leaseMs = 5_000, retainMs = 300_000, commandTimeout = 1_000, probeInterval = 5_000, scheduler = asyncScheduler } = options;
  if (typeof redis?.eval !== 'function') throw new TypeError('Expected `redis` to be an ioredis client');
  if (options.subscriber === undefined && typeof redis.duplicate !== 'function') throw new TypeError('Expected `subscriber` (a Redis connection for pub/sub) when `redis` has no duplicate()');
  if (options.subscriber !== undefined && typeof options.subscriber?.subscribe !== 'function') throw new TypeError('Expected `subscriber` to be an ioredis client');
  if (typeof key !== 'string' || key === '') throw new TypeError(`Expected \`key\` to be a non-empty string, got ${String(key)}`);
  for (const [name, value] of Object.entries({ leaseMs, retainMs, commandTimeout, probeInterval })) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`Expected \`${name}\` to be a positive number, got ${String(value)}`);
  }
  const processToken = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const byChannel = new Map<string, Set<CoordinatedId>>();
  const leaders = new Set<CoordinatedId>();
  const pending = new Set<Promise<unknown>>();
  let subscriber: RedisSubscriberLike | undefined;
  let heartbeat: Subscription | undefined;
  let watches = 0;
  let isClosed = false;

  const health = createRedisHealth({
    redis,
    commandTimeout,
    probeInterval,
    scheduler,
    warning: (code, cause) => new GenlookRedisWarning(code, 'coordinator', undefined, cause),
    // Back only once the pub/sub connection answers too: the command connection often reconnects first,
    // and a subscription made on the other one before it has would fail, and fall back again.
    probe: () => Promise.all([redis.eval('return 1', 0), subscriber?.ping?.()]),
    // New watches are coordinated again, and the ones that fell back join again (the first process to
    // take an id's lease keeps polling it; the others stop).
    onRecovered: () => {
      sweeps.recovered();
      for (const entries of [...byChannel.values()]) for (const entry of [...entries]) entry.rejoin();
    },
  });

  /** Reports a failed call; the first failure of an outage sends every watch local at once (no stall waiting for each one's own call to time out). */
  const failAll = (cause: unknown) => {
    if (isClosed || !health.fail(cause)) return false;
    for (const entries of [...byChannel.values()]) for (const each of [...entries]) each.goLocal();
    return true;
  };

  const onMessage = (channel: string, message: string) => {
    if (channel === sweeps.channel) return sweeps.onMessage(message);
    for (const entry of [...(byChannel.get(channel) ?? [])]) entry.onMessage(message);
  };

  const connection = (): RedisSubscriberLike => {
    if (subscriber !== undefined) return subscriber;
    if (options.subscriber !== undefined) subscriber = options.subscriber;
    else {
      const owned = redis.duplicate!() as OwnedSubscriber;
      // Failures show up as slow or failed calls (the fallback); the connection's own events stay quiet.
      owned.on('error', () => {});
      subscriber = owned;
    }
    subscriber.on('message', onMessage);
    return subscriber;
  };

  const renewAll = () => {
    heartbeat = undefined;
    if (leaders.size === 0 || isClosed) return;
    for (const entry of leaders) entry.renew();
    heartbeat = health.schedule(renewAll, leaseMs / 3);
  };

  const fleet: FleetContext = {
    redis,
    health,
    key,
    leaseMs,
    retainMs,
    subscribe(channel, entry) {
      let entries = byChannel.get(channel);
      if (entries === undefined) byChannel.set(channel, (entries = new Set()));
      entries.add(entry);
      return health.call(connection().subscribe(channel));
    },
    unsubscribe(channel, entry) {
      const entries = byChannel.get(channel);
      entries?.delete(entry);
      if (entries?.size !== 0) return;
      byChannel.delete(channel);
      fleet.track(health.call(connection().unsubscribe(channel)));
    },
    leading(entry, isLeading) {
      if (!isLeading) {
        leaders.delete(entry);
        // Nothing left to renew: no timer keeps the process alive.
        if (leaders.size === 0) heartbeat = void heartbeat?.unsubscribe();
        return;
      }
      leaders.add(entry);
      if (heartbeat === undefined) heartbeat = health.schedule(renewAll, leaseMs / 3);
    },
    fail(cause, entry) {
      if (isClosed) return;
      // A later failure than the first of an outage only concerns the watch whose call failed.
      if (!failAll(cause)) entry.goLocal();
    },
    track(call) {
      const settled: Promise<unknown> = call.then(
        () => pending.delete(settled),
        () => pending.delete(settled),
      );
      pending.add(settled);
    },
  };

  // One process sweeps `GET /generations` for the fleet (src/redis/fleet-sweeps.ts).
  const sweeps = fleetSweeps({
    redis,
    health,
    key,
    token: `${processToken}:sweeps`,
    leaseMs,
    scheduler,
    subscribe: (channel) => health.call(connection().subscribe(channel)),
    fail: failAll,
    track: (call) => fleet.track(call),
  });

  const localMembership: CoordinatorMembership = { publish: () => {}, leave: () => {} };

  return {
    warnings$: health.warnings$,
    get isFallback() {
      return health.isDown;
    },
    sweep: (own$, interval) => sweeps.sweep(own$, interval),
    join(id: string, watch: CoordinatedWatch): CoordinatorMembership {
      if (isClosed || health.isDown) {
        watch.lead();
        return localMembership;
      }
      const entry = new CoordinatedId(id, watch, fleet, `${processToken}:${watches++}`);
      entry.start();
      return entry;
    },
    async close() {
      if (isClosed) return;
      for (const entries of [...byChannel.values()]) for (const entry of [...entries]) entry.leave();
      sweeps.close();
      isClosed = true;
      heartbeat?.unsubscribe();
      heartbeat = undefined;
      await Promise.all([...pending]);
      // A connection of the caller's stays theirs: it leaves the sweeps' channel (the ids' channels are left above).
      if (subscriber !== undefined && subscriber === options.subscriber) await health.call(subscriber.unsubscribe(sweeps.channel)).catch(() => {});
      subscriber?.removeListener('message', onMessage);
      if (subscriber !== undefined && subscriber !== options.subscriber) (subscriber as OwnedSubscriber).disconnect();
      health.close();
    },
  };
}
