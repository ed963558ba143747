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

/**
 * Starts one process of a fleet test (test/fixtures/fleet-worker.mjs): `watching` resolves once every id
 * has a first status, `report` with its report when it exits (it rejects if the process dies).
 */
export function startWorker(config: object): { child: ChildProcess; watching: Promise<void>; report: Promise<WorkerReport> } {
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  let onWatching: () => void = () => {};
  const watching = new Promise<void>((resolve) => (onWatching = resolve));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
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
  return { child, watching, report };
}
