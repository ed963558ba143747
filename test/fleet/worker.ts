import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../fixtures/fleet-worker.mjs', import.meta.url));

/** What a fleet worker prints when every stream has ended. */
export interface WorkerReport {
  outcomes: string[];
  statuses: string[][];
  errors: string[];
  warnings: string[];
}

/** A running fleet worker. */
export interface Worker {
  child: ChildProcess;
  /** Resolves once the worker's client exists (a worker started without `ids` then waits for `watch`). */
  ready: Promise<void>;
  /** Starts watching `ids` (for a worker started without them). */
  watch(ids: string[]): void;
  /** Resolves once every id has a first status. */
  watching: Promise<void>;
  /** The report, when it exits (rejects if the process dies). */
  report: Promise<WorkerReport>;
  /** The lines printed so far. */
  lines(): string[];
}

/** Starts one process of a fleet test (test/fixtures/fleet-worker.mjs). */
export function startWorker(config: object): Worker {
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  let onWatching: () => void = () => {};
  let onReady: () => void = () => {};
  const watching = new Promise<void>((resolve) => (onWatching = resolve));
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('ready\n')) onReady();
    if (stdout.includes('watching\n')) onWatching();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0) resolve(JSON.parse(last) as WorkerReport);
      else reject(new Error(`fleet worker exited with ${code ?? signal}: ${stderr}`));
    });
  });
  // A killed worker's report is never read; keep its rejection from going unhandled.
  report.catch(() => {});
  const watch = (ids: string[]) => child.stdin!.end(`${JSON.stringify(ids)}\n`);
  return { child, ready, watch, watching, report, lines: () => stdout.split('\n') };
}
