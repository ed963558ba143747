// The app as `ng build` made it, served by its backend (server/server.mjs, with genlook-rx/proxy) against
// genlook-rx's simulator, and driven in headless Chromium (Debian's `chromium`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startSimulator } from 'genlook-rx/simulator';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const built = new URL('../dist/try-on-app/browser/', import.meta.url);
const serverScript = new URL('../server/server.mjs', import.meta.url).pathname;

/** Starts the backend with `env`; resolves with its origin once it listens. */
async function startBackend(env, script = serverScript) {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`the backend exited (${code}): ${output}`)));
  });
  return { origin, child, output: () => output, stop: async () => { child.kill('SIGTERM'); if (child.exitCode === null) await once(child, 'exit'); } };
}

const until = async (fact, what, within = 20_000) => {
  const deadline = Date.now() + within;
  while (!(await fact())) {
    if (Date.now() > deadline) throw new Error(`Still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the Angular example in Chromium', () => {
  let simulator;
  let backend;
  let browser;
  let page;
  const problems = [];
  const sentKeys = [];
  const received = [];
  let isBackendDown = false;
  let isUpstreamDown = false;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
    simulator = await startSimulator({ timeScale: 0.05 });
    backend = await startBackend({ GENLOOK_API_KEY: simulator.apiKey, GENLOOK_BASE_URL: simulator.baseUrl });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage();
    // Chromium logs every 4xx it receives; the 404 of the missing generation below is the one expected.
    // So are the refused connections while the backend is stopped in the reconnecting test.
    const expected = (message) =>
      (message.text().includes('404') && message.location().url.endsWith('/api/genlook/generations/gen_missing')) ||
      (isBackendDown && message.text().includes('ERR_CONNECTION_REFUSED')) ||
      (isUpstreamDown && /status of 50\d/.test(message.text()));
    page.on('console', (message) => message.type() === 'error' && !expected(message) && problems.push(`console: ${message.text()} (${message.location().url})`));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => request.headers()['x-api-key'] !== undefined && sentKeys.push(request.url()));
    // Every body the browser received, for the key check.
    page.on('response', (response) => received.push(response.text().then((text) => `${JSON.stringify(response.headers())}\n${text}`, () => '')));
  });
  after(async () => {
    await browser?.close();
    await backend?.stop();
    await simulator?.close();
  });

  it('creates a try-on from the form, then follows it to COMPLETED and shows the image', async () => {
    const creations = simulator.stats().createRequests;
    await page.goto(`${backend.origin}/`);
    await page.fill('input[name="person"]', 'https://images.example/person.jpg');
    await page.fill('input[name="product"]', 'sku-1');
    await page.click('form:first-of-type button[type="submit"]');
    await page.waitForURL(/\/try-on\/[^/]+$/, { timeout: 20_000 });
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1));
    assert.equal(simulator.stats().createRequests, creations + 1);
    const image = await page.waitForSelector('img[alt="Your try-on"]', { timeout: 30_000 });
    assert.match(await image.getAttribute('src'), new RegExp(`/results/${id}`));
    await until(() => image.evaluate((element) => element.complete && element.naturalWidth > 0), 'the image loaded');
  });

  it('follows a try-on by id to COMPLETED (PENDING first)', async () => {
    // PENDING lasts 3 s here (60 s at the simulator's 0.05 time scale), so the page shows it first.
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 60_000, status: 'PROCESSING' }, { at: 80_000, status: 'COMPLETED' }]);
    await page.goto(`${backend.origin}/try-on/${id}`);
    await page.waitForSelector('p.status:text("PENDING…")', { timeout: 20_000 });
    // The progress bar moves while it runs: the client's estimate (a prior of 10 s here) against the clock.
    const progress = () => page.$eval('progress', (bar) => bar.value).catch(() => undefined);
    const first = await progress();
    assert.ok(first !== undefined && first < 0.95);
    await until(async () => ((await progress()) ?? 1) > first, 'the progress bar moved');
    const image = await page.waitForSelector('img[alt="Your try-on"]', { timeout: 20_000 });
    assert.match(await image.getAttribute('src'), new RegExp(`/results/${id}`));
  });

  it('says "Reconnecting…" while the backend is down, and goes on to the outcome once it is back', async () => {
    // PENDING for 10 s (200 s at the simulator's time scale): the backend goes down and comes back meanwhile.
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 200_000, status: 'COMPLETED' }]);
    await page.goto(`${backend.origin}/try-on/${id}`);
    await page.waitForSelector('p.status:text("PENDING…")', { timeout: 20_000 });
    const { port } = new URL(backend.origin);
    isBackendDown = true;
    await backend.stop();
    const notice = await page.waitForSelector('p.reconnecting', { timeout: 20_000 });
    assert.match(await notice.textContent(), /^Reconnecting… \((NETWORK_ERROR|HTTP_\d+|SERVER_ERROR|REQUEST_TIMEOUT)\)$/);
    backend = await startBackend({ GENLOOK_API_KEY: simulator.apiKey, GENLOOK_BASE_URL: simulator.baseUrl, PORT: port });
    await page.waitForSelector('p.reconnecting', { state: 'detached', timeout: 30_000 });
    isBackendDown = false;
    const image = await page.waitForSelector('img[alt="Your try-on"]', { timeout: 30_000 });
    assert.match(await image.getAttribute('src'), new RegExp(`/results/${id}`));
  });

  it('says "Reconnecting…" during a Genlook outage (a read through the backend waits 10 s, then fails), then goes on to the outcome', async () => {
    // Genlook (the simulator) drops every connection for 25 s: the page reads at least every 8 s (its
    // longest gap), and a read that starts in the first 15 s of the outage times out (10 s) before it
    // ends, whenever the page's reads fall. PENDING lasts 45 s (900 s at the simulator's time scale).
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 900_000, status: 'COMPLETED' }]);
    await page.goto(`${backend.origin}/try-on/${id}`);
    await page.waitForSelector('p.status:text("PENDING…")', { timeout: 20_000 });
    isUpstreamDown = true;
    simulator.outage(25_000);
    const notice = await page.waitForSelector('p.reconnecting', { timeout: 30_000 });
    assert.match(await notice.textContent(), /^Reconnecting… \((REQUEST_TIMEOUT|PROXY_BUSY|UPSTREAM_\w+|SERVER_ERROR|HTTP_50\d)\)$/);
    await page.waitForSelector('p.reconnecting', { state: 'detached', timeout: 40_000 });
    isUpstreamDown = false;
    const image = await page.waitForSelector('img[alt="Your try-on"]', { timeout: 40_000 });
    assert.match(await image.getAttribute('src'), new RegExp(`/results/${id}`));
  });

  it('a FAILED try-on shows its code', async () => {
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 2_000, status: 'FAILED', errorCode: 'PERSON_NOT_DETECTED', errorMessage: 'No person in the photo' }]);
    await page.goto(`${backend.origin}/try-on/${id}`);
    const failed = await page.waitForSelector('p.failed', { timeout: 20_000 });
    assert.equal(await failed.textContent(), 'The try-on failed: PERSON_NOT_DETECTED');
  });

  it('a missing generation shows its code', async () => {
    await page.goto(`${backend.origin}/try-on/gen_missing`);
    const error = await page.waitForSelector('p.error', { timeout: 20_000 });
    assert.equal(await error.textContent(), 'Could not follow the try-on: GENERATION_NOT_FOUND');
  });

  it('leaving the page stops the poll', async () => {
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    await page.goto(`${backend.origin}/`);
    await page.fill('input[name="id"]', id);
    await page.click('form:last-of-type button[type="submit"]');
    await until(() => simulator.requestsFor(id).requests >= 2, 'the page polled twice');
    assert.equal(await page.textContent('p.status'), 'PENDING…');
    await page.click('a[href="/"]');
    await page.waitForSelector('input[name="id"]');
    const atLeave = simulator.requestsFor(id).requests;
    // The fact that time passed: another try-on followed to its end in the same tab (several polls).
    const other = simulator.script([{ at: 0, status: 'PENDING' }, { at: 4_000, status: 'COMPLETED' }]);
    await page.fill('input[name="id"]', other);
    await page.click('form:last-of-type button[type="submit"]');
    await page.waitForSelector('img[alt="Your try-on"]', { timeout: 20_000 });
    assert.ok(simulator.requestsFor(other).requests >= 2);
    assert.ok(simulator.requestsFor(id).requests <= atLeave + 1, `still polled after leaving: ${simulator.requestsFor(id).requests} > ${atLeave} + 1`);
  });

  it('no key in anything the browser received or sent, nor in what was built', async () => {
    for (const file of readdirSync(built)) {
      if (/\.(js|html|css)$/.test(file)) assert.ok(!readFileSync(new URL(file, built), 'utf8').includes(simulator.apiKey), `${file} holds the key`);
    }
    assert.deepEqual(sentKeys, []);
    const bodies = await Promise.all(received);
    assert.ok(bodies.length > 10, `only ${bodies.length} responses seen`);
    for (const body of bodies) assert.ok(!body.includes(simulator.apiKey), `a response holds the key: ${body.slice(0, 200)}`);
    assert.ok(!(await page.content()).includes(simulator.apiKey));
  });

  it('no console error on any page', () => {
    assert.deepEqual(problems, []);
  });
});

describe('the backend', () => {
  it('answers 500 with the reason, and keeps serving, when the app is not built (no ENOENT crash)', async () => {
    // The same server in a project where nothing was built (under tmp/, ignored, beside this node_modules).
    const scratch = fileURLToPath(new URL('../tmp/', import.meta.url));
    mkdirSync(scratch, { recursive: true });
    const project = mkdtempSync(join(scratch, 'not-built-'));
    mkdirSync(join(project, 'server'));
    copyFileSync(serverScript, join(project, 'server/server.mjs'));
    copyFileSync(new URL('../angular.json', import.meta.url), join(project, 'angular.json'));
    const simulator = await startSimulator({ timeScale: 0.05 });
    const backend = await startBackend({ GENLOOK_API_KEY: simulator.apiKey, GENLOOK_BASE_URL: simulator.baseUrl }, join(project, 'server/server.mjs'));
    try {
      const first = await fetch(`${backend.origin}/`);
      assert.equal(first.status, 500);
      assert.match(await first.text(), /not built/);
      assert.equal((await fetch(`${backend.origin}/try-on/gen_1`)).status, 500);
      assert.equal(backend.child.exitCode, null);
    } finally {
      await backend.stop();
      await simulator.close();
      rmSync(project, { recursive: true, force: true });
    }
  });
});
