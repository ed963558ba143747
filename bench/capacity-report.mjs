// `npm run bench -- capacity [--quick]` (and part of the full run): the capacity of one account, for
// genlook-rx's defaults and the plain loop, at rising arrival rates. Writes docs/capacity.md and its chart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { lineChart } from './charts.mjs';
import { SCALE, VARIANTS, runCapacity, withinCapacity } from './capacity-scenario.mjs';

const MODES = {
  'create-and-follow': { full: [5, 10, 20, 40, 60, 80, 100, 120], quick: [10, 80], variants: ['genlook-rx', 'plain loop'] },
  'watch-only': { full: [5, 10, 20, 40, 60, 70, 80], quick: [10, 60], variants: ['genlook-rx', 'genlook-rx, no sweeps', 'plain loop'] },
};
const COLOURS = { 'genlook-rx': '#2563eb', 'genlook-rx, no sweeps': '#16a34a', 'plain loop': '#94a3b8' };
/**
 * What physics allows one account (100 requests a minute) at a 2 s cadence, p95 <= 3 s: create and follow,
 * one held POST /try-on/sync each; watch-only, one list request every ~2-3 s for every pending id plus one
 * read per finished id; per-id polling, ~5 requests a generation.
 */
const PHYSICAL = { 'create-and-follow': 100, 'watch-only': '70-80', 'watch-only, per-id polls': 20 };
const show = (value, digits = 0) => (value === null || value === undefined ? 'n/a' : Number(value).toFixed(digits));

/** Within capacity, and creations reach Genlook within 3 s of arriving (p95). */
const promptCreation = (run) => withinCapacity(run) && (run.creationWait.p95 ?? 0) <= 3_000;

/** Runs every level of both modes (the variants of a level side by side), then writes the report. */
export async function capacityReport({ root, quick = false }) {
  const minutes = quick ? 2 : 3;
  const loadAtStart = loadavg()[0];
  const runs = [];
  for (const [mode, levels] of Object.entries(MODES)) {
    for (const perMinute of quick ? levels.quick : levels.full) {
      const level = await Promise.all(levels.variants.map((variant) => runCapacity({ variant, mode, perMinute, minutes })));
      for (const run of level) {
        runs.push(run);
        console.log(`${mode.padEnd(18)} ${String(perMinute).padStart(4)}/min  ${run.variant.padEnd(21)} ${show(run.requestsPerGeneration, 2)} requests/gen, ${run.outcomesSeen}/${run.generations} outcomes, ${run.rateLimited} 429s, p95 ${show(run.outcomeLatency.p95)} ms, PROCESSING p95 ${show(run.processingLatency.p95)} ms${withinCapacity(run) ? '' : '  (over capacity)'}`);
      }
    }
  }
  const capacity = (variant, mode, within = withinCapacity) => Math.max(0, ...runs.filter((run) => run.variant === variant && run.mode === mode && within(run)).map((run) => run.perMinute));
  const markdown = render(runs, capacity, { quick, minutes, load: [loadAtStart, loadavg()[0]] });
  mkdirSync(`${root}/docs/capacity`, { recursive: true });
  writeFileSync(`${root}/docs/capacity/requests-per-generation.svg`, chart(runs, capacity));
  writeFileSync(`${root}/docs/capacity.md`, markdown);
  console.log(`\nwrote ${root}/docs/capacity.md`);
  return { runs, capacity };
}

function chart(runs, capacity) {
  const series = [];
  for (const [mode, { variants }] of Object.entries(MODES)) {
    for (const variant of variants) {
      const points = runs.filter((run) => run.variant === variant && run.mode === mode).map((run) => ({ x: run.perMinute, y: run.requestsPerGeneration, ok: withinCapacity(run) }));
      series.push({ label: `${variant}, ${mode}: ${capacity(variant, mode)}/min`, colour: COLOURS[variant], dashed: mode === 'watch-only', points });
    }
  }
  return lineChart({
    title: 'Requests per generation against the arrival rate, one account',
    xLabel: 'try-ons arriving per minute',
    yLabel: 'requests per generation',
    yMax: 10,
    series,
    note: 'filled: within capacity, hollow: over it;\nthe legend gives each capacity',
  });
}

function render(runs, capacity, { quick, minutes, load }) {
  const rx = (mode) => capacity('genlook-rx', mode);
  const loop = (mode) => capacity('plain loop', mode);
  const watch = (variant, perMinute) => runs.find((run) => run.variant === variant && run.mode === 'watch-only' && run.perMinute === perMinute);
  const savings = runs.filter((run) => run.variant === 'genlook-rx' && run.mode === 'watch-only' && withinCapacity(run) && withinCapacity(watch('plain loop', run.perMinute) ?? {}));
  let markdown = `# Capacity per account

Made by \`npm run bench -- capacity${quick ? ' --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)} (${cpus().length} cores, Node ${process.version}; load average
${load.map((value) => value.toFixed(1)).join(' at the start, ')} at the end: with time compressed tenfold, a 100 ms delay of the event loop is 1 s of account time, so a
loaded machine shows in the latencies).

**Capacity** is the largest arrival rate of try-ons at which every generation's outcome is seen, no 429 is
received, and the p95 detection latency (the simulator's status change to the client's emission) is at
most 3 s. One account has 100 requests a minute: requests, not CPU, are what a shop runs out of.

| | genlook-rx (defaults) | plain loop | ratio | physical limit |
|---|---|---|---|---|
| create-and-follow, creations reaching Genlook within 3 s (p95) | **${capacity('genlook-rx', 'create-and-follow', promptCreation)}** a minute | ${capacity('plain loop', 'create-and-follow', promptCreation)} a minute | ${capacity('plain loop', 'create-and-follow', promptCreation) ? `${show(capacity('genlook-rx', 'create-and-follow', promptCreation) / capacity('plain loop', 'create-and-follow', promptCreation), 1)}x` : 'n/a'} | ${PHYSICAL['create-and-follow']} |
| watch-only (ids created elsewhere) | **${rx('watch-only')}** a minute | ${loop('watch-only')} a minute | ${loop('watch-only') ? `${show(rx('watch-only') / loop('watch-only'), 1)}x` : 'n/a'} | ${PHYSICAL['watch-only']} |
| watch-only, sweeps off (\`sweeps: false\`: a poll per id) | ${capacity('genlook-rx, no sweeps', 'watch-only')} a minute | | | ${PHYSICAL['watch-only, per-id polls']} |

Capacity counts the shopper's wait: when the client creates, a rate at which creations queue for more
than 3 s (p95) before reaching Genlook is past capacity, whatever the detection latency. Every creation is
a request, so no rate past the account's own 100 a minute can be followed: beyond it, creations queue in
the budget (the "creation wait" column below) although every outcome is then seen at once. Without that
condition create-and-follow reaches ${rx('create-and-follow')} a minute (the highest rate measured is ${Math.max(...MODES['create-and-follow'][quick ? 'quick' : 'full'])}).

${savings.length ? `Watch-only, at the rates both follow within capacity, genlook-rx spends ${savings.map((run) => `${show(100 * (1 - run.requestsPerGeneration / watch('plain loop', run.perMinute).requestsPerGeneration))}% fewer requests a generation (${show(run.requestsPerGeneration, 2)} against ${show(watch('plain loop', run.perMinute).requestsPerGeneration, 2)}, p95 ${show(run.outcomeLatency.p95)} ms against ${show(watch('plain loop', run.perMinute).outcomeLatency.p95)} ms) at ${run.perMinute} a minute`).join('; ')}.` : ''}

![requests per generation](capacity/requests-per-generation.svg)

## The scenario

- The simulator with its real limit shape: 100 requests per key in a window, every route counted, 429
  with \`Retry-After\`. Time compressed ${Math.round(1 / SCALE)}x (a minute lasts ${60 * SCALE} s; every figure here is
  scaled back to account time): poll interval 2 s, durations lognormal around 10 s (sigma 0.3, seeded),
  one try-on in ten FAILED.
- Arrivals: ${minutes} minutes at each rate, a seeded Poisson process (given its count: exactly rate x
  minutes arrivals at uniformly random times), then up to 2 minutes for the last outcomes.
- **create-and-follow**: each arrival creates a try-on and follows it to its outcome
  (\`genlook.tryOn$(request)\`). **watch-only**: the generations are created outside the client, which
  only follows them (\`genlook.generation$(id)\`), from their creation.
- **genlook-rx**: \`createGenlook\` with its defaults, on a \`createMemoryBudget({ requestsPerMinute: 100,
  windowMs })\` with the simulator's compressed window; **genlook-rx, no sweeps**: the same with
  \`sweeps: false\` (watch-only only). **plain loop**: what a user would write over
  undici: create (again after a 429, once its \`Retry-After\` has passed), then GET every 2 s until the
  outcome, waiting out each 429 the same way.
- Each variant has its own simulator (its own account); the two run side by side at each rate.

## Every rate

| mode | arrivals/min | variant | outcomes seen | 429s | requests/gen | sync share | outcome p50 / p95 (ms) | PROCESSING p95 (ms) | creation wait p95 (ms) | within capacity |
|---|---|---|---|---|---|---|---|---|---|---|
`;
  for (const run of runs) {
    markdown += `| ${run.mode} | ${run.perMinute} | ${run.variant} | ${run.outcomesSeen}/${run.generations} | ${run.rateLimited} | ${show(run.requestsPerGeneration, 2)} | ${run.mode === 'create-and-follow' ? `${show(run.syncShare * 100)}%` : '-'} | ${show(run.outcomeLatency.p50)} / ${show(run.outcomeLatency.p95)} | ${run.processingLatency.seen ? show(run.processingLatency.p95) : '-'} | ${run.mode === 'create-and-follow' ? show(run.creationWait.p95) : '-'} | ${withinCapacity(run) ? 'yes' : 'no'} |\n`;
  }
  markdown += `
"sync share": creations made with \`POST /try-on/sync\` (one request for the whole try-on, the outcome
alone). "PROCESSING p95": how late the intermediate status was seen, among the generations where it was
(a creation that waits shows none). "creation wait": arrival to the creation reaching the server.

## What makes the difference

- **Sweeps** (\`sweeps: true\`, the default): while more than one watched generation is pending, one
  \`GET /generations\` page reports the status of all of them instead of a poll each: every
  \`pollInterval\` (paced by its answer) from three pending ids on; with two, while one of them is likely
  to end, later while both are young (never past \`maxPollGap\`); a finished one then costs its one \`GET /generations/{id}\` for its result or error code.
  PROCESSING is seen by the next sweep. In a fleet one process sweeps for the account ([fleet.md](fleet.md#the-fleets-sweeps)). An id the pages do not show (another account's, older
  than three pages, a list that omits it twice) is polled on its own. See [polling.md](polling.md#sweeps).
- **A creation that waits** (\`creation: 'auto'\`, the default of \`tryOn$\`): while requests are plentiful
  a try-on is created with \`POST /try-on\` and followed by polls or sweeps, so a UI sees PENDING and
  PROCESSING; once the budget could not follow the rate of creations that way (each costs its creation
  and its final read, and sweeps one request an interval), it is created with \`POST /try-on/sync\`:
  one request for the whole try-on. \`creation: 'poll'\` or \`'sync'\` forces either.
- **An adaptive cadence** (\`cadence: 'adaptive'\`, the default): the client learns how long try-ons take
  from the outcomes it sees and skips the polls that could not find an outcome; from the age where
  outcomes are likely it polls every \`pollInterval\`, a floor it never goes under; no status change goes unseen longer than \`maxPollGap\`
  (default 4 x \`pollInterval\`) plus a request. See [polling.md](polling.md#cadence).
- **Priorities in the one budget**: creations first, then polls likely to find an outcome, each boost
  bounded so nothing starves; the window margin scales with the window, so the budget does not idle
  while work waits.
- **Beyond capacity it queues, and says so**: no 429, creations and polls wait in the budget, and
  \`genlook.pressure$\` emits \`{ limit, used, waiting, windowMs }\` for a UI or a metric.
`;
  return markdown;
}
