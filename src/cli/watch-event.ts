import { classifyStatus, GenerationFailedError, GenerationTimeoutError, type Generation, isGenlookError } from '../internal.js';

/** One line of the CLI's NDJSON output: a status change or the end of one watch. */
export interface WatchEvent {
  event: 'status' | 'failed' | 'timeout' | 'error' | 'downloaded';
  generationId: string;
  /** The generation's status (for `status` and `failed`). */
  status?: string;
  /** Milliseconds since the watch started. */
  elapsedMs: number;
  resultImageUrl?: string;
  errorCode?: string;
  errorMessage?: string;
  /** The typed error's `code` (for `timeout` and `error`). */
  code?: string;
  message?: string;
  /** Where a result image was saved (for `downloaded`). */
  path?: string;
}

/** The state of one watched id, as the table shows it. */
export interface WatchRow {
  generationId: string;
  status: string;
  startedAt: number;
  endedAt: number | undefined;
  /** The result URL, an error code, or a message: the last column. */
  detail: string;
  outcome: 'running' | 'completed' | 'failed' | 'timeout' | 'error';
  /** While running: when it is likely to end (the client's median estimate, epoch ms), for the ETA. */
  endsAt?: number;
}

/** The event for a new status. */
export function statusEvent(generation: Generation, elapsedMs: number): WatchEvent {
  const event: WatchEvent = { event: 'status', generationId: generation.generationId, status: generation.status, elapsedMs };
  if (generation.resultImageUrl && classifyStatus(generation.status) === 'completed') event.resultImageUrl = generation.resultImageUrl;
  return event;
}

/** The event for the error that ended a watch. */
export function errorEvent(generationId: string, error: unknown, elapsedMs: number): WatchEvent {
  if (error instanceof GenerationFailedError) {
    return { event: 'failed', generationId, status: 'FAILED', elapsedMs, errorCode: error.errorCode, errorMessage: error.errorMessage };
  }
  if (error instanceof GenerationTimeoutError) {
    return { event: 'timeout', generationId, elapsedMs, code: 'GENERATION_TIMEOUT', message: (error as Error).message };
  }
  const code = isGenlookError(error) ? error.code : 'UNEXPECTED_ERROR';
  return { event: 'error', generationId, elapsedMs, code, message: error instanceof Error ? error.message : String(error) };
}

/** Applies an event to its row. */
export function applyEvent(row: WatchRow, event: WatchEvent, now: number): void {
  switch (event.event) {
    case 'status':
      row.status = event.status ?? row.status;
      if (event.status !== undefined && classifyStatus(event.status) === 'completed') {
        row.outcome = 'completed';
        row.endedAt = now;
        row.detail = event.resultImageUrl ?? '';
      }
      break;
    case 'failed':
      Object.assign(row, { status: 'FAILED', outcome: 'failed', endedAt: now, detail: event.errorCode ?? event.errorMessage ?? 'failed' });
      break;
    case 'timeout':
      Object.assign(row, { outcome: 'timeout', endedAt: now, detail: 'timed out' });
      break;
    case 'error':
      Object.assign(row, { outcome: 'error', endedAt: now, detail: event.code ?? 'error' });
      break;
    case 'downloaded':
      row.detail = event.path ?? row.detail;
      break;
  }
}
