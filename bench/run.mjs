// `npm run bench [-- --quick]`: genlook-rx against the alternatives, on the same simulator, in one run.
// Writes docs/benchmarks.md and its charts, then docs/capacity.md (`npm run bench -- capacity` runs that
// part alone). Medians of the repetitions; ratios within each repetition.
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runBudget } from './budget-scenario.mjs';
import { capacityReport } from './capacity-report.mjs';
import { barChart } from './charts.mjs';
import { pinned } from './processes.mjs';
import { runScale } from './scale-scenario.mjs';

// `--scales 1000,10000 --repetitions 1 --variants 'genlook-rx,plain RxJS,undici loop' --scale-only`: a part
// of the run (on a shared machine); `--scale-only` skips the budget scenario and docs/capacity.md.
const { values, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, scales: { type: 'string' }, repetitions: { type: 'string' }, variants: { type: 'string' }, 'scale-only': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const quick = values.quick;
const root = fileURLToPath(new URL('..', import.meta.url));
if (positionals.length > 0 && (positionals.length > 1 || positionals[0] !== 'capacity')) {
  console.error(`Unknown part: ${positionals.join(' ')} (the parts: capacity; none runs them all)`);
  process.exit(2);
}
if (positionals[0] === 'capacity') {
  await capacityReport({ root, quick });
  process.exit(0);
}
const ALL_VARIANTS = ['genlook-rx', 'undici loop', 'plain RxJS', 'fetch loop', 'timer+switchMap', 'rx-polling'];
const VARIANTS = values.variants ? values.variants.split(',').map((variant) => variant.trim()) : ALL_VARIANTS;
for (const variant of VARIANTS) if (!ALL_VARIANTS.includes(variant)) (console.error(`Unknown variant: ${variant} (the variants: ${ALL_VARIANTS.join(', ')})`), process.exit(2));
const SCALES = values.scales ? values.scales.split(',').map(Number) : quick ? [1_000] : [100, 1_000, 10_000];
const REPETITIONS = values.repetitions ? Number(values.repetitions) : quick ? 1 : 3;
const scaleOnly = values['scale-only'];
const median = (values) => {
  const sorted = values.filter((value) => value !== null && value !== undefined && Number.isFinite(value)).sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const fixed = (value, digits = 1) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));
const started = new Date();

const scaleRuns = [];
for (let repetition = 1; repetition <= REPETITIONS; repetition++) {
  for (const count of SCALES) {
    for (const variant of VARIANTS) {
      process.stdout.write(`rep ${repetition}/${REPETITIONS}  ${String(count).padStart(6)} ids  ${variant.padEnd(16)} `);
      const run = await runScale(variant, count);
      scaleRuns.push({ repetition, ...run });
      console.log(run.failed ? `FAILED: ${run.failed}` : `${fixed(run.cpuPerRequest)} µs/request, ${run.requests} requests, ${fixed(run.elapsed / 1000)} s`);
    }
  }
}
const idleHeap = execSync(`${process.execPath} --expose-gc ${root}/bench/idle-heap.mjs`, { encoding: 'utf8' });
console.log(idleHeap);
const budgetRuns = [];
for (let repetition = 1; repetition <= (scaleOnly ? 0 : REPETITIONS); repetition++) {
  console.log(`budget scenario, rep ${repetition}/${REPETITIONS} (${quick ? '12 generations over 15 s' : '60 generations over 2 min'})`);
  budgetRuns.push(...(await runBudget(quick ? { count: 12, spanMs: 15_000 } : {})).map((run) => ({ repetition, ...run })));
}

/** The median over repetitions of a figure, and of its ratio to `peer` within each repetition. */
function summarize(count, variant, figure) {
  const runs = scaleRuns.filter((run) => run.count === count && run.variant === variant && !run.failed);
  return median(runs.map(figure));
}
function ratio(count, variant, peer, figure) {
  const ratios = [];
  for (let repetition = 1; repetition <= REPETITIONS; repetition++) {
    const mine = scaleRuns.find((run) => run.repetition === repetition && run.count === count && run.variant === variant);
    const theirs = scaleRuns.find((run) => run.repetition === repetition && run.count === count && run.variant === peer);
    if (mine && theirs && !mine.failed && !theirs.failed) ratios.push(figure(mine) / figure(theirs));
  }
  return median(ratios);
}

const cpuOf = (run) => run.cpuPerRequest;
let markdown = `# Benchmarks

Made by \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` on ${started.toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${pinned ? '; the simulator pinned to core 1 and each client to core 0 (taskset)' : ''}.
Each client variant runs in a fresh process against a fresh simulator process; figures are medians of ${REPETITIONS} repetition${REPETITIONS > 1 ? 's' : ''}, and ratios are
taken within each repetition, then their median. Absolute times on these shared machines are noisy: read the ratios.

Scale scenario: N generations (PENDING, PROCESSING at 4 s, COMPLETED at 10 s) watched at a 2 s interval, rate budget off; genlook-rx with \`cadence: 'fixed'\`, so every variant polls every 2 s (its adaptive default, which skips the polls that cannot find an outcome, is measured in [capacity.md](capacity.md)).
- **CPU/request**: client user+system CPU from the first subscription to the last completion, over the requests the server counted.
- **requests/gen**: requests per generation over the minimum a perfect 2 s poller needs (6).
- **rate**: requests the server counted between 2 s and 8 s, over the expected N per 2 s.
- **heap/id**: retained heap per watched id, after a forced GC at 9 s, over the heap before watching.
- **sockets**: the most connections open at once on the server.
- **loop delay**: event-loop delay p50/p99 until 9 s. **latency**: detection latency (server status change, from \`updatedAt\`, to the client's emission) p50/p99.

Variants: genlook-rx; a \`while\` loop over \`undici.request\` with one keep-alive Agent (64 connections, the bare-metal reference); the same loop over global \`fetch\` (what SDK \`waitFor\` helpers do); RxJS \`timer(0, 2000)\` + \`switchMap\` over \`fetch\`; \`rx-polling\` 1.1.0 (with a stand-in \`document\`).
`;
for (const count of SCALES) {
  markdown += `\n## ${count.toLocaleString('en')} generations\n\n| variant | CPU/request (µs) | vs undici loop | vs fetch loop | requests/gen | rate | heap/id (B) | peak heap (MB) | sockets | loop delay p50/p99 (ms) | latency p50/p99 (ms) |\n|---|---|---|---|---|---|---|---|---|---|---|\n`;
  for (const variant of VARIANTS) {
    const get = (figure) => summarize(count, variant, figure);
    const failures = scaleRuns.filter((run) => run.count === count && run.variant === variant && run.failed);
    if (failures.length === REPETITIONS) {
      markdown += `| ${variant} | failed in every repetition: ${failures[0].failed} (${failures[0].requests} requests answered) |||||||||||\n`;
      continue;
    }
    markdown += `| ${variant} | ${fixed(get(cpuOf))} | ${fixed(ratio(count, variant, 'undici loop', cpuOf), 2)}x | ${fixed(ratio(count, variant, 'fetch loop', cpuOf), 2)}x | ${fixed(get((run) => run.requestsPerGeneration), 2)}x | ${fixed(get((run) => run.rateAchieved * 100), 0)}% | ${fixed(get((run) => run.retainedPerId), 0)} | ${fixed(get((run) => run.peakHeapMb), 1)} | ${fixed(get((run) => run.sockets), 0)} | ${fixed(get((run) => run.loopDelay?.p50))}/${fixed(get((run) => run.loopDelay?.p99))} | ${fixed(get((run) => run.latency.p50), 0)}/${fixed(get((run) => run.latency.p99), 0)} |\n`;
  }
}

const top = SCALES.at(-1);
const heapOf = (run) => run.retainedPerId;
const failedRuns = scaleRuns.filter((run) => run.failed);
if (failedRuns.length > 0) markdown += `\nFailed runs: ${failedRuns.map((run) => `${run.variant} at ${run.count} ids (rep ${run.repetition}): ${run.failed}`).join('; ')}. A client that opens one socket per watched id runs out of file descriptors (the limit here is ${'`ulimit -n`'} 20000) or of memory; those figures are left out of the medians.\n`;
// The targets: the idiom's own cost, against the plain RxJS pipeline in the same run (bench/variants/plain-rx.mjs).
for (const count of SCALES.filter((scale) => scale >= 1_000)) {
  const mine = (figure) => summarize(count, 'genlook-rx', figure);
  const targets = [
    ['CPU per request vs the plain RxJS pipeline', '≤ 1.5x', ratio(count, 'genlook-rx', 'plain RxJS', cpuOf), (value) => value <= 1.5, (value) => `${fixed(value, 2)}x`],
    ['retained heap per id vs the plain RxJS pipeline', '≤ 1.5x', ratio(count, 'genlook-rx', 'plain RxJS', heapOf), (value) => value <= 1.5, (value) => `${fixed(value, 2)}x`],
    ['request rate achieved', '≥ 98%', mine((run) => run.rateAchieved), (value) => value >= 0.98, (value) => `${fixed(value * 100, 1)}%`],
    ['event-loop delay p99', '≤ 25 ms', mine((run) => run.loopDelay?.p99), (value) => value <= 25, (value) => `${fixed(value)} ms`],
    ['sockets', '≤ 64', mine((run) => run.sockets), (value) => value <= 64, (value) => fixed(value, 0)],
    ['detection latency p99', '≤ interval + 50 ms (2050 ms)', mine((run) => run.latency.p99), (value) => value <= 2050, (value) => `${fixed(value, 0)} ms`],
  ];
  markdown += `\n## Targets at ${count.toLocaleString('en')} ids, 2 s interval\n\n| target | wanted | measured | met |\n|---|---|---|---|\n`;
  for (const [name, wanted, value, ok, show] of targets) markdown += `| ${name} | ${wanted} | ${value === null ? 'n/a' : show(value)} | ${value !== null && ok(value) ? 'yes' : 'no'} |\n`;
  const plain = (figure) => ratio(count, 'plain RxJS', 'undici loop', figure);
  markdown += `\nFor reference, the plain RxJS pipeline against the bare undici loop in the same run: CPU per request ${fixed(plain(cpuOf), 2)}x, retained heap per id ${fixed(plain(heapOf), 2)}x.\n`;
}
markdown += `\n## Heap held per waiting watch, by stage\n\n\`node --expose-gc bench/idle-heap.mjs\`: what a watch holds while it waits between polls, for the RxJS operator forms of each stage of a poll (each row adds one stage to \`repeat\`), and for a whole genlook-rx watch (whose stages are those RxJS operators: src/operators/).\n\n\`\`\`\n${idleHeap}\`\`\`\n`;

const BUDGET_VARIANTS = ['genlook-rx', 'fetch loop', 'exponential backoff'];
const budgetMedian = (variant, figure) => median(budgetRuns.filter((run) => run.variant === variant).map(figure));
markdown += `\n## Under the account's budget\n\n${quick ? '12 generations over 15 s' : '60 generations arriving over 2 minutes'}, each taking 6 to 15 s (the same seeded schedule for every variant), against the simulator's 100 requests a minute per key; each variant on its own simulator (its own account), side by side. genlook-rx with its default budget; the fetch loop at 2 s; exponential backoff from 2 s to 120 s with full jitter (as AWS waiters do). Latency: server status change to the client noticing it.\n\n| variant | 429s received | requests | detection latency mean (ms) | p95 (ms) |\n|---|---|---|---|---|\n`;
for (const variant of BUDGET_VARIANTS) {
  markdown += `| ${variant} | ${fixed(budgetMedian(variant, (run) => run.rateLimited), 0)} | ${fixed(budgetMedian(variant, (run) => run.requests), 0)} | ${fixed(budgetMedian(variant, (run) => run.latency.mean), 0)} | ${fixed(budgetMedian(variant, (run) => run.latency.p95), 0)} |\n`;
}
if (scaleOnly) markdown += '\nNot run this time (`--scale-only`).\n';
const lowest = BUDGET_VARIANTS.map((variant) => [variant, budgetMedian(variant, (run) => run.latency.mean)]).sort((a, b) => a[1] - b[1])[0]?.[0];
markdown += `\ngenlook-rx received ${fixed(budgetMedian('genlook-rx', (run) => run.rateLimited), 0)} 429s (target 0) and ${lowest === 'genlook-rx' ? 'had' : 'did not have'} the lowest mean detection latency (lowest: ${lowest}).\n`;

// Charts.
mkdirSync(`${root}/docs/benchmarks`, { recursive: true });
const charts = [
  ['cpu-per-request.svg', barChart({ title: `Client CPU per request at ${top.toLocaleString('en')} ids (lower is better)`, unit: 'µs', bars: VARIANTS.map((variant) => ({ label: variant, value: summarize(top, variant, cpuOf) })) })],
  ['heap-per-id.svg', barChart({ title: `Retained heap per watched id at ${top.toLocaleString('en')} ids`, unit: 'B', format: (value) => value.toFixed(0), bars: VARIANTS.map((variant) => ({ label: variant, value: summarize(top, variant, (run) => run.retainedPerId) })) })],
  ['latency-p99.svg', barChart({ title: `Detection latency p99 at ${top.toLocaleString('en')} ids`, unit: 'ms', format: (value) => value.toFixed(0), bars: VARIANTS.map((variant) => ({ label: variant, value: summarize(top, variant, (run) => run.latency.p99) })) })],
  ...(scaleOnly ? [] : [['budget-latency.svg', barChart({ title: 'Mean detection latency under the 100/min budget', unit: 'ms', format: (value) => value.toFixed(0), bars: BUDGET_VARIANTS.map((variant) => ({ label: variant, value: budgetMedian(variant, (run) => run.latency.mean) })) })]]),
];
markdown += '\n## Charts\n\n';
for (const [file, svg] of charts) {
  writeFileSync(`${root}/docs/benchmarks/${file}`, svg);
  markdown += `![${file.replace('.svg', '')}](benchmarks/${file})\n\n`;
}
markdown += `## Raw runs\n\n<details><summary>every run (JSON)</summary>\n\n\`\`\`json\n${JSON.stringify({ scaleRuns: scaleRuns.map(({ repetition, variant, count, cpuPerRequest, requests, sockets, rateAchieved, retainedPerId, peakHeapMb, loopDelay, latency, elapsed, errors }) => ({ repetition, variant, count, cpuPerRequest: Math.round(cpuPerRequest * 10) / 10, requests, sockets, rateAchieved: Math.round(rateAchieved * 1000) / 1000, retainedPerId: retainedPerId && Math.round(retainedPerId), peakHeapMb: Math.round(peakHeapMb * 10) / 10, loopDelay, latency, elapsed, errors })), budgetRuns }, null, 1)}\n\`\`\`\n\n</details>\n`;

const out = values.out ?? `${root}/docs/benchmarks.md`;
writeFileSync(out, markdown);
console.log(`\nwrote ${out}`);
console.log(markdown.split('## Charts')[0]);
if (!scaleOnly) await capacityReport({ root, quick });
