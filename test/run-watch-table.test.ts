import { describe, expect, it } from 'vitest';
import { runWatch } from '../src/cli/run-watch.js';
import { until, useSimulator } from './helpers/simulator.js';

describe('genlook-rx watch on a terminal: the live table', () => {
  const sim = useSimulator();

  it('shows an ETA from the client estimate while a try-on runs, then its result', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 1_500, status: 'COMPLETED' }]);
    const genlook = sim.client(simulator, { sweeps: false });
    const frames: string[] = [];
    const watching = runWatch(genlook, [id], { output: 'table', timeout: 20_000, interval: 100, color: false, write: (text) => frames.push(text), signal: new AbortController().signal });
    await until(() => frames.some((frame) => frame.includes('PENDING')), 'a frame with PENDING');
    const { exitCode } = await watching;
    expect(exitCode).toBe(0);
    // The prior at a 100 ms interval: try-ons of about 500 ms, so the ETA is under a second, then "any moment".
    expect(frames.some((frame) => /PENDING .*ETA (~\ds|any moment) \(estimate\)/.test(frame))).toBe(true);
    expect(frames.at(-1)).toMatch(/COMPLETED .*\/results\//);
    expect(frames.at(-1)).not.toContain('ETA');
  });
});
