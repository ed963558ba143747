// The chaos soak: generations on the simulator with a seeded mix of faults (and, if asked, a full outage),
// watched by one client through generationsSettled$ and through individual generation$ subscriptions.
// Used by test/soak.test.ts (bounded) and by `npm run soak -- --minutes N`. Runs against the built
// package (dist/).
import { lastValueFrom, tap } from 'rxjs';
import { createGenlook, isGenlookError, isTransientError } from '../dist/index.js';
import { seededRandom, startSimulator } from '../dist/simulator/index.js';
import { startEventStreams } from './event-streams.mjs';

/**
 * The fault mix: 10% 5xx, 3% resets, 2% malformed, 1% stalls past the request timeout, 3% stale reads (a
 * replica one status behind), and bursts of five 429s without `Retry-After`.
 */
export const FAULT_MIX = { serverError: 0.1, reset: 0.03, malformed: 0.02, stall: 0.01, stale: 0.03, rateLimitBurst: 0.002, burstLength: 5, burstRetryAfter: false };

/**
 * The faults of the list the sweeps read (`GET /generations`): 10% 5xx, 2% malformed, 2% cut short, 1%
 * stalls, 5% of items left out, one page in five shuffled; and the list lags the single read by 1 s.
 */
export const LIST_FAULT_MIX = { serverError: 0.1, malformed: 0.02, truncated: 0.02, stall: 0.01, omit: 0.05, reorder: 0.2 };
export const LIST_LAG = 1_000;

const RANK = { PENDING: 0, PROCESSING: 1, COMPLETED: 2, FAILED: 2 };

/** A generation's scripted history: PENDING, PROCESSING, then COMPLETED or (one in ten) FAILED. */
function timelineOf(random, minMs, maxMs) {
  const end = minMs + Math.round(random() * (maxMs - minMs));
  const last = random() < 0.1 ? { at: end, status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'chaos' } : { at: end, status: 'COMPLETED' };
  return [{ at: 0, status: 'PENDING' }, { at: Math.round(end / 3), status: 'PROCESSING' }, last];
}

/**
 * Runs `generations` generations (all at once when `waves` is 1, else spread over `waves` equal waves
 * `waveMs` apart) and checks every outcome against the simulator's, and every emitted status against
 * the one before it (a status older than one emitted is a stale emission). `outage: { atMs, durationMs }`
 * drops every connection for that long. `eventStreams: { count, lastsMs, restartAtMs }`: `count` more
 * generations, each lasting `lastsMs`, are followed by browsers through genlook-rx/proxy's event stream,
 * the proxy restarting on its port no sooner than `restartAtMs`, once every stream has had an event
 * (scripts/event-streams.mjs). Returns the summary.
 */
export async function runChaos({ generations = 1000, waves = 1, waveMs = 0, seed = 42, minMs = 2000, maxMs = 6000, requestTimeout = 1000, invalidBodies = true, outage, eventStreams, log = () => {} } = {}) {
  const random = seededRandom(seed);
  const simulator = await startSimulator({
    rateLimit: false,
    faults: { seed, stallMs: requestTimeout * 3, ...FAULT_MIX },
    listLag: LIST_LAG,
    listFaults: { seed: seed + 1, stallMs: requestTimeout * 3, ...LIST_FAULT_MIX },
  });
  const clientOptions = {
    pollInterval: 250,
    requestTimeout,
    rateLimit: false,
    // A watch retries while its last good answer is under two minutes old (the default), with backoff
    // capped at 2 s. invalidBodies: a 2xx body that is not JSON is a glitch of an idempotent read; without
    // it such a body ends the watch with INVALID_RESPONSE at once (contract 10), as --strict-bodies shows.
    retry: { delay: 100, maxDelay: 2000, maxRetryAfter: 2000, invalidBodies },
  };
  const genlook = createGenlook({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, ...clientOptions });
  // The proxy has a client of its own, as a server beside the one watching would.
  const streams = eventStreams && (await startEventStreams(simulator, clientOptions));
  // Generations of their own (PENDING, PROCESSING halfway, then the outcome at `lastsMs`), so that the
  // streams are still open when the proxy restarts, whatever the load.
  for (let index = 0; index < (eventStreams?.count ?? 0); index++) {
    const fails = random() < 0.1;
    const last = fails ? { at: eventStreams.lastsMs, status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'chaos' } : { at: eventStreams.lastsMs, status: 'COMPLETED' };
    streams.follow(simulator.script([{ at: 0, status: 'PENDING' }, { at: eventStreams.lastsMs / 2, status: 'PROCESSING' }, last]));
  }
  const restarting = streams?.restartOnceSeen(eventStreams.restartAtMs).then(() => log('event streams: the proxy restarted'));
  globalThis.gc?.();
  const heapStart = process.memoryUsage().heapUsed;
  const started = Date.now();
  const outageTimer = outage && setTimeout(() => (log(`outage: every connection dropped for ${outage.durationMs} ms`), simulator.outage(outage.durationMs)), outage.atMs);
  const results = new Map();
  const emitted = new Map();
  let staleEmissions = 0;
  const record = (id, status) => {
    const last = emitted.get(id);
    if (last === status) return;
    if (last !== undefined && RANK[status] !== undefined && RANK[last] !== undefined && RANK[status] < RANK[last]) staleEmissions++;
    emitted.set(id, status);
  };
  const perWave = Math.ceil(generations / waves);
  const watches = [];
  for (let wave = 0; wave < waves; wave++) {
    const ids = [];
    for (let index = 0; index < perWave && wave * perWave + index < generations; index++) ids.push(simulator.script(timelineOf(random, minMs, maxMs)));
    const half = Math.floor(ids.length / 2);
    // Half through generationsSettled$, half through individual generation$ subscriptions.
    watches.push(
      lastValueFrom(genlook.generationsSettled$(ids.slice(0, half)).pipe(tap((entries) => entries.forEach((entry) => entry.generation && record(entry.generationId, entry.generation.status))))).then((entries) => {
        for (const entry of entries) results.set(entry.generationId, entry.outcome === 'completed' ? { status: 'COMPLETED' } : { error: entry.error });
      }),
    );
    for (const id of ids.slice(half)) {
      watches.push(
        lastValueFrom(genlook.generation$(id).pipe(tap((generation) => record(id, generation.status)))).then(
          (generation) => results.set(id, { status: generation.status }),
          (error) => results.set(id, { error }),
        ),
      );
    }
    if (wave < waves - 1) {
      log(`wave ${wave + 1}/${waves}: ${ids.length} generations, ${results.size} ended so far`);
      await new Promise((resolve) => setTimeout(resolve, waveMs));
    }
  }
  await Promise.all(watches);
  clearTimeout(outageTimer);
  await restarting;
  const eventStreamTotals = streams && (await streams.summary());
  const seconds = (Date.now() - started) / 1000;

  const outcomes = { completed: 0, failedAsScripted: 0, invalidResponse: 0, transientExhausted: 0, mismatched: 0, otherErrors: 0 };
  const mismatches = [];
  for (const [id, result] of results) {
    const expected = simulator.outcomeOf(id);
    const counters = simulator.requestsFor(id);
    if (result.status === 'COMPLETED' && expected.status === 'COMPLETED') outcomes.completed++;
    else if (result.error?.code === 'GENERATION_FAILED' && expected.status === 'FAILED' && result.error.errorCode === expected.errorCode) outcomes.failedAsScripted++;
    // A 2xx body that is not JSON is surfaced at once (contract 10): explained only if one was injected for this id.
    else if (result.error?.code === 'INVALID_RESPONSE' && (counters.faults.malformed ?? 0) > 0) outcomes.invalidResponse++;
    else if (isTransientError(result.error)) outcomes.transientExhausted++;
    else {
      outcomes[isGenlookError(result.error) ? 'otherErrors' : 'mismatched']++;
      mismatches.push({ id, expected, got: result.status ?? `${result.error?.name}: ${result.error?.message}` });
    }
  }
  const stats = simulator.stats();
  await genlook.close();
  await simulator.close();
  return {
    generations: results.size,
    seconds: Math.round(seconds * 10) / 10,
    requests: stats.generationRequests,
    faultsInjected: Object.values(stats.faults).reduce((sum, count) => sum + count, 0) - stats.faults.none,
    faults: stats.faults,
    listRequests: stats.listRequests,
    listFaults: stats.listFaults,
    listItemsOmitted: stats.listItemsOmitted,
    outageDropped: stats.outageDropped,
    staleEmissions,
    eventStreams: eventStreamTotals,
    maxConcurrentPerId: stats.maxConcurrentPerId,
    outcomes,
    mismatches: mismatches.slice(0, 10),
    heapStartMb: Math.round(heapStart / 1e5) / 10,
    /** While the run's results and the simulator's store are still held. */
    heapBeforeReleaseMb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10,
  };
}
