// The simulator as its own process for the benchmarks (pinned to its own core by bench/run.mjs).
// Commands over IPC: { script: [{ id?, steps }] } -> ids; { stats: true } -> stats.
import { startSimulator } from '../dist/simulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const simulator = await startSimulator(options);
process.on('message', (message) => {
  if (message.script) {
    const ids = message.script.map((steps) => simulator.script(steps));
    process.send({ reply: message.reply, ids });
  } else if (message.stats) {
    process.send({ reply: message.reply, stats: simulator.stats() });
  } else if (message.close) {
    simulator.close().then(() => process.exit(0));
  }
});
process.send({ ready: true, baseUrl: simulator.baseUrl, apiKey: simulator.apiKey });
