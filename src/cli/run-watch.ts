import type { Subscription } from 'rxjs';
import type { Genlook } from '../index.js';
import { downloadResult } from './download.js';
import { EXIT } from './exit-codes.js';
import { eraseLines, renderTable } from './table-renderer.js';
import { jsonLine, terminalText } from './terminal-text.js';
import { applyEvent, errorEvent, statusEvent, type WatchEvent, type WatchRow } from './watch-event.js';

/** How `runWatch` shows progress: a live table, NDJSON lines, or plain text lines. */
export type WatchOutput = 'table' | 'ndjson' | 'lines';

/** Settings of one watch. */
export interface RunWatchOptions {
  output: WatchOutput;
  /** Total time allowed per generation, in ms. */
  timeout: number;
  /** Poll interval, in ms (the client's when absent). */
  interval?: number;
  /** Save result images here. */
  download?: string;
  /** The client's baseUrl: downloads may go to loopback only when it is on loopback (`download.ts`). */
  apiBaseUrl?: string | undefined;
  color: boolean;
  write: (text: string) => void;
  /** Ctrl-C: unsubscribes everything (aborting requests in flight). */
  signal: AbortSignal;
  /** Terminal width for the table. */
  width?: number;
}

/** What a watch ended with. */
export interface WatchResult {
  rows: WatchRow[];
  exitCode: number;
}

/**
 * Watches ids until every one has ended (completed, failed, timed out or errored) or the signal aborts,
 * writing progress in the chosen output, and returns the exit code (docs/cli.md).
 */
export function runWatch(genlook: Genlook, ids: readonly string[], options: RunWatchOptions): Promise<WatchResult> {
  const { output, write, signal } = options;
  const start = Date.now();
  const rows: WatchRow[] = ids.map((generationId) => ({ generationId, status: '…', startedAt: start, endedAt: undefined, detail: '', outcome: 'running' }));
  const subscriptions: Subscription[] = [];
  let drawnLines = 0;
  let tick = 0;

  const draw = () => {
    if (output !== 'table') return;
    const text = renderTable(rows, { now: Date.now(), tick: tick++, color: options.color, width: options.width });
    write(`${eraseLines(drawnLines)}${text}\n`);
    drawnLines = text.split('\n').length;
  };
  const emit = (index: number, event: WatchEvent) => {
    applyEvent(rows[index]!, event, Date.now());
    if (output === 'ndjson') write(jsonLine(event));
    else if (output === 'lines') write(`${describeEvent(event)}\n`);
    else draw();
  };

  return new Promise<WatchResult>((resolve) => {
    let open = ids.length;
    const redraw = output === 'table' ? setInterval(draw, 100) : undefined;
    const finish = (exitCode: number) => {
      if (redraw) clearInterval(redraw);
      signal.removeEventListener('abort', onAbort);
      draw();
      resolve({ rows, exitCode });
    };
    const settleOne = () => {
      if (--open === 0) finish(exitCodeOf(rows));
    };
    const onAbort = () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      finish(EXIT.interrupted);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    draw();
    if (ids.length === 0) return finish(EXIT.ok);
    ids.forEach((id, index) => {
      const streamOptions = options.interval === undefined ? { timeout: options.timeout } : { timeout: options.timeout, pollInterval: options.interval };
      subscriptions.push(
        genlook.generation$(id, streamOptions).subscribe({
          next: (generation) => {
            // The estimate's prior scales with the interval (a --time-scale run's try-ons are shorter).
            rows[index]!.endsAt = genlook.estimate(generation, { pollInterval: options.interval }).endsAt.median;
            emit(index, statusEvent(generation, Date.now() - start));
          },
          error: (error: unknown) => {
            emit(index, errorEvent(id, error, Date.now() - start));
            settleOne();
          },
          complete: () => {
            const url = rows[index]!.detail;
            if (options.download === undefined || !url) return settleOne();
            downloadResult(url, id, options.download, { signal, timeout: options.timeout, apiBaseUrl: options.apiBaseUrl }).then(
              (path) => emit(index, { event: 'downloaded', generationId: id, elapsedMs: Date.now() - start, path }),
              (error: unknown) => emit(index, { event: 'error', generationId: id, elapsedMs: Date.now() - start, code: 'DOWNLOAD_FAILED', message: (error as Error).message }),
            ).finally(settleOne);
          },
        }),
      );
    });
  });
}

/**
 * 2 for a configuration error (a missing key), then 1 if any generation failed, 3 if any timed out,
 * 4 for any other API or network error (including a failed download), else 0.
 */
export function exitCodeOf(rows: readonly WatchRow[]): number {
  if (rows.some((row) => row.outcome === 'error' && row.detail === 'API_KEY_NOT_CONFIGURED')) return EXIT.usage;
  if (rows.some((row) => row.outcome === 'failed')) return EXIT.failed;
  if (rows.some((row) => row.outcome === 'timeout')) return EXIT.timeout;
  if (rows.some((row) => row.outcome === 'error' || row.detail === 'DOWNLOAD_FAILED')) return EXIT.apiError;
  return EXIT.ok;
}

/** One plain line for an event, every server-given field escaped (`terminalText`). */
function describeEvent(event: WatchEvent): string {
  const elapsed = `${(event.elapsedMs / 1000).toFixed(1)}s`.padStart(6);
  const text = (value: string | undefined) => terminalText(value ?? '');
  const id = text(event.generationId).padEnd(16);
  switch (event.event) {
    case 'status':
      return `${elapsed}  ${id}  ${text(event.status)}${event.resultImageUrl ? `  ${text(event.resultImageUrl)}` : ''}`;
    case 'failed':
      return `${elapsed}  ${id}  FAILED  ${text(event.errorCode)} ${text(event.errorMessage)}`.trimEnd();
    case 'downloaded':
      return `${elapsed}  ${id}  saved ${text(event.path)}`;
    default:
      return `${elapsed}  ${id}  ${event.event.toUpperCase()}  ${text(event.code)}: ${text(event.message)}`;
  }
}
