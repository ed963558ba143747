import { describe, expect, it } from 'vitest';
import { type GenlookRedisWarning, redisBudget, type RedisBudgetOptions } from '../../src/redis/index.js';
import { fallbackShare } from '../../src/redis/fallback-share.js';
import { createFleetPeak } from '../../src/redis/fleet-peak.js';
import { type FleetAnswer, manualScheduler, scriptedRedis } from './manual-redis.js';
import { useRedisServer } from './redis-server.js';

// The settings below: the account's window (60 s, a 500 ms margin: grants count for 60.5 s), a burst of 10,
// `commandTimeout` 1 s, `heartbeatInterval` 1 s, `probeInterval` 5 s: the defaults.
const SPAN = 60_500;

/** A budget on a stand-in Redis in manual time, with its grants and warnings recorded. */
function fleetMember(answer: FleetAnswer, options: Partial<RedisBudgetOptions> = {}, isDown = false) {
  const scheduler = manualScheduler();
  const redis = scriptedRedis(answer, scheduler.now);
  redis.isDown = isDown;
  const budget = redisBudget({ redis, scheduler, requestsPerMinute: 30, ...options });
  const warnings: GenlookRedisWarning[] = [];
  budget.warnings$.subscribe((warning) => warnings.push(warning));
  const granted: number[] = [];
  const take = (count: number) => {
    for (let index = 0; index < count; index++) budget.take(() => granted.push(scheduler.now()));
  };
  return { scheduler, redis, budget, warnings, granted, take };
}

describe("redisBudget's fallback: the fleet's fallbacks together keep the limit", () => {
  it('a process that never reached Redis assumes ten processes and a full window: nothing for one window, then a tenth of the limit', async () => {
    const member = fleetMember({ processes: 1, used: 0, peak: 1, peakTtl: 1 }, { requestsPerMinute: 100 }, true);
    member.take(11);
    await member.scheduler.advance(1_000);
    expect(member.warnings.map((warning) => [warning.code, warning.fallbackRequestsPerMinute])).toEqual([['REDIS_UNAVAILABLE', 10]]);
    // On its fallback from 1 s: its window counts as full until 1 s + SPAN.
    await member.scheduler.advance(SPAN - 1);
    expect(member.granted).toEqual([]);
    await member.scheduler.advance(1);
    expect(member.granted).toEqual(Array(10).fill(1_000 + SPAN));
    member.budget.close?.();
  });

  it("counts as spent in its first window its share of what the fleet may have spent since its last answer, not the count of that answer", async () => {
    // Its last heartbeat (t = 0) saw three processes and an empty window; Redis freezes at 500 ms, the
    // next heartbeat (1 s) goes unanswered, the fallback starts at 2 s. Meanwhile the fleet could have
    // spent its burst (10) and one paced grant (one per 60.5 s / 30 = 2,017 ms): 11, a third of which
    // (4) is this process's; its share is 30 / 3 = 10, so 6 go in the first window.
    const member = fleetMember({ processes: 3, used: 0, peak: 3, peakTtl: 600_000 });
    await member.scheduler.advance(500);
    member.redis.isDown = true;
    await member.scheduler.advance(1_000);
    member.take(10);
    await member.scheduler.advance(500);
    expect(member.warnings.map((warning) => warning.fallbackRequestsPerMinute)).toEqual([10]);
    expect(member.granted).toEqual(Array(6).fill(2_000));
    await member.scheduler.advance(SPAN);
    expect(member.granted).toHaveLength(10);
    member.budget.close?.();
  });

  it('divides the limit by the largest fleet seen in the last fleetMemoryMs, though Redis counts fewer now (a restart that lost the registry)', async () => {
    const member = fleetMember({ processes: 3, used: 0, peak: 3, peakTtl: 20_000 }, { fleetMemoryMs: 20_000 });
    await member.scheduler.advance(100);
    // From now on Redis counts this process alone (the others' heartbeats are not in yet).
    member.redis.answer = { processes: 1, used: 0, peak: 1, peakTtl: 20_000 };
    await member.scheduler.advance(5_000);
    // It tells Redis what it remembers (ARGV 8 and 9: 3 processes, for 15 s more), so Redis can restore it.
    const last = member.redis.calls.filter((call) => call.script === 'HEARTBEAT').at(-1)!;
    expect(last.argv.slice(7, 9)).toEqual([3, 15_000]);
    member.redis.isDown = true;
    await member.scheduler.advance(2_000);
    expect(member.warnings.map((warning) => warning.fallbackRequestsPerMinute)).toEqual([10]);
    member.budget.close?.();
  });

  it('takes the whole limit again only once it has been alone for fleetMemoryMs', async () => {
    const member = fleetMember({ processes: 3, used: 0, peak: 3, peakTtl: 20_000 }, { fleetMemoryMs: 20_000 });
    await member.scheduler.advance(100);
    member.redis.answer = { processes: 1, used: 0, peak: 1, peakTtl: 20_000 };
    await member.scheduler.advance(21_000);
    member.redis.isDown = true;
    await member.scheduler.advance(2_000);
    expect(member.warnings.map((warning) => warning.fallbackRequestsPerMinute)).toEqual([30]);
    member.budget.close?.();
  });

  it('when Redis returns, writes what its fallback granted into the shared window and stays on the fallback until the fleet resumes', async () => {
    const member = fleetMember({ processes: 3, used: 0, peak: 3, peakTtl: 600_000, resumeIn: 3_000 });
    await member.scheduler.advance(100);
    member.redis.isDown = true;
    member.take(3);
    // The take's call times out at 1.1 s: 3 granted on the fallback (6 allowed in its first window).
    await member.scheduler.advance(1_000);
    expect(member.granted).toEqual([1_100, 1_100, 1_100]);
    member.redis.isDown = false;
    // The probe at 6.1 s finds Redis: the three grants are written, made 5 s ago on Redis's clock.
    await member.scheduler.advance(5_000);
    const records = member.redis.calls.filter((call) => call.script === 'RECORD');
    expect(records.map((call) => [call.at, call.argv.slice(9)])).toEqual([[6_100, [5_000, 5_000, 5_000]]]);
    // Until the fleet resumes (6.1 s + 3 s), grants still come from the fallback, each written to Redis.
    await member.scheduler.advance(100);
    member.take(2);
    await member.scheduler.advance(100);
    expect(member.granted.slice(3)).toEqual([6_200, 6_200]);
    const afterRecovery = member.redis.calls.filter((call) => call.at >= 6_100 && call.at < 9_100);
    expect(afterRecovery.filter((call) => call.script === 'TAKE')).toEqual([]);
    expect(afterRecovery.filter((call) => call.script === 'RECORD').flatMap((call) => call.argv.slice(9))).toEqual([5_000, 5_000, 5_000, 0, 0]);
    // Then the shared budget grants.
    await member.scheduler.advance(2_800);
    member.take(1);
    await member.scheduler.advance(10);
    expect(member.redis.calls.filter((call) => call.script === 'TAKE' && call.at >= 9_100)).toHaveLength(1);
    expect(member.granted).toHaveLength(6);
    expect(member.warnings.map((warning) => warning.code)).toEqual(['REDIS_UNAVAILABLE', 'REDIS_RECOVERED']);
    member.budget.close?.();
  });

  it('checks its new options once', () => {
    const redis = scriptedRedis({ processes: 1, used: 0, peak: 1, peakTtl: 1 }, () => 0);
    expect(() => redisBudget({ redis, fleetMemoryMs: 0 })).toThrow('Expected `fleetMemoryMs` to be a positive integer, got 0');
    expect(() => redisBudget({ redis, assumedProcesses: 1.5 })).toThrow('Expected `assumedProcesses` to be a positive integer, got 1.5');
  });

  it('fallbackShare and the fleet memory, on their own', () => {
    const base = { limit: 40, burst: 5, spacing: 54, fleet: 3, assumedProcesses: 10, now: 1_000 };
    // A fresh answer with a full window: nothing more in this window.
    expect(fallbackShare({ ...base, used: 40, usedAt: 1_000 })).toEqual({ requestsPerWindow: 13, spent: 13 });
    // An empty window 100 ms ago: the burst and two paced grants may have gone since, 7, a third of it 3.
    expect(fallbackShare({ ...base, used: 0, usedAt: 900 })).toEqual({ requestsPerWindow: 13, spent: 3 });
    expect(fallbackShare({ ...base, fleet: 0, used: 0, usedAt: undefined })).toEqual({ requestsPerWindow: 4, spent: 4 });
    const peak = createFleetPeak(1_000);
    peak.observe(3, 0);
    peak.observe(1, 500);
    expect([peak.size(900), peak.remaining(900)]).toEqual([3, 100]);
    expect([peak.size(1_001), peak.remaining(1_001)]).toEqual([1, 0]);
    // A count Redis remembered (seen 400 ms before it was read) is taken at its own time.
    peak.observe(2, 1_100);
    expect(peak.size(1_500)).toBe(2);
  });
});

describe('the fleet size in Redis (its Lua, on a real redis-server)', () => {
  const server = useRedisServer();

  it('Redis keeps the largest fleet counted, and a process restores it after Redis lost it', async () => {
    const admin = server.connect();
    const key = `peak:${Date.now()}`;
    // The first process's answers: { wait, processes, grants, peak, ms the peak is remembered }.
    const answers: number[][] = [];
    const first = server.connect();
    const watched = { eval: (...args: Parameters<typeof first.eval>) => first.eval(...args).then((answer) => (answers.push(answer as number[]), answer)) };
    const budgets = [redisBudget({ redis: watched, key, heartbeatInterval: 20 }), redisBudget({ redis: server.connect(), key, heartbeatInterval: 20 }), redisBudget({ redis: server.connect(), key, heartbeatInterval: 20 })];
    const until = async (fact: () => Promise<boolean> | boolean) => {
      while (!(await fact())) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until(() => answers.some((answer) => answer[1] === 3 && answer[3] === 3));
    // Two processes leave, and Redis loses everything (a restart without persistence).
    budgets[1]!.close?.();
    budgets[2]!.close?.();
    await admin.flushall();
    const flushed = answers.length;
    await until(() => answers.slice(flushed).some((answer) => answer[1] === 1));
    // The one left counts itself alone, yet writes back the 3 it remembers, for what is left of its memory.
    expect(await admin.get(`${key}:fleet`)).toBe('3');
    const ttl = await admin.pttl(`${key}:fleet`);
    expect(ttl).toBeGreaterThan(500_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    budgets[0]!.close?.();
  });
});
