import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** A free port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real redis-server on 127.0.0.1 at a free port (or `port`, to restart one), no persistence;
 * `.ci/run` installs Debian's package.
 */
export async function startRedisServer(port?: number): Promise<{ url: string; port: number; stop(): Promise<void>; freeze(): void; thaw(): void; process: ChildProcess }> {
  if (spawnSync('redis-server', ['--version']).error !== undefined) {
    throw new Error('redis-server is not installed: the fleet tests start a real one (`.ci/run` installs it; on Debian: apt-get install redis-server)');
  }
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch (error) {
      probe.disconnect();
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    port,
    process: child,
    // SIGSTOP: the server keeps its connections open and answers nothing (a hung host, a stalled VM), the
    // outage a client notices only by its own time limits; SIGCONT ends it, with the data intact.
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * One redis-server for a test file (started before its tests, stopped after them), and ioredis
 * connections to it that are closed after each test.
 */
export function useRedisServer() {
  let server: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  const connections: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(() => {
    for (const connection of connections.splice(0)) connection.disconnect();
  });
  return {
    get url(): string {
      return server!.url;
    },
    /** A connection closed after the test; `url` defaults to this file's server. */
    connect(url = server!.url, options: RedisOptions = {}): Redis {
      const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 200, ...options });
      redis.on('error', () => {});
      connections.push(redis);
      return redis;
    },
  };
}
