// Spawning the benchmark's processes, each pinned to a core with taskset where available.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** Starts a node script with an IPC channel, on `core` when taskset exists. */
export function startNode(script, args, core, nodeArgs = []) {
  const command = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', String(core), process.execPath, ...nodeArgs, here(script), ...args] : [...nodeArgs, here(script), ...args];
  const child = spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let sequence = 0;
  return {
    child,
    /** Sends a command and waits for the reply carrying the same number. */
    ask(message) {
      const reply = ++sequence;
      return new Promise((resolve) => {
        const onMessage = (answer) => {
          if (answer.reply !== reply) return;
          child.off('message', onMessage);
          resolve(answer);
        };
        child.on('message', onMessage);
        child.send({ ...message, reply });
      });
    },
    next: () => new Promise((resolve) => child.once('message', resolve)),
    exited: new Promise((resolve) => child.once('exit', resolve)),
  };
}

export const pinned = hasTaskset;

/** Starts the simulator process (core 1) and waits until it listens. */
export async function startSimulatorProcess(options) {
  const simulator = startNode('./sim-process.mjs', [JSON.stringify(options)], 1);
  const ready = await simulator.next();
  return { ...simulator, baseUrl: ready.baseUrl, apiKey: ready.apiKey, close: () => (simulator.child.send({ close: true }), simulator.exited) };
}

/** Starts one client variant (core 0) with GC exposed. */
export function startClientProcess() {
  return startNode('./client-process.mjs', [], 0, ['--expose-gc']);
}
