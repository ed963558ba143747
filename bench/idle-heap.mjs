// `node --expose-gc bench/idle-heap.mjs`: heap held per watched id while it waits between polls, for the
// RxJS operator forms of each stage of a poll (over the same one-answer source and a minimal timer
// scheduler), and for a genlook-rx client. Used to weigh a hand-rolled piece against its RxJS form (the
// figures in src/ comments); `npm run bench` measures heap per id under load, against the undici loop.
import { asyncScheduler, defer, filter, Observable, repeat, ReplaySubject, retry, share, takeWhile, tap, timer } from 'rxjs';
import { createGenlook } from '../dist/index.js';

const COUNT = 20_000;
const answer = { generationId: 'g', status: 'PENDING', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };
// One answer per subscription, after a microtask (as a request would).
const request$ = new Observable((subscriber) => {
  let isLive = true;
  queueMicrotask(() => isLive && (subscriber.next(answer), subscriber.complete()));
  return () => (isLive = false);
});
const wait = () => timer(60_000, asyncScheduler);
const STAGES = {
  'repeat({ delay: timer })': (source) => source.pipe(repeat({ delay: wait })),
  '+ retry({ delay: timer }) around it': (source) => source.pipe(repeat({ delay: wait }), retry({ delay: wait })),
  '+ distinct rule: defer + filter': (source) => source.pipe(repeat({ delay: wait }), (s) => defer(() => { let last; return s.pipe(filter((g) => g.status !== last && ((last = g.status), true))); })),
  '+ terminal rule: tap + takeWhile': (source) => source.pipe(repeat({ delay: wait }), tap(() => {}), takeWhile((g) => g.status !== 'COMPLETED', true)),
  '+ share with ReplaySubject(1)': (source) => source.pipe(repeat({ delay: wait }), share({ connector: () => new ReplaySubject(1) })),
};

async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 200));
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function perId(start) {
  const before = await settle();
  const stop = start();
  const after = await settle();
  stop();
  return Math.round((after - before) / COUNT);
}

const transport = { request: async ({ url }) => ({ status: 200, headers: {}, body: JSON.stringify({ ...answer, generationId: decodeURIComponent(url.slice(url.lastIndexOf('/') + 1)) }) }) };
// Load every module first, so that code loaded on first use does not count as held per id.
await createGenlook({ apiKey: 'gk_bench', transport, rateLimit: false }).retrieve('warm');

const rows = [];
for (const [name, stage] of Object.entries(STAGES)) {
  rows.push([name, await perId(() => {
    const subscriptions = Array.from({ length: COUNT }, () => stage(request$).subscribe(() => {}));
    return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
  })]);
}
rows.push(['genlook-rx client, one generation$ per id', await perId(() => {
  const genlook = createGenlook({ apiKey: 'gk_bench', baseUrl: 'https://api.genlook.app/tryon/v1', transport, pollInterval: 60_000, rateLimit: false });
  const subscriptions = Array.from({ length: COUNT }, (_, index) => genlook.generation$(`gen_${index}`).subscribe(() => {}));
  return () => (subscriptions.forEach((subscription) => subscription.unsubscribe()), genlook.close());
})]);
console.log(`heap held per waiting watch, ${COUNT.toLocaleString('en')} watches, Node ${process.version}\n`);
for (const [name, bytes] of rows) console.log(`${name.padEnd(44)} ${String(bytes).padStart(6)} B`);
process.exit(0);
