import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { redisBudget, redisCoordinator } from '../../src/redis/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { readEvents } from '../helpers/server-sent-events.js';
import { useSimulator } from '../helpers/simulator.js';
import { appModule } from './nest-app.js';
import { useRedisServer } from './redis-server.js';

describe('the NestJS recipe scaled to two instances on one Redis (docs/fleet.md)', () => {
  const server = useRedisServer();
  const apps: INestApplication[] = [];
  afterEach(async () => {
    // app.close() closes the client, which releases its leases and closes the coordinator's connection
    // (registered after useRedisServer, so it runs before the connections are dropped).
    for (const app of apps.splice(0)) await app.close();
  });
  const sim = useSimulator();

  /** One instance of the app, wired as docs/fleet.md says: a shared budget and a coordinator. */
  async function instance(simulator: Simulator, key: string): Promise<string> {
    const redis = server.connect();
    const app = await NestFactory.create(
      appModule(() => ({
        baseUrl: simulator.baseUrl,
        apiKey: simulator.apiKey,
        pollInterval: 100,
        // A budget wide enough that only the coordination keeps the second instance from polling.
        rateLimit: redisBudget({ redis, key: `${key}:budget`, requestsPerMinute: 6_000, burst: 50 }),
        coordinator: redisCoordinator({ redis, key: `${key}:poll`, leaseMs: 2_000 }),
      })),
      { logger: false },
    );
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  it('a browser that reconnects to the other instance follows the poll already running there: one loop for the id', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 1_000, status: 'PROCESSING' }, { at: 2_000, status: 'COMPLETED' }]);
    const key = `nest:${Date.now()}`;
    const [a, b] = [await instance(simulator, key), await instance(simulator, key)];
    // Two tabs watch the try-on through instance A; the second's connection drops after the first event and
    // the browser reconnects, to B this time. A keeps polling for the first tab; B must not start a second loop.
    const first = readEvents(`${a}/try-ons/${id}/events`);
    const dropped = await readEvents(`${a}/try-ons/${id}/events`, (events) => events.length === 1);
    expect(dropped.map((event) => event.data.status)).toEqual(['PENDING']);
    const reconnected = await readEvents(`${b}/try-ons/${id}/events`);
    const expected = [['status', 'PENDING'], ['status', 'PROCESSING'], ['status', 'COMPLETED'], ['end', 'completed']];
    expect((await first).map((event) => [event.type, event.data.status ?? event.data.outcome])).toEqual(expected);
    // The reconnected stream starts at the latest status (from Redis) and ends the same way.
    expect(reconnected.at(-1)).toMatchObject({ type: 'end', data: { outcome: 'completed' } });
    expect(reconnected.map((event) => event.data.status).filter(Boolean)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED'].slice(-(reconnected.length - 1)));
    const counters = simulator.requestsFor(id);
    expect(counters.maxConcurrent).toBe(1);
    // One loop: 2 s at one request per 100 ms is about 20; A and B both polling would be about 40.
    expect(counters.requests).toBeLessThanOrEqual(25);
    console.log(`two Nest instances, one id: ${counters.requests} requests`);
  }, 30_000);
});
