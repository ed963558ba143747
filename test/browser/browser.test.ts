import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startBackendRoute } from '../recipes/backend-route.js';
import { useSimulator } from '../helpers/simulator.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

/** Bundles the page as an app would: `genlook-rx` resolved through package.json exports, browser condition. */
async function bundlePage(): Promise<{ code: string; inputs: string[] }> {
  const result = await build({ entryPoints: [`${root}/test/browser/page.ts`], absWorkingDir: root, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('in a browser (headless Chromium)', () => {
  const sim = useSimulator();

  it('resolves the browser build, which holds no undici', async () => {
    const { inputs } = await bundlePage();
    expect(inputs).toContain('dist/browser/index.js');
    expect(inputs.some((input) => input.includes('undici'))).toBe(false);
  });

  it('a page follows a generation to COMPLETED and shows its image', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs Debian's chromium`).toBe(true);
    const simulator = await sim.start({ timeScale: 0.1, cors: true });
    const { code } = await bundlePage();
    const html = '<!doctype html><html><body><p id="status">…</p><img id="result" alt="result"><script type="module" src="/page.js"></script></body></html>';
    // The page and the backend route on one origin: the page never sees the key.
    const backend = await startBackendRoute(simulator, { pages: { '/': { type: 'text/html', body: html }, '/page.js': { type: 'text/javascript', body: code } } });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      // Scripted once the browser is up, so its start-up time cannot eat the PENDING phase.
      const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 5_000, status: 'PROCESSING' }, { at: 10_000, status: 'COMPLETED' }]);
      await page.goto(`${backend.origin}/?id=${id}`);
      await page.waitForFunction(() => document.body.dataset.outcome !== undefined, undefined, { timeout: 15_000 });
      expect(await page.evaluate(() => document.body.dataset.outcome)).toBe('completed');
      expect(await page.evaluate(() => document.body.dataset.statuses)).toBe('PENDING,PROCESSING,COMPLETED');
      await page.waitForFunction(() => (document.getElementById('result') as HTMLImageElement).naturalWidth > 0, undefined, { timeout: 5_000 });
      expect(await page.evaluate(() => (document.getElementById('result') as HTMLImageElement).naturalWidth)).toBe(64);
      expect(await page.textContent('#status')).toBe('COMPLETED');
      expect(backend.seen.withKey).toBe(0);
    } finally {
      await browser.close();
      await backend.close();
    }
  }, 60_000);

  it('records the browser bundle size (min + gzip, rxjs excluded)', async () => {
    const result = await build({ stdin: { contents: "export { createGenlook, generation$ } from 'genlook-rx';", resolveDir: root }, absWorkingDir: root, bundle: true, minify: true, platform: 'browser', format: 'esm', write: false, external: ['rxjs'], logLevel: 'silent' });
    const gzipped = gzipSync(result.outputFiles[0]!.contents).length;
    // README.md quotes this figure; keep them in step (a bigger bundle must be a decision, not an accident).
    console.log(`browser bundle: ${result.outputFiles[0]!.contents.length} bytes minified, ${gzipped} gzipped (rxjs excluded)`);
    // 17.9 KB before creation that waits, the adaptive cadence, priorities, pressure$ and the hostile-input
    // defences; 21.3 KB after. A guard against an accident (a Node module pulled in), not a target.
    expect(gzipped).toBeLessThan(24_000);
  });
});
