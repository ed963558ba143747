import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { GenerationFailedError, GenlookApiError, type Genlook } from '../../src/index.js';
import { coordinatedChannel } from '../../src/redis/coordinated-channel.js';
import { type GenlookRedisWarning, redisCoordinator, type RedisCoordinatorOptions } from '../../src/redis/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { ACQUIRE_SCRIPT } from '../../src/redis/coordinator-scripts.js';
import { sleep, until, useSimulator } from '../helpers/simulator.js';
import { type SeenRequest, startCountingProxy } from './counting-proxy.js';
import { startRedisServer, useRedisServer } from './redis-server.js';

// Real time at scale 1: PENDING, then PROCESSING at 300 ms, the outcome at 600 ms; polls every 50 ms.
const steps = [{ at: 0, status: 'PENDING' }, { at: 300, status: 'PROCESSING' }, { at: 600, status: 'COMPLETED' }];
const POLL = 50;

describe('one poll per generation across clients, on Redis (redisCoordinator)', () => {
  const server = useRedisServer();
  beforeEach(async () => {
    // Each test's simulator numbers its ids from gen_sim_000001 again: the previous test's outcomes must go.
    await server.connect().flushall();
  });
  const sim = useSimulator();

  /** A client with its own Redis connection and coordinator, as one process of a fleet would have. */
  const member = (simulator: Simulator, options: Partial<RedisCoordinatorOptions> = {}, url = server.url, client: { baseUrl?: string; pollInterval?: number } = {}) => {
    const redis = server.connect(url);
    // Every script this process runs, in order (a join or a takeover attempt is ACQUIRE_SCRIPT).
    const scripts: string[] = [];
    const logged = { eval: (script: string, keys: number, ...args: Array<string | number>) => (scripts.push(script), redis.eval(script, keys, ...args)), duplicate: () => redis.duplicate() };
    const coordinator = redisCoordinator({ redis: logged, leaseMs: 1_000, commandTimeout: 300, probeInterval: 200, ...options });
    const warnings: GenlookRedisWarning[] = [];
    coordinator.warnings$.subscribe((warning) => warnings.push(warning));
    // Per-id leases are the subject here (each test counts an id's own loop): the fleet's sweeps, which
    // would read pending ids through GET /generations instead, are tested in fleet-sweeps.test.ts.
    const genlook = sim.client(simulator, { pollInterval: POLL, coordinator, sweeps: false, ...client });
    const acquires = () => scripts.filter((script) => script === ACQUIRE_SCRIPT).length;
    return { genlook, coordinator, warnings, redis, acquires, scripts };
  };
  const statuses = (genlook: Genlook, id: string) => lastValueFrom(genlook.generation$(id).pipe(toArray())).then((list) => list.map((g) => g.status));

  it('three clients watching the same ids emit the same statuses for the requests of one poll loop', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const ids = Array.from({ length: 5 }, () => simulator.script(steps));
    const alone = simulator.script(steps);
    const members = [member(simulator), member(simulator), member(simulator)];
    const [results] = await Promise.all([
      Promise.all(members.map(({ genlook }) => Promise.all(ids.map((id) => statuses(genlook, id))))),
      // The yardstick: one client without a coordinator, polling one id on its own.
      statuses(sim.client(simulator, { pollInterval: POLL }), alone),
    ]);
    for (const result of results) expect(result).toEqual(Array(5).fill(['PENDING', 'PROCESSING', 'COMPLETED']));
    const oneLoop = simulator.requestsFor(alone).requests;
    for (const id of ids) {
      expect(simulator.requestsFor(id).maxConcurrent).toBe(1);
      // One loop, give or take the first answer raced by a second client's join.
      expect(simulator.requestsFor(id).requests).toBeLessThanOrEqual(oneLoop + 2);
    }
    expect(members.flatMap((m) => m.warnings)).toEqual([]);
  });

  it('a late subscriber in another client gets the latest status at once; after the outcome, without a request', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script(steps);
    const first = member(simulator);
    const second = member(simulator);
    const done = statuses(first.genlook, id);
    while (simulator.generation(id)?.status !== 'PROCESSING') await sleep(10);
    await sleep(POLL * 3);
    const asked = simulator.requestsFor(id).requests;
    const late = await firstValueFrom(second.genlook.generation$(id));
    expect(late.status).toBe('PROCESSING');
    // From Redis, not from a request of its own (the leaseholder's loop goes on at its pace).
    expect(simulator.requestsFor(id).requests - asked).toBeLessThanOrEqual(1);
    expect(await done).toEqual(['PENDING', 'PROCESSING', 'COMPLETED']);
    const before = simulator.requestsFor(id).requests;
    const third = member(simulator);
    expect(await statuses(third.genlook, id)).toEqual(['COMPLETED']);
    expect(simulator.requestsFor(id).requests).toBe(before);
  });

  it('when the leaseholder stops watching, a follower takes over at once (not after the lease)', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 1_500, status: 'COMPLETED' }]);
    const leader = member(simulator, { leaseMs: 20_000 });
    const follower = member(simulator, { leaseMs: 20_000 });
    const leading = leader.genlook.generation$(id).subscribe();
    while (simulator.requestsFor(id).requests === 0) await sleep(5);
    const started = Date.now();
    const followed = statuses(follower.genlook, id);
    await sleep(300);
    leading.unsubscribe();
    expect(await followed).toEqual(['PENDING', 'COMPLETED']);
    // Well within the 20 s lease: the release told the follower.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(simulator.requestsFor(id).maxConcurrent).toBe(1);
  });

  it('relays a failure as GenerationFailedError, and a 404 reaches every client as the API error', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const failing = simulator.script([{ at: 0, status: 'PENDING' }, { at: 200, status: 'FAILED', errorCode: 'PERSON_NOT_DETECTED', errorMessage: 'No person' }]);
    const [a, b] = [member(simulator), member(simulator)];
    const errors = await Promise.all([a, b].map(({ genlook }) => lastValueFrom(genlook.generation$(failing)).catch((error: unknown) => error)));
    for (const error of errors) {
      expect(error).toBeInstanceOf(GenerationFailedError);
      expect((error as GenerationFailedError).errorCode).toBe('PERSON_NOT_DETECTED');
    }
    const missing = await Promise.all([a, b].map(({ genlook }) => lastValueFrom(genlook.generation$('gen_missing')).catch((error: unknown) => error)));
    for (const error of missing) expect(error).toBeInstanceOf(GenlookApiError);
  });

  it('closing a leaseholder client releases its leases and a follower finishes the watch', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 800, status: 'COMPLETED' }]);
    const leader = member(simulator, { leaseMs: 20_000 });
    const follower = member(simulator, { leaseMs: 20_000 });
    const closed = lastValueFrom(leader.genlook.generation$(id)).catch((error: unknown) => error);
    while (simulator.requestsFor(id).requests === 0) await sleep(5);
    const followed = statuses(follower.genlook, id);
    await sleep(200);
    await leader.genlook.close();
    expect(await closed).toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(await followed).toEqual(['PENDING', 'COMPLETED']);
    expect(await leader.redis.keys('genlook-rx:poll:*:lease')).toEqual([]);
  });

  it('without Redis, polls locally and warns once', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    // Joining waits for Redis up to `commandTimeout` (300 ms) before polling here: PENDING lasts longer.
    const ids = Array.from({ length: 3 }, () => simulator.script([{ at: 0, status: 'PENDING' }, { at: 1_000, status: 'PROCESSING' }, { at: 1_300, status: 'COMPLETED' }]));
    const gone = await startRedisServer();
    await gone.stop();
    const lonely = member(simulator, {}, gone.url);
    const results = await Promise.all(ids.map((id) => statuses(lonely.genlook, id)));
    expect(results).toEqual(Array(3).fill(['PENDING', 'PROCESSING', 'COMPLETED']));
    expect(lonely.warnings.map((warning) => [warning.code, warning.source])).toEqual([['REDIS_UNAVAILABLE', 'coordinator']]);
  });

  it('does not trust what is not a generation: a garbled latest makes the process poll the id itself', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script(steps);
    const admin = member(simulator).redis;
    // A lease held by a process that will never publish, and a latest value that is not a generation.
    await admin.set(`${coordinatedChannel('genlook-rx:poll', id)}:lease`, 'ghost:1:x', 'PX', 60_000);
    await admin.hset(`${coordinatedChannel('genlook-rx:poll', id)}:latest`, { v: 1, status: 'PENDING', body: '{"generationId":42}' });
    const { genlook } = member(simulator);
    expect(await statuses(genlook, id)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED']);
    expect(simulator.requestsFor(id).requests).toBeGreaterThan(0);
  });

  it('a leaseholder that finds its lease taken stops polling, and takes over again when that lease lapses', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 2_000, status: 'COMPLETED' }]);
    const { genlook, redis, acquires } = member(simulator, { leaseMs: 600 });
    const done = statuses(genlook, id);
    await until(() => simulator.requestsFor(id).requests >= 3, 'three polls by the leaseholder');
    const lease = `${coordinatedChannel('genlook-rx:poll', id)}:lease`;
    // As after a Redis failover or a long freeze: another process holds the lease now, for 800 ms.
    const joins = acquires();
    await redis.set(lease, 'other-host:1:x', 'PX', 800);
    // It steps down (its renewal or its next answer finds the lease taken) and tries to take it again.
    await until(() => acquires() > joins, 'a takeover attempt: the leaseholder stepped down');
    const atStepDown = simulator.requestsFor(id).requests;
    // While the other process holds the lease, this one sends nothing: counted before each look at the lease.
    let whileTaken = atStepDown;
    for (;;) {
      const seen = simulator.requestsFor(id).requests;
      if ((await redis.get(lease)) !== 'other-host:1:x') break;
      whileTaken = seen;
    }
    expect(whileTaken).toBe(atStepDown);
    expect(await done).toEqual(['PENDING', 'COMPLETED']);
    expect(simulator.requestsFor(id).requests).toBeGreaterThan(atStepDown);
  });

  it("a leaseholder's renewal that finds the lease taken demotes it at once, before its next poll's answer could", async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 60_000, status: 'COMPLETED' }]);
    // Renewals every 200 ms, polls every 5 s: only the renewal can notice the lost lease before the next poll.
    const { genlook, redis, acquires } = member(simulator, { leaseMs: 600 }, server.url, { pollInterval: 5_000 });
    const watching = genlook.generation$(id).subscribe();
    const latest = `${coordinatedChannel('genlook-rx:poll', id)}:latest`;
    await until(() => simulator.requestsFor(id).requests === 1, 'the first poll');
    let published = false;
    await until(() => (redis.hget(latest, 'status').then((status) => (published = status === 'PENDING')), published), 'the first answer published');
    const joins = acquires();
    await redis.set(`${coordinatedChannel('genlook-rx:poll', id)}:lease`, 'other-host:1:x', 'PX', 60_000);
    await until(() => acquires() > joins, 'a takeover attempt: the leaseholder stepped down', 15_000);
    // Stepped down on its renewal, with no second poll sent (a demotion by the answer comes after one).
    expect(simulator.requestsFor(id).requests).toBe(1);
    watching.unsubscribe();
  });

  it('survives Redis losing its data mid-run (a restart without persistence): new versions still win', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 400, status: 'PROCESSING' }, { at: 900, status: 'COMPLETED' }]);
    const [leader, follower] = [member(simulator), member(simulator)];
    const led = statuses(leader.genlook, id);
    while (simulator.requestsFor(id).requests === 0) await sleep(5);
    const followed = statuses(follower.genlook, id);
    while (simulator.generation(id)?.status !== 'PROCESSING') await sleep(5);
    await sleep(100);
    await leader.redis.flushall();
    expect(await Promise.all([led, followed])).toEqual([
      ['PENDING', 'PROCESSING', 'COMPLETED'],
      ['PENDING', 'PROCESSING', 'COMPLETED'],
    ]);
  });

  it('after an outage, the watches that fell back join again: one loop per id once Redis is back', async () => {
    const own = await startRedisServer();
    const simulator = await sim.start({ timeScale: 1 });
    // Long enough for every phase below on a loaded machine (each waits for a fact, not a time).
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 20_000, status: 'PROCESSING' }, { at: 21_000, status: 'COMPLETED' }]);
    // Each client reaches the server through its own logging proxy: the server's log says who polled.
    const proxies = await Promise.all([startCountingProxy(simulator.baseUrl), startCountingProxy(simulator.baseUrl)]);
    const members = proxies.map((proxy) => member(simulator, {}, own.url, { baseUrl: proxy.baseUrl }));
    const watched = Promise.all(members.map(({ genlook }) => statuses(genlook, id)));
    /** Who sent each of the server's requests since `from` (an index into the merged log), in arrival order. */
    const senders = (from: number) => proxies.flatMap((proxy, index) => proxy.seen.map((entry: SeenRequest) => ({ at: entry.at, index }))).sort((a, b) => a.at - b.at).slice(from).map((entry) => entry.index);
    const total = () => proxies[0]!.seen.length + proxies[1]!.seen.length;
    const oneLoop = (from: number) => () => {
      const last = senders(from).slice(-10);
      return last.length === 10 && new Set(last).size === 1;
    };
    // Coordinated: the last ten requests came from one client.
    await until(oneLoop(0), 'ten polls in a row by one client', 10_000);
    await own.stop();
    // Both poll here during the outage: each sends three requests after both have warned.
    await until(() => members.every(({ warnings }) => warnings.length === 1), 'both on their fallback');
    const outage = proxies.map((proxy) => proxy.seen.length);
    await until(() => proxies.every((proxy, index) => proxy.seen.length >= outage[index]! + 3), 'both clients polling');
    const back = await startRedisServer(own.port);
    await until(() => members.every(({ warnings }) => warnings.length === 2), 'both back on Redis');
    // One loop again: ten requests in a row from one client (never, if both kept polling).
    const recovered = total();
    await until(oneLoop(recovered), 'ten polls in a row by one client after recovery', 10_000);
    for (const { warnings } of members) expect(warnings.map((warning) => warning.code)).toEqual(['REDIS_UNAVAILABLE', 'REDIS_RECOVERED']);
    expect(await watched).toEqual([
      ['PENDING', 'PROCESSING', 'COMPLETED'],
      ['PENDING', 'PROCESSING', 'COMPLETED'],
    ]);
    for (const proxy of proxies) await proxy.close();
    await back.stop();
  }, 30_000);

  it('after an outage, it is back on Redis only once the pub/sub connection answers too, not at the first answer of the other', async () => {
    const own = await startRedisServer();
    let back: Awaited<ReturnType<typeof startRedisServer>> | undefined;
    try {
      const simulator = await sim.start({ timeScale: 1 });
      // The outcome may come during the outage or after it: the probes go on either way.
      const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 5_000, status: 'COMPLETED' }]);
      const subscriber = server.connect(own.url);
      const one = member(simulator, { subscriber }, own.url);
      const watched = statuses(one.genlook, id);
      watched.catch(() => {}); // awaited below; not unhandled when an assertion fails first
      await until(() => simulator.requestsFor(id).requests >= 2, 'the id polled');
      await own.stop();
      await until(() => one.warnings.length === 1, 'on its fallback');
      // The pub/sub connection stays closed (ioredis does not reconnect after disconnect()) while Redis comes back.
      subscriber.disconnect();
      back = await startRedisServer(own.port);
      const probes = () => one.scripts.filter((script) => script === 'return 1').length;
      const before = probes();
      // Each probe after the restart finds the command connection answering; the pub/sub one does not.
      await until(() => probes() >= before + 3, 'three probes with Redis back');
      expect(one.warnings.map((warning) => warning.code)).toEqual(['REDIS_UNAVAILABLE']);
      await subscriber.connect();
      await until(() => one.warnings.length === 2, 'back on Redis');
      expect(one.warnings.map((warning) => warning.code)).toEqual(['REDIS_UNAVAILABLE', 'REDIS_RECOVERED']);
      expect(await watched).toEqual(['PENDING', 'COMPLETED']);
    } finally {
      await own.stop();
      await back?.stop();
    }
  }, 30_000);

  it('checks its options and the client checks the coordinator', async () => {
    const simulator = await sim.start();
    const redis = { eval: async () => 1, duplicate: () => ({}) };
    expect(() => redisCoordinator({ redis, leaseMs: 0 })).toThrow('Expected `leaseMs` to be a positive number, got 0');
    expect(() => redisCoordinator({ redis, key: '' })).toThrow(/`key`/);
    expect(() => redisCoordinator({ redis: { eval: async () => 1 } })).toThrow(/`subscriber`/);
    expect(() => redisCoordinator({ redis: {} as never })).toThrow(/ioredis client/);
    expect(() => sim.client(simulator, { coordinator: {} as never })).toThrow(TypeError);
  });

  it('refuses a coordinator shared by two clients', async () => {
    const simulator = await sim.start();
    const { coordinator } = member(simulator);
    expect(() => sim.client(simulator, { coordinator })).toThrow(/one client/);
  });
});
