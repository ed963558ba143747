import type { RedisOptions } from 'ioredis';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Generation, Genlook } from '../../src/index.js';
import { coordinatedChannel } from '../../src/redis/coordinated-channel.js';
import { type GenlookRedisWarning, redisCoordinator } from '../../src/redis/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { sleep, until, useSimulator } from '../helpers/simulator.js';
import { type SeenRequest, startCountingProxy } from './counting-proxy.js';
import { startRedisServer, useRedisServer } from './redis-server.js';

// Real time at scale 1: PENDING, PROCESSING at 300 ms, the outcome at 1200 ms; sweeps every 50 ms.
const steps = [{ at: 0, status: 'PENDING' }, { at: 300, status: 'PROCESSING' }, { at: 1_200, status: 'COMPLETED' }];
const POLL = 50;
const PREFIX = 'genlook-rx:poll';
const SWEEPS_LEASE = `${PREFIX}:{sweeps}:lease`;

const isList = (request: SeenRequest) => /\/generations\?/.test(request.path ?? '');
const isReadOf = (id: string) => (request: SeenRequest) => request.path?.endsWith(`/generations/${id}`) === true;

describe('one process sweeps GET /generations for the fleet (redisCoordinator)', () => {
  const server = useRedisServer();
  beforeEach(async () => {
    await server.connect().flushall();
  });
  const sim = useSimulator();

  /** One process of a fleet: its coordinator on `url`, its requests through a counting proxy named `via`. */
  const member = async (simulator: Simulator, seen: SeenRequest[], via: string, url = server.url, subscriber?: RedisOptions) => {
    const proxy = await startCountingProxy(simulator.baseUrl, { seen, via });
    const coordinator = redisCoordinator({ redis: server.connect(url), subscriber: subscriber && server.connect(url, subscriber), leaseMs: 1_000, commandTimeout: 300, probeInterval: 200 });
    const warnings: GenlookRedisWarning[] = [];
    /** Where in `seen` each warning arrived. */
    const warnedAt: number[] = [];
    coordinator.warnings$.subscribe((warning) => (warnings.push(warning), warnedAt.push(seen.length)));
    const genlook = sim.client(simulator, { baseUrl: proxy.baseUrl, pollInterval: POLL, cadence: 'fixed', coordinator });
    return { genlook, warnings, warnedAt, close: () => proxy.close() };
  };
  const statuses = (genlook: Genlook, id: string) => lastValueFrom(genlook.generation$(id).pipe(toArray())).then((list) => list.map((g) => g.status));
  /** Resolves once every id's lease is taken (each by the process that joined it first). */
  const leased = async (ids: string[]) => {
    const redis = server.connect();
    for (;;) {
      const held = await Promise.all(ids.map((id) => redis.exists(`${coordinatedChannel(PREFIX, id)}:lease`)));
      if (held.every((count) => count === 1)) return;
      await sleep(5);
    }
  };

  it('two processes that each lead ids of their own read the list as one client does; every status and outcome is seen', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const yardstick = await sim.start({ timeScale: 1 });
    const seen: SeenRequest[] = [];
    const [a, b] = [await member(simulator, seen, 'a'), await member(simulator, seen, 'b')];
    const ids = Array.from({ length: 6 }, () => simulator.script(steps));
    // a leads the first three ids, b the last three: both have ids of their own to sweep for.
    const first = [...ids.slice(0, 3).map((id) => statuses(a!.genlook, id)), ...ids.slice(3).map((id) => statuses(b!.genlook, id))];
    await leased(ids);
    const second = [...ids.slice(3).map((id) => statuses(a!.genlook, id)), ...ids.slice(0, 3).map((id) => statuses(b!.genlook, id))];
    // The yardstick: one client, no fleet, sweeping six ids of the same timeline on its own account.
    const aloneSeen: SeenRequest[] = [];
    const aloneProxy = await startCountingProxy(yardstick.baseUrl, { seen: aloneSeen });
    const alone = sim.client(yardstick, { baseUrl: aloneProxy.baseUrl, pollInterval: POLL, cadence: 'fixed' });
    const aloneIds = Array.from({ length: 6 }, () => yardstick.script(steps));
    const [results, aloneResults] = await Promise.all([Promise.all([...first, ...second]), Promise.all(aloneIds.map((id) => statuses(alone, id)))]);

    expect(results).toEqual(Array(12).fill(['PENDING', 'PROCESSING', 'COMPLETED']));
    expect(aloneResults).toEqual(Array(6).fill(['PENDING', 'PROCESSING', 'COMPLETED']));
    const lists = seen.filter(isList);
    const aloneLists = aloneSeen.filter(isList).length;
    // One sweeper at a time: the fleet reads the list about as often as one client (two would read it twice as often).
    expect(aloneLists).toBeGreaterThan(10);
    expect(lists.length).toBeLessThanOrEqual(aloneLists + 3);
    const byA = lists.filter((request) => request.via === 'a').length;
    expect(Math.min(byA, lists.length - byA)).toBeLessThanOrEqual(2);
    // Each id: its finished read, and at most its first read before the sweeps started.
    for (const id of ids) expect(seen.filter(isReadOf(id)).length).toBeLessThanOrEqual(2);
    expect([...a!.warnings, ...b!.warnings]).toEqual([]);
    await Promise.all([a!.close(), b!.close(), aloneProxy.close()]);
  });

  it('with Redis frozen mid-run, each process sweeps on its own, and every outcome is still seen', async () => {
    const own = await startRedisServer();
    try {
      const simulator = await sim.start({ timeScale: 1 });
      const seen: SeenRequest[] = [];
      const [a, b] = [await member(simulator, seen, 'a', own.url), await member(simulator, seen, 'b', own.url)];
      const ids = Array.from({ length: 4 }, () => simulator.script([{ at: 0, status: 'PENDING' }, { at: 2_000, status: 'COMPLETED' }]));
      const watched = Promise.all([...ids.slice(0, 2).map((id) => statuses(a!.genlook, id)), ...ids.slice(2).map((id) => statuses(b!.genlook, id))]);
      await until(() => seen.filter(isList).length >= 3, 'the fleet sweeping');
      own.freeze();
      await until(() => a!.warnings.length > 0 && b!.warnings.length > 0, 'both processes on their fallback');
      const from = seen.length;
      await until(() => new Set(seen.slice(from).filter(isList).map((request) => request.via)).size === 2, 'both processes sweeping on their own');
      expect(await watched).toEqual(Array(4).fill(['PENDING', 'COMPLETED']));
      expect([...a!.warnings, ...b!.warnings].map((warning) => warning.code)).toEqual(['REDIS_UNAVAILABLE', 'REDIS_UNAVAILABLE']);
      own.thaw();
      await Promise.all([a!.close(), b!.close()]);
    } finally {
      own.thaw();
      await own.stop();
    }
  });

  it('with Redis restarted mid-run (its data gone), the fleet goes back to one sweeper, and every outcome is still seen', async () => {
    let own = await startRedisServer();
    const port = own.port;
    try {
      const simulator = await sim.start({ timeScale: 1 });
      const seen: SeenRequest[] = [];
      // Subscribers that do not resubscribe on their own (ioredis does by default): the coordinator must.
      const [a, b] = [await member(simulator, seen, 'a', own.url, { autoResubscribe: false }), await member(simulator, seen, 'b', own.url, { autoResubscribe: false })];
      const ids = Array.from({ length: 4 }, () => simulator.script([{ at: 0, status: 'PENDING' }, { at: 8_000, status: 'COMPLETED' }]));
      const watched = Promise.all([...ids.slice(0, 2).map((id) => statuses(a!.genlook, id)), ...ids.slice(2).map((id) => statuses(b!.genlook, id))]);
      await until(() => seen.filter(isList).length >= 3, 'the fleet sweeping');
      await own.stop();
      await until(() => a!.warnings.length > 0 && b!.warnings.length > 0, 'both processes on their fallback');
      const down = seen.length;
      await until(() => new Set(seen.slice(down).filter(isList).map((request) => request.via)).size === 2, 'both processes sweeping on their own');
      // The same port, an empty Redis: no lease, no subscriptions (ioredis reconnects, resubscribes).
      own = await startRedisServer(port);
      await until(() => [a!, b!].every((m) => m.warnings.some((warning) => warning.code === 'REDIS_RECOVERED')), 'both processes back on Redis', 10_000);
      // Twenty sweeps, counted from the fourth after the latest warning (a recovery can still flap once,
      // rarely: 1 run in 34, cause not pinned; a call slower than the 300 ms commandTimeout under load is one).
      const lists = (from: number) => seen.slice(from).filter(isList);
      const lastWarning = () => Math.max(...a!.warnedAt, ...b!.warnedAt);
      const onRedis = () => [a!, b!].every((m) => m.warnings.at(-1)?.code === 'REDIS_RECOVERED');
      await until(() => onRedis() && lists(lastWarning()).length >= 24, 'twenty-four sweeps since the last warning', 15_000);
      const after = lists(lastWarning()).slice(4, 24);
      // One sweeper at a time again: the sweeper changes only when the lease passes (a slow turn under
      // load), not every few sweeps (a process that hears nothing published sweeps on its own every third turn).
      const changes = after.filter((request, i) => i > 0 && request.via !== after[i - 1]!.via).length;
      expect(changes).toBeLessThanOrEqual(2);
      expect(await watched).toEqual(Array(4).fill(['PENDING', 'COMPLETED']));
      // Each process: an outage, its end (and at most one flap), ending on Redis.
      for (const { warnings } of [a!, b!]) {
        const codes = warnings.map((warning) => warning.code);
        expect([['REDIS_UNAVAILABLE', 'REDIS_RECOVERED'], ['REDIS_UNAVAILABLE', 'REDIS_RECOVERED', 'REDIS_UNAVAILABLE', 'REDIS_RECOVERED']]).toContainEqual(codes);
      }
      await Promise.all([a!.close(), b!.close()]);
    } finally {
      await own.stop();
    }
  });

  it('a sweep published by something else cannot invent an outcome: a COMPLETED item costs a read of the API, which says PENDING', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const seen: SeenRequest[] = [];
    const a = await member(simulator, seen, 'a');
    const slow = [{ at: 0, status: 'PENDING' }, { at: 3_000, status: 'COMPLETED' }];
    const ids = [simulator.script(slow), simulator.script(slow)];
    // Something else holds the sweep lease (its latest sweep dated far ahead: never stale), and publishes.
    const hostile = server.connect();
    await hostile.hset(SWEEPS_LEASE, 'owner', 'intruder', 'at', String(Date.now() + 3_600_000));
    const emitted: Array<{ id: string; status: string; at: number }> = [];
    const watched = Promise.all(ids.map((id) => lastValueFrom(a.genlook.generation$(id).pipe(tap((g: Generation) => emitted.push({ id, status: g.status, at: Date.now() })), toArray()))));
    await until(() => emitted.length === 2, 'both first statuses');
    const readsBefore = seen.filter(isReadOf(ids[0]!)).length;
    const item = { id: ids[0], status: 'COMPLETED', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), generationTimeMs: 10 };
    // Garbage first (ignored), then a well-formed sweep that lies, until the client has read the id for it.
    while (seen.filter(isReadOf(ids[0]!)).length === readsBefore) {
      await hostile.publish(`${PREFIX}:{sweeps}`, 'intruder {not json');
      await hostile.publish(`${PREFIX}:{sweeps}`, `intruder ${JSON.stringify({ items: [item], hasMore: false })}`);
      await sleep(20);
    }
    // The read the lie cost answered PENDING (the outcome is seconds away): nothing was emitted for it.
    await sleep(POLL);
    expect(emitted.filter((entry) => entry.id === ids[0]).map((entry) => entry.status)).toEqual(['PENDING']);
    const results = await watched;
    expect(results.map((list) => list.map((g) => g.status))).toEqual([['PENDING', 'COMPLETED'], ['PENDING', 'COMPLETED']]);
    // The COMPLETED emitted at the end is the API's, with its result.
    expect(results[0]!.at(-1)!.resultImageUrl).toMatch(/^https?:/);
    await a.close();
  });
});
