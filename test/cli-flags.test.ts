import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pollIntervalOf } from '../src/cli/cli-context.js';
import { WATCH_HELP } from '../src/cli/watch-command.js';
import { lines, runCli } from './helpers/cli.js';
import { useSimulator } from './helpers/simulator.js';

const envOf = (simulator: { baseUrl: string; apiKey: string }) => ({ GENLOOK_BASE_URL: simulator.baseUrl, GENLOOK_API_KEY: simulator.apiKey });
const cliDoc = readFileSync(new URL('../docs/cli.md', import.meta.url), 'utf8');
/** The row of a flag in docs/cli.md's watch table. */
const docRow = (flag: string) => cliDoc.split('\n').find((line) => line.startsWith(`| \`${flag}`)) ?? '';

describe('genlook-rx flags and exit codes, as documented', () => {
  const sim = useSimulator();

  it('an invalid id is a usage error (exit 2), one line showing the id as JSON text, and nothing is sent', async () => {
    const simulator = await sim.start();
    const run = await runCli(['watch', 'gen\n1', 'gen_ok'], envOf(simulator));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('genlook-rx: Invalid generation id "gen\\n1": it must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates\n');
    expect(run.stdout).toBe('');
    expect(simulator.stats().generationRequests).toBe(0);
  });

  it('SIGTERM stops a watch with exit 143, not Ctrl-C\'s 130, and no stack trace', async () => {
    const simulator = await sim.start();
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    let sent = false;
    const run = await runCli(['watch', id], envOf(simulator), (text, child) => {
      if (!sent && text.includes('PENDING')) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    expect(run.code).toBe(143);
    expect(run.stderr).toBe('');
  });

  it('--time-scale multiplies the poll interval, and with it the cadence\'s prior', async () => {
    expect(pollIntervalOf({})).toBeUndefined();
    expect(pollIntervalOf({ 'time-scale': '0.1' })).toBe(200);
    expect(pollIntervalOf({ interval: '500', 'time-scale': '0.1' })).toBe(50);
    expect(() => pollIntervalOf({ 'time-scale': '0' })).toThrow('--time-scale must be a positive number, got "0"');
    // A generation that stays PENDING, watched for 3 s: at the unscaled 2 s interval the prior (five
    // intervals: 10 s try-ons) puts the second poll 6.8 s after the first; scaled by 0.1, polls go every
    // few hundred ms (the default 100-a-minute budget allowing).
    const simulator = await sim.start();
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const run = await runCli(['watch', id, '--time-scale', '0.1', '--timeout', '3000'], envOf(simulator));
    expect(run.code).toBe(3);
    expect(simulator.requestsFor(id).requests).toBeGreaterThanOrEqual(3);
  });

  it('--retries <n> gives up after n transient failures in a row (exit 4); --help and docs/cli.md say the same of its default', async () => {
    const simulator = await sim.start({ faults: { seed: 1, serverError: 1 } });
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const run = await runCli(['watch', id, '--retries', '1', '--interval', '20'], envOf(simulator));
    expect(run.code).toBe(4);
    expect(lines(run.stdout).at(-1)).toMatchObject({ event: 'error', generationId: id });
    expect(simulator.requestsFor(id).requests).toBe(2);
    for (const text of [WATCH_HELP, docRow('--retries')]) {
      expect(text).toMatch(/2 minutes/);
      expect(text).toMatch(/creation retries 5 times/);
    }
  });

  it('--download is documented as what it writes: <id>.png, .jpg or .webp by content type, the id escaped', () => {
    for (const text of [WATCH_HELP, docRow('--download')]) expect(text).toMatch(/\.png`?, `?\.jpg`? or `?\.webp[\s\S]*%XX/);
  });
});
