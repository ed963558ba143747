// `node bench/client-cpu.mjs [ids] [variant]`: the client side of the scale scenario in this process (so
// that `node --cpu-prof bench/client-cpu.mjs` profiles it), the simulator in its own; prints the client's
// CPU per request. Variants: genlook-rx (default), undici loop, plain RxJS. Used to weigh a hand-rolled
// piece against its RxJS form (the figures in src/ comments); `npm run bench` makes the published ones.
import { startSimulatorProcess } from './processes.mjs';
import { watch as genlookRx } from './variants/genlook-rx.mjs';
import { undiciLoop } from './variants/loops.mjs';
import { plainRx } from './variants/plain-rx.mjs';

const count = Number(process.argv[2] ?? 10_000);
const watch = { 'genlook-rx': genlookRx, 'undici loop': undiciLoop, 'plain RxJS': plainRx }[process.argv[3] ?? 'genlook-rx'];
const simulator = await startSimulatorProcess({ rateLimit: false });
const steps = [{ at: 0, status: 'PENDING' }, { at: 4_000, status: 'PROCESSING' }, { at: 10_000, status: 'COMPLETED' }];
const { ids } = await simulator.ask({ script: Array.from({ length: count }, () => steps) });
const started = process.cpuUsage();
const watcher = watch(ids, { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, interval: 2_000, budget: false, onEmit() {} });
await watcher.done;
const used = process.cpuUsage(started);
const { stats } = await simulator.ask({ stats: true });
console.log(`${process.argv[3] ?? 'genlook-rx'}: ${((used.user + used.system) / stats.generationRequests).toFixed(1)} µs/request, ${stats.generationRequests} requests`);
await watcher.close();
await simulator.close();
