import { describe, expect, it } from 'vitest';
import { runProxyLoad } from './proxy/proxy-load.js';

// The short form runs in `npm test`; the full one (docs/proxy.md) is
// `PROXY_LOAD_STREAMS=1000 PROXY_LOAD_IDS=50 npx vitest run test/proxy-load.test.ts`.
const streams = Number(process.env.PROXY_LOAD_STREAMS ?? 200);
const ids = Number(process.env.PROXY_LOAD_IDS ?? 10);

describe(`genlook-rx/proxy under load: ${streams} event streams on ${ids} ids, in a process of its own`, () => {
  it('holds one upstream poll loop per id, bounded memory, and stops every loop when the streams all go', { timeout: 300_000 }, async () => {
    const summary = await runProxyLoad({ streams, ids });
    console.log(`proxy load: ${JSON.stringify(summary)}`);
    // One loop per id: every id polled, never two reads of one id at once, and no id read more often
    // than the reference loop (a single watch at the same cadence) over the same window.
    expect(summary.polledIds).toBe(ids);
    expect(summary.maxConcurrentPerId).toBe(1);
    expect(summary.maxReadsPerId).toBeLessThanOrEqual(summary.referenceReads + 2);
    expect(summary.totalReads).toBeLessThanOrEqual(ids * (summary.referenceReads + 2));
    expect(summary.idsPolledAfterStorm).toBe(0);
    // Bounded: what the streams hold is small per stream (kilobytes), and it is given back.
    expect(summary.memory.heldHeap - summary.memory.startHeap).toBeLessThan((streams * 64 * 1024) / 1024 / 1024);
    expect(summary.memory.afterHeap - summary.memory.startHeap).toBeLessThan(8);
  });
});
