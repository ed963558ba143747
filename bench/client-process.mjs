// One benchmark run of one client variant, in a fresh process (pinned by bench/run.mjs). Receives
// { variant, ids, baseUrl, apiKey, interval, budget, heapAt } over IPC; answers with its measurements.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { watch as genlookRx } from './variants/genlook-rx.mjs';
import { backoffLoop, fetchLoop, undiciLoop } from './variants/loops.mjs';
import { plainRx } from './variants/plain-rx.mjs';
import { rxPolling, timerSwitchMap } from './variants/rx.mjs';

const VARIANTS = { 'genlook-rx': async () => genlookRx, 'fetch loop': async () => fetchLoop, 'undici loop': async () => undiciLoop, 'timer+switchMap': async () => timerSwitchMap, 'plain RxJS': async () => plainRx, 'rx-polling': rxPolling, 'exponential backoff': async () => backoffLoop };
const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

// Load every variant's code first, then say ready: the run's clock starts only after start-up.
const loaded = Object.fromEntries(await Promise.all(Object.entries(VARIANTS).map(async ([name, load]) => [name, await load()])));
process.once('message', async ({ variant, ids, baseUrl, apiKey, interval, budget = false, heapAt = 9_000, stream = false }) => {
  const watch = loaded[variant];
  const latencies = [];
  const firstSeen = new Set();
  const onEmit = (id, _status, updatedAt) => {
    // The first status of an id is what it already was; every later one is a detected change.
    if (!firstSeen.has(id)) return void firstSeen.add(id);
    latencies.push(Date.now() - Date.parse(updatedAt));
  };
  globalThis.gc();
  const heapBaseline = process.memoryUsage().heapUsed;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let peakHeap = heapBaseline;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 250);
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  const watcher = watch(stream ? [] : ids, { baseUrl, apiKey, interval, budget, onEmit });
  let retained = null;
  let loopDelay = null;
  const heapTimer = setTimeout(() => {
    if (stream) return; // the budget scenario measures latency only
    loopDelay = { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6 };
    globalThis.gc();
    retained = process.memoryUsage().heapUsed - heapBaseline;
  }, Math.min(heapAt, 2 ** 31 - 1));
  // Streamed ids (the budget scenario) arrive over IPC while the run goes on.
  const added = [];
  let ended;
  const allAdded = new Promise((resolve) => (ended = resolve));
  if (stream) {
    process.on('message', (message) => {
      if (message.add) added.push(watcher.add(message.add));
      if (message.end) ended();
    });
  }
  await watcher.done;
  if (stream) await allAdded;
  await Promise.all(added);
  const cpu = process.cpuUsage(cpuStart);
  const elapsed = Date.now() - started;
  clearTimeout(heapTimer);
  clearInterval(sampler);
  loopDelay ??= { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6 };
  await watcher.close();
  latencies.sort((a, b) => a - b);
  process.send({
    cpuMicros: cpu.user + cpu.system,
    elapsed,
    retainedPerId: retained === null ? null : retained / Math.max(1, ids.length),
    peakHeapMb: (peakHeap - heapBaseline) / 1e6,
    loopDelay,
    latency: { count: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null },
  });
  process.disconnect();
});
process.send({ ready: true });
