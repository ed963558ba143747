// The capacity scenario: try-ons arriving at a Poisson rate against one account's budget (100 requests
// a minute), on the simulator with its real limit shape, time compressed tenfold (a minute lasts 6 s, a
// try-on about 1 s, a poll interval 200 ms; every figure reported is scaled back to account time).
// Two modes: create-and-follow (each arrival creates a try-on and follows it to its outcome) and
// watch-only (the generations are created outside the client, which only follows them). Each variant
// runs on its own simulator (its own account), side by side with the others.
import { asyncScheduler } from 'rxjs';
import { Agent, request } from 'undici';
import { createGenlook, createMemoryBudget } from '../dist/index.js';
import { seededRandom, startSimulator } from '../dist/simulator/index.js';

export const SCALE = 0.1;
const MINUTE = 60_000 * SCALE;
const INTERVAL = 2_000 * SCALE;
const DURATION = { generationDuration: 10_000, durationSpread: 0.3 };
const TERMINAL = new Set(['COMPLETED', 'FAILED']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Arrival times (real ms from the start) of a Poisson process of `perMinute` over `minutes`, given its
 * count: exactly `perMinute × minutes` arrivals at uniformly random times (as bursty as Poisson, without a
 * level's load drifting by its sampling: a 2-minute level at 15 a minute drew anything from 23 to 52).
 */
function arrivals(perMinute, minutes, random) {
  return Array.from({ length: Math.round(perMinute * minutes) }, () => random() * minutes * MINUTE).sort((a, b) => a - b);
}

/** The index-th try-on: one in ten fails (the simulator's `sim:fail:` convention). */
function tryOnOf(index, random) {
  const fails = random() < 0.1;
  return { products: [{ externalId: `sku-${index}` }], person: { image: { source: { url: 'https://images.example/shopper.jpg' } } }, externalUserId: fails ? 'sim:fail:PRODUCT_IMAGE_FETCH_FAILED' : `shopper-${index}` };
}

/** genlook-rx with its defaults (`more` overrides some), on the account's budget (its window compressed like the simulator's). */
function genlookRx(simulator, record, more = {}) {
  const genlook = createGenlook({
    ...more,
    baseUrl: simulator.baseUrl,
    apiKey: simulator.apiKey,
    pollInterval: INTERVAL,
    requestTimeout: 10_000 * SCALE,
    holdTimeout: 100_000 * SCALE,
    rateLimit: createMemoryBudget({ requestsPerMinute: 100, windowMs: MINUTE, scheduler: asyncScheduler }),
  });
  const observer = (index) => ({
    next: (generation) => record.status(index, generation.generationId, generation.status),
    error: (error) => (error.code === 'GENERATION_FAILED' ? record.status(index, error.generationId, 'FAILED') : record.error(index, error)),
  });
  return {
    create: (index, request) => genlook.tryOn$(request).subscribe(observer(index)),
    watch: (index, id) => genlook.generation$(id).subscribe(observer(index)),
    close: () => genlook.close(),
  };
}

/**
 * The loop a user would write: create (again after a 429, once its `Retry-After` has passed), then GET
 * every 2 s until the outcome, waiting out each 429 the same way.
 */
function plainLoop(simulator, record) {
  const agent = new Agent({ connections: 64 });
  const headers = { 'x-api-key': simulator.apiKey, 'content-type': 'application/json' };
  let isClosed = false;
  const call = async (method, path, body) => {
    for (;;) {
      if (isClosed) throw new Error('closed');
      const response = await request(`${simulator.baseUrl}${path}`, { method, headers, body, dispatcher: agent });
      const json = await response.body.json().catch(() => ({}));
      if (response.statusCode !== 429) return { status: response.statusCode, json };
      await sleep(Number(response.headers['retry-after'] ?? 1) * 1000);
    }
  };
  const follow = async (index, id) => {
    for (let last; !isClosed; await sleep(INTERVAL)) {
      const { json } = await call('GET', `/generations/${id}`);
      if (json.status && json.status !== last) record.status(index, id, (last = json.status));
      if (TERMINAL.has(json.status)) return;
    }
  };
  return {
    create: (index, request) =>
      call('POST', '/try-on', JSON.stringify(request)).then(({ json }) => {
        record.status(index, json.generationId, 'PENDING');
        return follow(index, json.generationId);
      }).catch(() => {}),
    watch: (index, id) => follow(index, id).catch(() => {}),
    close: () => ((isClosed = true), agent.close()),
  };
}

export const VARIANTS = { 'genlook-rx': genlookRx, 'genlook-rx, no sweeps': (simulator, record) => genlookRx(simulator, record, { sweeps: false }), 'plain loop': plainLoop };

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};

/**
 * One run: `variant` in `mode` at `perMinute` arrivals for `minutes` (account time), then up to `drain`
 * account-seconds for the last outcomes. Returns its figures in account time.
 */
export async function runCapacity({ variant, mode, perMinute, minutes = 3, seed = 7, drain = 120 }) {
  const random = seededRandom(seed + perMinute);
  const simulator = await startSimulator({ timeScale: SCALE, seed, ...DURATION, rateLimit: { requestsPerMinute: 100, windowMs: MINUTE, retryAfter: true } });
  const seen = new Map();
  const arrived = [];
  let errors = 0;
  const record = {
    status(index, id, status) {
      const entry = seen.get(index) ?? seen.set(index, { id, statuses: new Map() }).get(index);
      entry.id = id;
      if (!entry.statuses.has(status)) entry.statuses.set(status, Date.now());
    },
    error() {
      errors++;
    },
  };
  const client = VARIANTS[variant](simulator, record);
  const times = arrivals(perMinute, minutes, random);
  const started = Date.now();
  for (const [index, at] of times.entries()) {
    await sleep(started + at - Date.now());
    arrived[index] = Date.now();
    if (mode === 'create-and-follow') client.create(index, tryOnOf(index, random));
    else {
      const duration = Math.round(DURATION.generationDuration * Math.exp(DURATION.durationSpread * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
      const last = random() < 0.1 ? { status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED' } : { status: 'COMPLETED' };
      client.watch(index, simulator.script([{ at: 0, status: 'PENDING' }, { at: Math.min(2_000, duration / 5), status: 'PROCESSING' }, { at: duration, ...last }]));
    }
  }
  const deadline = Date.now() + drain * 1000 * SCALE;
  const ended = () => [...seen.values()].filter((entry) => entry.statuses.has('COMPLETED') || entry.statuses.has('FAILED')).length;
  while (ended() + errors < times.length && Date.now() < deadline) await sleep(20);
  const stats = simulator.stats();
  const outcomeLatency = [];
  const processingLatency = [];
  const creationWait = [];
  for (const [index, entry] of seen) {
    const timeline = simulator.timelineOf(entry.id);
    if (!timeline) continue;
    const outcome = timeline.at(-1);
    const seenAt = entry.statuses.get(outcome.status);
    if (seenAt !== undefined) outcomeLatency.push(Math.max(0, seenAt - outcome.at) / SCALE);
    const processing = timeline.find((step) => step.status === 'PROCESSING');
    const processingSeen = entry.statuses.get('PROCESSING');
    if (processing && processingSeen !== undefined) processingLatency.push(Math.max(0, processingSeen - processing.at) / SCALE);
    if (mode === 'create-and-follow') creationWait.push(Math.max(0, timeline[0].at - arrived[index]) / SCALE);
  }
  await client.close();
  await simulator.close();
  const apiRequests = stats.requests - stats.resultDownloads;
  return {
    variant,
    mode,
    perMinute,
    generations: times.length,
    outcomesSeen: ended(),
    errors,
    rateLimited: stats.byStatus[429] ?? 0,
    requestsPerGeneration: apiRequests / Math.max(1, times.length),
    syncShare: stats.createRequests ? stats.syncRequests / stats.createRequests : 0,
    outcomeLatency: { p50: percentile(outcomeLatency, 0.5), p95: percentile(outcomeLatency, 0.95) },
    processingLatency: { p50: percentile(processingLatency, 0.5), p95: percentile(processingLatency, 0.95), seen: processingLatency.length },
    creationWait: { p50: percentile(creationWait, 0.5), p95: percentile(creationWait, 0.95) },
  };
}

/** Within capacity: every outcome seen, no 429, the outcome seen within 3 s (p95). */
export const withinCapacity = (run) => run.outcomesSeen === run.generations && run.errors === 0 && run.rateLimited === 0 && run.outcomeLatency.p95 !== null && run.outcomeLatency.p95 <= 3_000;
