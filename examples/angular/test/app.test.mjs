// The app as `ng build` made it, served by its backend (server/server.mjs, with genlook-rx/proxy) against
// genlook-rx's simulator, and driven in headless Chromium (Debian's `chromium`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from 'genlook-rx/simulator';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const built = new URL('../dist/try-on-app/browser/', import.meta.url);

/** Starts the backend with `env`; resolves with its origin once it listens. */
async function startBackend(env) {
  const child = spawn(process.execPath, [new URL('../server/server.mjs', import.meta.url).pathname], { env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  return { origin, stop: async () => { child.kill('SIGTERM'); if (child.exitCode === null) await once(child, 'exit'); } };
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

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
    simulator = await startSimulator({ timeScale: 0.05 });
    backend = await startBackend({ GENLOOK_API_KEY: simulator.apiKey, GENLOOK_BASE_URL: simulator.baseUrl });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage();
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => request.headers()['x-api-key'] !== undefined && sentKeys.push(request.url()));
  });
  after(async () => {
    await browser?.close();
    await backend?.stop();
    await simulator?.close();
  });

  it('follows a try-on to COMPLETED and shows the image', async () => {
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 2_000, status: 'PROCESSING' }, { at: 6_000, status: 'COMPLETED' }]);
    await page.goto(`${backend.origin}/try-on/${id}`);
    const image = await page.waitForSelector('img[alt="Your try-on"]', { timeout: 20_000 });
    assert.match(await image.getAttribute('src'), new RegExp(`/results/${id}`));
    await until(() => image.evaluate((element) => element.complete && element.naturalWidth > 0), 'the image loaded');
  });

  it('a FAILED try-on shows its code', async () => {
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 2_000, status: 'FAILED', errorCode: 'PERSON_NOT_DETECTED', errorMessage: 'No person in the photo' }]);
    await page.goto(`${backend.origin}/try-on/${id}`);
    const failed = await page.waitForSelector('p.failed', { timeout: 20_000 });
    assert.equal(await failed.textContent(), 'The try-on failed: PERSON_NOT_DETECTED');
  });

  it('leaving the page stops the poll', async () => {
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    await page.goto(`${backend.origin}/`);
    await page.fill('input[name="id"]', id);
    await page.click('button[type="submit"]');
    await until(() => simulator.requestsFor(id).requests >= 2, 'the page polled twice');
    assert.equal(await page.textContent('p.status'), 'PENDING…');
    await page.click('a[href="/"]');
    await page.waitForSelector('input[name="id"]');
    const atLeave = simulator.requestsFor(id).requests;
    // The fact that time passed: another try-on followed to its end in the same tab (several polls).
    const other = simulator.script([{ at: 0, status: 'PENDING' }, { at: 4_000, status: 'COMPLETED' }]);
    await page.fill('input[name="id"]', other);
    await page.click('button[type="submit"]');
    await page.waitForSelector('img[alt="Your try-on"]', { timeout: 20_000 });
    assert.ok(simulator.requestsFor(other).requests >= 2);
    assert.ok(simulator.requestsFor(id).requests <= atLeave + 1, `still polled after leaving: ${simulator.requestsFor(id).requests} > ${atLeave} + 1`);
  });

  it('no key in the page: not in what was served, not in any request the browser sent', async () => {
    for (const file of readdirSync(built)) {
      if (/\.(js|html|css)$/.test(file)) assert.ok(!readFileSync(new URL(file, built), 'utf8').includes(simulator.apiKey), `${file} holds the key`);
    }
    assert.deepEqual(sentKeys, []);
    assert.ok(!(await page.content()).includes(simulator.apiKey));
  });

  it('no console error on any page', () => {
    assert.deepEqual(problems, []);
  });
});
