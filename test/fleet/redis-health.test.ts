// createRedisHealth (src/redis/redis-health.ts), the outage tracking of the Redis budget and coordinator, in manual time.
import { describe, expect, it } from 'vitest';
import type { GenlookRedisWarning } from '../../src/redis/index.js';
import { createRedisHealth } from '../../src/redis/redis-health.js';
import { manualScheduler } from './manual-redis.js';

describe('createRedisHealth', () => {
  it('a probe that throws at once (a stand-in client, not a rejected promise) is a failed probe: still down, probing again, then back', async () => {
    const scheduler = manualScheduler();
    let isConnected = false;
    const codes: string[] = [];
    const health = createRedisHealth({
      redis: { eval: async () => 1 },
      commandTimeout: 100,
      probeInterval: 1_000,
      scheduler,
      warning: (code) => ({ code }) as GenlookRedisWarning,
      onRecovered: () => codes.push('onRecovered'),
      probe: () => {
        if (!isConnected) throw new Error('Connection is closed');
        return Promise.resolve(1);
      },
    });
    health.warnings$.subscribe((warning) => codes.push(warning.code));
    health.fail(new Error('down'));
    await scheduler.advance(1_000);
    await scheduler.advance(1_000);
    expect(health.isDown).toBe(true);
    expect(codes).toEqual(['REDIS_UNAVAILABLE']);
    isConnected = true;
    await scheduler.advance(1_000);
    expect(health.isDown).toBe(false);
    expect(codes).toEqual(['REDIS_UNAVAILABLE', 'REDIS_RECOVERED', 'onRecovered']);
    health.close();
  });
});
