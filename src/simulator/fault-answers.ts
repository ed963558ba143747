import type { ServerResponse } from 'node:http';
import type { SimulatorStats } from './counters.js';
import type { Fault, FaultOptions } from './faults.js';
import { sendApiError, sendJson } from './http-answers.js';

/** Delayed answers and injected faults of one simulator. */
export interface FaultAnswers {
  /** Runs `run` after `ms` unless the client went away; `clear()` drops every pending one. */
  later(ms: number, run: () => void, res: ServerResponse): void;
  /** Answers with `fault` instead of (or before) `answer`. */
  inject(fault: Fault, res: ServerResponse, answer: () => void): void;
  /** Cancels every delayed answer (the simulator is closing). */
  clear(): void;
}

/** The simulator's delayed answers and its fault kinds (see `FaultOptions`), counted in `stats`. */
export function createFaultAnswers(stats: SimulatorStats, options: FaultOptions): FaultAnswers {
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void, res: ServerResponse) => {
    if (ms <= 0) return run();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) run();
    }, ms);
    timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };
  return {
    later,
    inject(fault, res, answer) {
      switch (fault) {
        case 'serverError':
          return sendApiError(stats, res, [500, 502, 503][stats.requests % 3]!, 'SERVER_ERROR', 'Simulated server error');
        case 'reset':
          return void res.socket?.destroy();
        case 'malformed':
          return sendJson(stats, res, 200, '{"generationId": <html>Bad Gateway</html>');
        case 'truncated':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
          res.write('{"generationId":"');
          return void setImmediate(() => res.socket?.destroy());
        case 'stall':
          return later(options.stallMs ?? 15_000, answer, res);
        case 'rateLimited':
          return sendApiError(stats, res, 429, 'RATE_LIMITED', 'Simulated rate limit burst', {}, options.burstRetryAfter === false ? {} : { 'retry-after': '1' });
        default:
          return answer();
      }
    },
    clear() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
