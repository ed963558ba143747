import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The runner shared with `npm run soak`; it drives the built package (npm test builds before vitest).
import { FAULT_MIX, runChaos } from '../scripts/chaos.mjs';

describe('chaos soak (bounded): 1,000 generations through a seeded mix of faults and a 10 s outage', () => {
  const unexpected: unknown[] = [];
  const record = (error: unknown) => unexpected.push(error);
  beforeAll(() => {
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
  });
  afterAll(() => {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
  });

  it('every generation ends with the outcome the simulator holds, with no stale status, no overlap and nothing left behind', async () => {
    const count = (types: string[]) => types.filter((type) => type === 'Timeout' || type === 'TCPSocketWrap' || type === 'TCPServerWrap').length;
    const before = count(process.getActiveResourcesInfo());
    // The outage starts 2 s in and lasts 10 s: most generations end on the server meanwhile.
    // 100 more generations (24 s each) are followed by browsers through the proxy's event stream; the
    // proxy restarts on its port once the outage is over and each of those streams has had an event,
    // and they come back 100 ms later (its `retry:`): a proxy that ignored Last-Event-ID would repeat.
    const summary = await runChaos({ generations: 1000, seed: 42, outage: { atMs: 2_000, durationMs: 10_000 }, eventStreams: { count: 100, lastsMs: 24_000, restartAtMs: 12_000 } });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(summary.generations).toBe(1000);
    // What the simulator injected (its own counts), kind by kind: every fault of the mix happened, the
    // 5xx at about their share of the reads.
    const share = (count: number) => count / summary.requests;
    expect(share(summary.faults.serverError)).toBeGreaterThan(FAULT_MIX.serverError * 0.7);
    expect(share(summary.faults.serverError)).toBeLessThan(FAULT_MIX.serverError * 1.3);
    for (const kind of ['reset', 'malformed', 'stall', 'stale', 'rateLimited'] as const) expect(summary.faults[kind], kind).toBeGreaterThan(0);
    expect(summary.faults.stale).toBeGreaterThan(20);
    expect(summary.outageDropped).toBeGreaterThan(100);
    // Sweeps ran (the list lagging by 1 s, with its own faults), and no status moved backwards for it.
    expect(summary.listRequests).toBeGreaterThan(10);
    // The list's faults are drawn per page and per item, so which kinds a run meets depends on how many
    // pages it read (a run of a dozen pages may meet no 5xx): some fault, of any kind, must have come.
    // Each kind is tested alone in test/sweeps-end-to-end.test.ts.
    const { none: _clean, ...listFaultKinds } = summary.listFaults;
    expect(Object.values(listFaultKinds).reduce((sum, count) => sum + count, 0) + summary.listItemsOmitted).toBeGreaterThan(0);
    expect(summary.mismatches).toEqual([]);
    expect(summary.outcomes.mismatched).toBe(0);
    expect(summary.outcomes.otherErrors).toBe(0);
    // A watch retries while its last good answer is recent: no outage of 10 s or burst of faults ends one.
    expect(summary.outcomes.transientExhausted).toBe(0);
    expect(summary.outcomes.completed + summary.outcomes.failedAsScripted + summary.outcomes.invalidResponse).toBe(1000);
    expect(summary.staleEmissions).toBe(0);
    // Across the restart: every stream reconnected with Last-Event-ID and ended with the simulator's
    // outcome; no event came twice or out of order.
    expect(summary.eventStreams).toMatchObject({ streams: 100, restarts: 1, repeated: 0, outOfOrder: 0, wrongOrMissingOutcome: 0 });
    expect(summary.eventStreams.openAtRestart).toBe(100);
    expect(summary.eventStreams.reconnects).toBeGreaterThanOrEqual(100);
    // PENDING before the restart, the outcome after it, PROCESSING unless the outage hid it.
    expect(summary.eventStreams.events).toBeGreaterThanOrEqual(200);
    expect(summary.maxConcurrentPerId).toBe(1);
    expect(unexpected).toEqual([]);
    // After close(), the client holds no timer or socket (the simulator is closed too).
    expect(count(process.getActiveResourcesInfo())).toBeLessThanOrEqual(before);
    console.log(`soak: ${summary.generations} generations in ${summary.seconds} s, ${summary.faultsInjected} faults, ${summary.outageDropped} dropped by the outage, lost 0, stale emissions ${summary.staleEmissions}, invalid bodies surfaced ${summary.outcomes.invalidResponse}; event streams ${JSON.stringify(summary.eventStreams)}`);
  }, 90_000);

  it('a process that watched through faults and closed its client exits on its own', () => {
    const fixture = fileURLToPath(new URL('./fixtures/exit-on-its-own.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 30_000 });
    expect(run.signal).toBeNull(); // not killed by the timeout: it ended by itself
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout.trim()) as { completed: number; resources: string[] };
    expect(report.completed).toBe(15);
    expect(report.resources.filter((type) => type !== 'TTYWrap' && type !== 'PipeWrap')).toEqual([]);
  }, 40_000);
});
