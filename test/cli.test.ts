import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines, runCli } from './helpers/cli.js';
import { until, useSimulator } from './helpers/simulator.js';

const steps = (last: Record<string, unknown>) => [{ at: 0, status: 'PENDING' }, { at: 2_000, status: 'PROCESSING' }, { at: 10_000, ...last }] as never;
const COMPLETED = { status: 'COMPLETED' };
const FAILED = { status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'nope' };

describe('genlook-rx watch (the built binary, against the simulator)', () => {
  const base = useSimulator();
  // A process takes a few hundred ms to start: generations here take 1 s (time scale 0.1).
  const sim = { start: (options: Parameters<typeof base.start>[0] = {}) => base.start({ timeScale: 0.1, ...options }) };
  const envOf = (simulator: { baseUrl: string; apiKey: string }) => ({ GENLOOK_BASE_URL: simulator.baseUrl, GENLOOK_API_KEY: simulator.apiKey });

  it('prints one JSON object per status change when piped, and exits 0 when all complete', async () => {
    const simulator = await sim.start();
    // PENDING for 1.5 s (longer than the process takes to start) and PROCESSING for 2.5 s (longer than
    // the default 100-a-minute budget's cadence for two ids), so every status is seen.
    const slow = [{ at: 0, status: 'PENDING' }, { at: 15_000, status: 'PROCESSING' }, { at: 40_000, status: 'COMPLETED' }];
    const a = simulator.script(slow);
    const b = simulator.script(slow);
    const run = await runCli(['watch', a, b, '--interval', '20'], envOf(simulator));
    expect(run.code).toBe(0);
    const events = lines(run.stdout);
    for (const id of [a, b]) {
      expect(events.filter((event) => event.generationId === id).map((event) => event.status)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED']);
    }
    expect(events.find((event) => event.status === 'COMPLETED')).toMatchObject({ event: 'status', resultImageUrl: expect.stringContaining('/results/') });
  });

  it('exits 1 when a generation failed, with its code in the output', async () => {
    const simulator = await sim.start();
    const run = await runCli(['watch', simulator.script(steps(COMPLETED)), simulator.script(steps(FAILED)), '--interval', '20'], envOf(simulator));
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toContainEqual(expect.objectContaining({ event: 'failed', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED' }));
  });

  it('exits 3 on timeout', async () => {
    const simulator = await sim.start({ timeScale: 1 });
    const run = await runCli(['watch', simulator.script(steps(COMPLETED)), '--interval', '20', '--timeout', '150'], envOf(simulator));
    expect(run.code).toBe(3);
    expect(lines(run.stdout).at(-1)).toMatchObject({ event: 'timeout', code: 'GENERATION_TIMEOUT' });
  });

  it('exits 4 on an API error (unknown id) and on a network error', async () => {
    const simulator = await sim.start();
    const notFound = await runCli(['watch', 'gen_nope'], envOf(simulator));
    expect(notFound.code).toBe(4);
    expect(lines(notFound.stdout).at(-1)).toMatchObject({ event: 'error', code: 'GENERATION_NOT_FOUND' });
    const unreachable = await runCli(['watch', 'gen_1', '--base-url', 'http://127.0.0.1:9/tryon/v1', '--api-key', 'gk_x', '--retries', '1']);
    expect(unreachable.code).toBe(4);
    expect(lines(unreachable.stdout).at(-1)).toMatchObject({ event: 'error', code: 'NETWORK_ERROR' });
  });

  it('exits 2 with one clear line on a bad flag, a missing id or a missing key', async () => {
    for (const [args, message] of [
      [['watch', 'gen_1', '--intervall', '5'], /Unknown option '--intervall'/],
      [['watch', 'gen_1', '--interval', 'soon'], /--interval must be a positive number/],
      [['watch'], /at least one generation id/],
      [['frobnicate'], /Unknown command "frobnicate"/],
    ] as const) {
      const run = await runCli([...args], { GENLOOK_API_KEY: 'gk_x' });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
    const noKey = await runCli(['watch', 'gen_1']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/No API key: pass --api-key or set GENLOOK_API_KEY/);
  });

  it('--download saves a valid PNG and never sends the key to the image host', async () => {
    const simulator = await sim.start();
    const id = simulator.script(steps(COMPLETED));
    const directory = await mkdtemp(join(tmpdir(), 'genlook-rx-download-'));
    try {
      const run = await runCli(['watch', id, '--interval', '20', '--download', directory], envOf(simulator));
      expect(run.code).toBe(0);
      const saved = lines(run.stdout).find((event) => event.event === 'downloaded');
      const png = await readFile(saved?.path as string);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(simulator.stats()).toMatchObject({ resultDownloads: 1, resultDownloadsWithKey: 0 });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('SIGINT aborts the requests and exits 130 without a stack trace', async () => {
    const simulator = await sim.start({ timeScale: 1, faults: { latency: { min: 5_000, max: 5_000 } } });
    const id = simulator.script(steps(COMPLETED));
    let child: Parameters<NonNullable<Parameters<typeof runCli>[2]>>[1] | undefined;
    const running = runCli(['watch', id], envOf(simulator), (_text, process) => (child ??= process));
    // SIGINT only once the simulator holds the watch's first request (5 s of latency), then the facts.
    await until(() => simulator.requestsFor(id).concurrent === 1, "the simulator holds the watch's first request");
    child!.kill('SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.stderr).not.toMatch(/\bat\s.+:\d+:\d+/);
    await until(() => simulator.requestsFor(id).aborted === 1, 'the simulator saw the request aborted');
    expect(simulator.requestsFor(id)).toMatchObject({ requests: 1, concurrent: 0, aborted: 1 });
  });

  it('try-on creates and watches; a bad request is a usage error with the failing path', async () => {
    const simulator = await sim.start();
    const run = await runCli(['try-on', '--product-id', 'sku-1', '--person-image', 'https://images.example/me.jpg', '--interval', '20'], envOf(simulator));
    expect(run.code).toBe(0);
    const events = lines(run.stdout);
    expect(events[0]).toMatchObject({ event: 'created', generationId: expect.any(String) });
    expect(events.at(-1)).toMatchObject({ status: 'COMPLETED' });
    const bad = await runCli(['try-on', '--product-id', 'sku-1', '--person-image', 'not-a-url'], envOf(simulator));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/person\.image\.source/);
  });

  it('--help on each command and --version', async () => {
    for (const command of ['watch', 'try-on', 'simulate', 'demo']) {
      const run = await runCli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Usage: genlook-rx ${command}`));
    }
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('genlook-rx simulate', () => {
  it('prints its base URL and key, serves the API, and stops cleanly on SIGTERM', async () => {
    let baseUrl = '';
    const run = await runCli(['simulate', '--json', '--rate-limit', '0'], {}, (text, child) => {
      if (baseUrl || !text.includes('\n')) return;
      const started = JSON.parse(text.split('\n')[0]!) as { baseUrl: string; apiKey: string };
      baseUrl = started.baseUrl;
      fetch(`${started.baseUrl}/generations/nope`, { headers: { 'x-api-key': started.apiKey } })
        .then((response) => response.json())
        .then((body) => {
          expect(body).toMatchObject({ code: 'GENERATION_NOT_FOUND', status: 404 });
          child.kill('SIGTERM');
        });
    });
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tryon\/v1$/);
    expect(run.code).toBe(0);
  });
});
