import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGenlook, type Generation, type Transport } from '../../src/index.js';
import { coordinatedChannel } from '../../src/redis/coordinated-channel.js';
import { type GenlookRedisWarning, redisCoordinator } from '../../src/redis/index.js';
import { isPlausibleVersion } from '../../src/redis/relayed-generation.js';
import { completed, pending, processing } from '../../src/testing/index.js';
import { sleep } from '../helpers/simulator.js';
import { useRedisServer } from './redis-server.js';

const PREFIX = 'genlook-rx:poll';

/** Waits for a fact, checking every 10 ms, for at most 15 s (a loaded machine), then fails. */
async function until(fact: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !fact(); waited += 10) {
    if (waited > 15_000) throw new Error(`gave up waiting until ${what}`);
    await sleep(10);
  }
}

/** A fake API for one process: each id answers `answer(id)`; requests are counted per id. */
function api(answer: (id: string) => Generation) {
  const requests = new Map<string, number>();
  const transport: Transport = {
    request: async (request) => {
      const id = decodeURIComponent(request.url.split('/generations/')[1]!);
      requests.set(id, (requests.get(id) ?? 0) + 1);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer(id)) };
    },
  };
  return { transport, requests: (id: string) => requests.get(id) ?? 0 };
}

/** One process of a fleet: its own Redis connection, coordinator and client. */
function member(redis: Redis, answer: (id: string) => Generation) {
  const coordinator = redisCoordinator({ redis, leaseMs: 5_000, commandTimeout: 2_000, probeInterval: 200 });
  const warnings: GenlookRedisWarning[] = [];
  coordinator.warnings$.subscribe((warning) => warnings.push(warning));
  const fake = api(answer);
  const genlook = createGenlook({ apiKey: 'gk_test_fleet', baseUrl: 'https://api.genlook.app/tryon/v1', transport: fake.transport, pollInterval: 20, rateLimit: false, coordinator });
  /** Watches `id`, recording every emission; `done` settles with the stream. */
  const watch = (id: string) => {
    const seen: Generation[] = [];
    const done = new Promise<unknown>((resolve) => genlook.generation$(id).subscribe({ next: (generation) => seen.push(generation), error: resolve, complete: () => resolve(undefined) }));
    return { seen, done };
  };
  return { genlook, warnings, watch, requests: fake.requests };
}

describe('a fleet trusts nothing on Redis it did not check (issue 21, defects 5 and 6)', () => {
  const server = useRedisServer();
  beforeEach(async () => {
    await server.connect().flushall();
  });

  /** gen_x is PENDING until `finish()`, then COMPLETED; process A leads it, B follows (it sends no request). */
  async function leaderAndFollower() {
    let finished = false;
    const answer = (id: string) => (finished ? completed(id) : pending(id));
    const leader = member(server.connect(), answer);
    const follower = member(server.connect(), answer);
    const led = leader.watch('gen_x');
    await until(() => led.seen.length > 0, 'the leaseholder has polled');
    const followed = follower.watch('gen_x');
    await until(() => followed.seen.length > 0, 'the follower has the relayed PENDING');
    expect(follower.requests('gen_x')).toBe(0);
    const redisTime = async () => {
      const [seconds = 0, micros = 0] = (await server.connect().time()).map(Number);
      return seconds * 1_000_000 + micros;
    };
    return { leader, follower, led, followed, finish: () => (finished = true), redisTime, hostile: server.connect() };
  }

  it("ignores a PUBLISH of another id's generation on gen_x's channel, in the follower and in the leaseholder", async () => {
    const { led, followed, finish, redisTime, hostile } = await leaderAndFollower();
    // A plausible version (Redis's clock) with gen_y's outcome on gen_x's channel.
    await hostile.publish(coordinatedChannel(PREFIX, 'gen_x'), `${(await redisTime()) + 1} ${JSON.stringify(completed('gen_y'))}`);
    finish();
    await Promise.all([led.done, followed.done]);
    for (const seen of [led.seen, followed.seen]) {
      expect(seen.map((generation) => generation.generationId)).toEqual(['gen_x', 'gen_x']);
      expect(seen.map((generation) => generation.status)).toEqual(['PENDING', 'COMPLETED']);
    }
  });

  it.each([['1e300'], ['9007199254740993'], ['one hour past the clock']])('a version of %s neither is relayed nor hides the later ones', async (shown) => {
    const { followed, finish, redisTime, hostile } = await leaderAndFollower();
    const version = shown === 'one hour past the clock' ? String((await redisTime()) + 3_600_000_000) : shown;
    await hostile.publish(coordinatedChannel(PREFIX, 'gen_x'), `${version} ${JSON.stringify(processing('gen_x'))}`);
    finish();
    await followed.done;
    expect(followed.seen.map((generation) => generation.status)).toEqual(['PENDING', 'COMPLETED']);
  });

  it('relays a generation in the safe form of an HTTP answer (decoded by the same parser)', async () => {
    const { followed, finish, redisTime, hostile } = await leaderAndFollower();
    const hostileText = processing('gen_x', { errorMessage: 'x\u001b]52;c;ZXZpbA==\u0007\r\nFAKE' });
    await hostile.publish(coordinatedChannel(PREFIX, 'gen_x'), `${(await redisTime()) + 1} ${JSON.stringify(hostileText)}`);
    await until(() => followed.seen.length > 1, 'the follower relayed PROCESSING');
    expect(followed.seen[1]?.errorMessage).toBe('x\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{d}\\u{a}FAKE');
    finish();
    await followed.done;
  });

  it('refuses versions Redis cannot have written', () => {
    const now = Date.UTC(2026, 11, 3);
    expect(isPlausibleVersion(now * 1000, now)).toBe(true);
    for (const version of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300, 2 ** 53 + 2, (now + 3_600_000) * 1000]) expect(isPlausibleVersion(version, now)).toBe(false);
  });
});

/** A free port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A one-node Redis Cluster on 127.0.0.1 (cluster mode, every slot on this node): it refuses a script
 * whose keys are in different slots with CROSSSLOT, as a real cluster does.
 */
function useClusterNode() {
  let child: ChildProcess | undefined;
  let folder = '';
  let url = '';
  const connections: Redis[] = [];
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'genlook-rx-cluster-'));
    const port = await freePort();
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes', '--cluster-config-file', join(folder, 'nodes.conf'), '--dir', folder], { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
    const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
    admin.on('error', () => {});
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.connect();
        await admin.ping();
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        await sleep(100);
      }
    }
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    for (let attempt = 0; !String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'); attempt++) {
      if (attempt > 200) throw new Error('the cluster node did not become ready');
      await sleep(50);
    }
    admin.disconnect();
  });
  afterEach(() => {
    for (const connection of connections.splice(0)) connection.disconnect();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) await new Promise((resolve) => (child!.once('exit', resolve), child!.kill('SIGKILL')));
    await rm(folder, { recursive: true, force: true });
  });
  return {
    connect(): Redis {
      const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
      redis.on('error', () => {});
      connections.push(redis);
      return redis;
    },
  };
}

describe('in Redis Cluster, no id can split its keys across slots (issue 21, defect 5)', () => {
  const cluster = useClusterNode();
  const hostileIds = ['}x', '{', '{}', '}', 'a}b{c', 'gen_{1}', '{gen}_2'];

  it('ids holding { or } are coordinated (no CROSSSLOT, no fallback to local polls), one poll loop per id', async () => {
    let finished = false;
    const answer = (id: string) => (finished ? completed(id) : pending(id));
    const first = member(cluster.connect(), answer);
    const second = member(cluster.connect(), answer);
    const firstWatches = hostileIds.map((id) => first.watch(id));
    await until(() => firstWatches.every((watch) => watch.seen.length > 0), 'the first process polled every id');
    const secondWatches = hostileIds.map((id) => second.watch(id));
    await until(() => secondWatches.every((watch) => watch.seen.length > 0), 'the second process has every id');
    finished = true;
    await Promise.all([...firstWatches, ...secondWatches].map((watch) => watch.done));
    expect([...first.warnings, ...second.warnings]).toEqual([]);
    // The second process followed: the first one's loop polled each id, the second sent nothing.
    for (const id of hostileIds) expect(second.requests(id)).toBe(0);
    for (const watch of secondWatches) expect(watch.seen.at(-1)?.status).toBe('COMPLETED');
  });

  it('the two keys of an id share one non-empty hash tag made of a digest, whatever the id', () => {
    const tagOf = (key: string) => {
      const open = key.indexOf('{');
      const close = key.indexOf('}', open + 1);
      return open === -1 || close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
    };
    for (const id of [...hostileIds, 'gen_1', 'x'.repeat(256)]) {
      const channel = coordinatedChannel(PREFIX, id);
      expect(tagOf(`${channel}:lease`)).toBe(tagOf(`${channel}:latest`));
      expect(tagOf(`${channel}:lease`)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });
});
