// `npm run soak -- --minutes N`: the chaos soak at scale (a wave of generations every second for N
// minutes), printing a summary table. Run with --expose-gc for a meaningful end heap.
import { parseArgs } from 'node:util';
import { runChaos } from './chaos.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    'per-second': { type: 'string', default: '20' },
    seed: { type: 'string', default: '42' },
    'strict-bodies': { type: 'boolean', default: false },
    'outage-at': { type: 'string', default: '20' },
    'outage-seconds': { type: 'string', default: '10' },
    streams: { type: 'string', default: '100' },
    'restart-at': { type: 'string', default: '40' },
  },
});
const minutes = Number(values.minutes);
const perSecond = Number(values['per-second']);
const outageAt = Number(values['outage-at']);
const outageSeconds = Number(values['outage-seconds']);
if (!(minutes > 0) || !(perSecond > 0) || !(outageAt >= 0) || !(outageSeconds >= 0)) {
  console.error('usage: npm run soak -- --minutes N [--per-second N] [--seed N] [--outage-at S] [--outage-seconds S (0: none)] [--streams N (0: none)] [--restart-at S] [--strict-bodies]');
  process.exit(2);
}
const waves = Math.round(minutes * 60);
let unexpected = 0;
process.on('unhandledRejection', () => unexpected++);
process.on('uncaughtException', () => unexpected++);
const outage = outageSeconds > 0 ? { atMs: outageAt * 1000, durationMs: outageSeconds * 1000 } : undefined;
console.log(`chaos soak: ${waves * perSecond} generations, ${perSecond} a second for ${minutes} min, seed ${values.seed}, retry.invalidBodies ${!values['strict-bodies']}, ${outage ? `a ${outageSeconds} s outage at ${outageAt} s` : 'no outage'}`);
const streamCount = Number(values.streams);
const restartAt = Number(values['restart-at']);
// The streams' generations last until 20 s past the restart.
const eventStreams = streamCount > 0 ? { count: streamCount, lastsMs: (restartAt + 20) * 1000, restartAtMs: restartAt * 1000 } : undefined;
if (eventStreams) console.log(`event streams: ${streamCount} browsers through genlook-rx/proxy on generations of ${restartAt + 20} s, the proxy restarting at ${restartAt} s (once each has had an event)`);
const summary = await runChaos({ generations: waves * perSecond, waves, waveMs: 1000, seed: Number(values.seed), minMs: 3000, maxMs: 15000, invalidBodies: !values['strict-bodies'], outage, eventStreams, log: (line) => waves <= 60 || console.log(line) });
// Everything of the run is released now: what the heap holds after a GC is what the client kept.
await new Promise((resolve) => setTimeout(resolve, 100));
globalThis.gc?.();
const heapEndMb = Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
const rows = [
  ['generations', summary.generations],
  ['duration (s)', summary.seconds],
  ['requests', summary.requests],
  ['faults injected', `${summary.faultsInjected} (${Object.entries(summary.faults).filter(([kind]) => kind !== 'none').map(([kind, count]) => `${kind} ${count}`).join(', ')})`],
  ['sweeps of GET /generations (list lag 1 s)', `${summary.listRequests}, faults ${Object.entries(summary.listFaults).filter(([kind, count]) => kind !== 'none' && count > 0).map(([kind, count]) => `${kind} ${count}`).join(', ')}, ${summary.listItemsOmitted} items left out`],
  ['completed as on the server', summary.outcomes.completed],
  ['failed as on the server', summary.outcomes.failedAsScripted],
  ['invalid response (injected malformed body)', summary.outcomes.invalidResponse],
  ['transient error, retries exhausted', summary.outcomes.transientExhausted],
  ['other typed errors', summary.outcomes.otherErrors],
  ['lost or wrong', summary.outcomes.mismatched],
  ['stale statuses emitted (older than one emitted before)', summary.staleEmissions],
  ['requests and connections dropped by the outage', summary.outageDropped],
  ...(summary.eventStreams
    ? [
        ['event streams through the proxy (restarts)', `${summary.eventStreams.streams} (${summary.eventStreams.restarts})`],
        ['event-stream events received, reconnects', `${summary.eventStreams.events}, ${summary.eventStreams.reconnects}`],
        ['event-stream events repeated / out of order', `${summary.eventStreams.repeated} / ${summary.eventStreams.outOfOrder}`],
        ['event streams without the outcome (lost)', summary.eventStreams.wrongOrMissingOutcome],
      ]
    : []),
  ['max concurrent requests for one id', summary.maxConcurrentPerId],
  ['unhandled rejections / exceptions', unexpected],
  ['heap at start (MB)', summary.heapStartMb],
  ['heap at the end of the run, results still held (MB)', summary.heapBeforeReleaseMb],
  ['heap after close() and GC (MB)', heapEndMb],
];
console.log(`\n| measure | value |\n|---|---|\n${rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}`);
if (summary.mismatches.length > 0) console.log('first mismatches:', summary.mismatches);
const streamFaults = summary.eventStreams ? summary.eventStreams.repeated + summary.eventStreams.outOfOrder + summary.eventStreams.wrongOrMissingOutcome : 0;
process.exitCode = summary.outcomes.mismatched + summary.outcomes.otherErrors + summary.outcomes.transientExhausted + summary.staleEmissions + streamFaults + unexpected === 0 && summary.maxConcurrentPerId <= 1 ? 0 : 1;
