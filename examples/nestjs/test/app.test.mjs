// The app as built by `nest build`, run as `node dist/main.js` against genlook-rx's simulator, over HTTP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from 'genlook-rx/simulator';

const main = new URL('../dist/main.js', import.meta.url).pathname;

/** Starts the app with `env`; resolves with its URL once it listens. */
async function startApp(env) {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1].replace('[::1]', '127.0.0.1'));
    });
    child.on('exit', (code) => reject(new Error(`the app exited (${code}): ${output}`)));
  });
  return { url, child, output: () => output, stop: async () => { child.kill('SIGTERM'); if (child.exitCode === null) await once(child, 'exit'); } };
}

/** The events of a server-sent event stream, until it closes. */
async function events(url, signal, headers = {}) {
  const response = await fetch(url, { signal, headers: { accept: 'text/event-stream', ...headers } });
  const text = await response.text();
  return text.split('\n\n').filter((block) => block.trim()).map((block) => {
    const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
    // A keepalive's data is empty.
    const raw = /^data: ?(.*)$/m.exec(block)?.[1] ?? 'null';
    const data = raw === '' ? '' : JSON.parse(raw);
    const id = /^id: (.*)$/m.exec(block)?.[1];
    return id === undefined ? { type, data } : { type, id, data };
  });
}

const until = async (fact, what, within = 10_000) => {
  const deadline = Date.now() + within;
  while (!fact()) {
    if (Date.now() > deadline) throw new Error(`Still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const tryOn = (marker = 'shopper-1') => ({ products: [{ externalId: 'sku-1' }], person: { image: { source: { url: 'https://images.example/person.jpg' } } }, externalUserId: marker });
/** Nothing a browser receives may name the upstream or show a stack. */
const assertNothingLeaks = (text, simulator) => {
  for (const secret of [simulator.apiKey, new URL(simulator.baseUrl).host, '/tryon/v1', '    at ']) assert.ok(!text.includes(secret), `leaked ${secret}: ${text}`);
};

describe('the NestJS example', () => {
  let simulator;
  let app;
  before(async () => {
    simulator = await startSimulator({ timeScale: 0.05 });
    app = await startApp({ GENLOOK_API_KEY: simulator.apiKey, GENLOOK_BASE_URL: simulator.baseUrl });
  });
  after(async () => {
    await app?.stop();
    await simulator?.close();
  });

  it('relays a generation as server-sent events: its statuses, then an end event with the result', async () => {
    // PENDING lasts 500 ms (so a loaded machine still sees it first); PROCESSING may go unseen: it lasts
    // 200 ms here, and the adaptive cadence does not poll before an outcome is likely.
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 10_000, status: 'PROCESSING' }, { at: 14_000, status: 'COMPLETED' }]);
    const seen = await events(`${app.url}/try-ons/${id}/events`);
    const names = seen.map((event) => (event.type === 'status' ? event.data.status : event.type));
    assert.deepEqual(names.filter((name) => name !== 'PROCESSING'), ['PENDING', 'COMPLETED', 'end']);
    assert.equal(seen.at(-1).data.outcome, 'completed');
    assert.match(seen.at(-1).data.resultImageUrl, /\/results\//);
    for (const event of seen.filter((event) => event.type === 'status')) assert.equal(event.id, event.data.status);
  });

  it('says when Genlook stops answering: health events (retrying, then ok) with the last status as their id, then the outcome', async () => {
    // Genlook (the simulator) is down for 9 s from the first read: past the app's next read of a young
    // PENDING (6.8 s later, the adaptive cadence), which fails, and its retries. PENDING lasts 16 s (320 s
    // at the simulator's time scale).
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 320_000, status: 'COMPLETED' }]);
    const streamed = events(`${app.url}/try-ons/${id}/events`);
    await until(() => simulator.requestsFor(id).requests >= 1, 'the app polled the id');
    simulator.outage(9_000);
    const seen = await streamed;
    const health = seen.filter((event) => event.type === 'health');
    assert.deepEqual(health.map((event) => event.data.status), ['retrying', 'ok']);
    assert.equal(health[0].data.code, 'NETWORK_ERROR');
    for (const event of health) assert.equal(event.id, 'PENDING');
    // (A keepalive may come too: the stream lasts past 15 s.)
    assert.deepEqual(seen.filter((event) => event.type === 'status' || event.type === 'end').map((event) => event.id ?? event.type), ['PENDING', 'COMPLETED', 'end']);
  });

  it('a reconnect with Last-Event-ID is not sent a status again', async () => {
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 4_000, status: 'COMPLETED' }]);
    const resumed = await events(`${app.url}/try-ons/${id}/events`, undefined, { 'last-event-id': 'PENDING' });
    assert.deepEqual(resumed.map((event) => event.id ?? event.type), ['COMPLETED', 'end']);
    const afterEnd = await events(`${app.url}/try-ons/${id}/events`, undefined, { 'last-event-id': 'COMPLETED' });
    assert.deepEqual(afterEnd.map((event) => event.id ?? event.type), ['end']);
  });

  it("a FAILED try-on ends with the server's errorCode; a missing one with a code; nothing of the upstream reaches the browser, and the app lives on", async () => {
    const failed = simulator.script([{ at: 0, status: 'PENDING' }, { at: 1_000, status: 'FAILED', errorCode: 'PERSON_NOT_DETECTED', errorMessage: 'No person in the photo' }]);
    const failedEvents = await events(`${app.url}/try-ons/${failed}/events`);
    assert.deepEqual(failedEvents.at(-1), { type: 'end', id: 'end', data: { outcome: 'failed', generationId: failed, errorCode: 'PERSON_NOT_DETECTED', errorMessage: 'No person in the photo' } });
    const missing = await events(`${app.url}/try-ons/gen_missing/events`);
    assert.deepEqual(missing, [{ type: 'end', id: 'end', data: { outcome: 'error', code: 'GENERATION_NOT_FOUND', message: 'No such generation' } }]);
    const invalid = await events(`${app.url}/try-ons/${encodeURIComponent('gen 1')}/events`);
    assert.deepEqual(invalid, [{ type: 'end', id: 'end', data: { outcome: 'error', code: 'INVALID_ID', message: 'The try-on could not be followed' } }]);
    assertNothingLeaks(JSON.stringify([failedEvents, missing, invalid]), simulator);
    const alive = simulator.script([{ at: 0, status: 'COMPLETED' }]);
    assert.equal((await events(`${app.url}/try-ons/${alive}/events`)).at(-1).data.outcome, 'completed');
  });

  it('a browser that disconnects stops the poll', async () => {
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const controller = new AbortController();
    const stream = events(`${app.url}/try-ons/${id}/events`, controller.signal).catch(() => 'aborted');
    await until(() => simulator.requestsFor(id).requests >= 2, 'the poll ran');
    controller.abort();
    assert.equal(await stream, 'aborted');
    const atDisconnect = simulator.requestsFor(id).requests;
    // The fact that time passed: another generation followed to its end (several polls), meanwhile.
    const other = simulator.script([{ at: 0, status: 'PENDING' }, { at: 3_000, status: 'COMPLETED' }]);
    await events(`${app.url}/try-ons/${other}/events`);
    assert.ok(simulator.requestsFor(other).requests >= 2);
    assert.ok(simulator.requestsFor(id).requests <= atDisconnect + 1, `still polled after the disconnect: ${simulator.requestsFor(id).requests} > ${atDisconnect} + 1`);
  });

  it("POST /try-ons: 400 with details for a bad body (no credit spent), 201 with the result when it completes, 422 with the server's errorCode when it fails", async () => {
    const post = (body, type = 'application/json') => fetch(`${app.url}/try-ons`, { method: 'POST', headers: { 'content-type': type }, body });
    const creations = simulator.stats().createRequests;
    const bad = await post(JSON.stringify({ products: [], person: {} }));
    assert.equal(bad.status, 400);
    const badBody = await bad.json();
    assert.equal(badBody.code, 'INVALID_REQUEST');
    assert.ok(badBody.details.length > 0 && badBody.details.every((detail) => typeof detail.path === 'string' && typeof detail.message === 'string'));
    assert.equal((await post('{"products": [')).status, 400);
    assert.equal(simulator.stats().createRequests, creations);
    const ok = await post(JSON.stringify(tryOn()));
    assert.equal(ok.status, 201);
    assert.deepEqual(Object.keys(await ok.json()).sort(), ['generationId', 'resultImageUrl', 'status']);
    const failed = await post(JSON.stringify(tryOn('sim:fail:PERSON_NOT_DETECTED')));
    assert.equal(failed.status, 422);
    const failedText = await failed.text();
    assert.equal(JSON.parse(failedText).errorCode, 'PERSON_NOT_DETECTED');
    assertNothingLeaks(failedText, simulator);
  });

  it('mounts genlook-rx/proxy for browser apps: GET /api/genlook/generations/{id} with the key added here, nothing else', async () => {
    const id = simulator.script([{ at: 0, status: 'PROCESSING' }]);
    const read = await fetch(`${app.url}/api/genlook/generations/${id}`);
    assert.equal(read.status, 200);
    assert.equal((await read.json()).status, 'PROCESSING');
    for (const [method, path] of [['GET', '/api/genlook/generations'], ['POST', '/api/genlook/try-on'], ['DELETE', `/api/genlook/generations/${id}`]]) {
      const answer = await fetch(`${app.url}${path}`, { method });
      assert.ok([404, 405].includes(answer.status), `${method} ${path}: ${answer.status}`);
    }
  });
});

describe('configuration', () => {
  it('a missing key is refused at startup, with one clear line', async () => {
    const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.deepEqual(output.trim().split('\n'), ['genlook-nest: GENLOOK_API_KEY is not set: export your Genlook API key (Genlook dashboard, API keys) before starting the app.']);
  });
});
