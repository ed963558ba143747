/** Faults the simulator injects into `GET /generations/{id}`, drawn from a seeded generator. */
export interface FaultOptions {
  /** Seed of the generator: the same seed and request order give the same faults. @default 1 */
  seed?: number;
  /** Extra latency of every answer, in ms, drawn from `[min, max]`. @default { min: 0, max: 0 } */
  latency?: { min: number; max: number };
  /** Share of requests answered 500/502/503. @default 0 */
  serverError?: number;
  /** Share of requests whose connection is reset without an answer. @default 0 */
  reset?: number;
  /** Share of requests answered 200 with a body that is not JSON. @default 0 */
  malformed?: number;
  /** Share of requests whose body is cut short (the connection closes mid-body). @default 0 */
  truncated?: number;
  /** Share of requests that stall for `stallMs` before answering (past a client's request timeout). @default 0 */
  stall?: number;
  /** How long a stall lasts, in ms. @default 15000 */
  stallMs?: number;
  /** Share of requests that start a burst of 429 `RATE_LIMITED` answers. @default 0 */
  rateLimitBurst?: number;
  /** How many requests a 429 burst answers. @default 5 */
  burstLength?: number;
  /** Send `Retry-After` (seconds) with injected 429s. @default true */
  burstRetryAfter?: boolean;
  /** Share of requests answered as a replica behind would: the generation's previous status (when it has one). @default 0 */
  stale?: number;
}

/** Faults of `GET /generations` (the list): those of a single read, plus two a page can suffer. */
export interface ListFaultOptions extends Omit<FaultOptions, 'stale'> {
  /** Share of a page's items left out, each item drawn on its own (a list that misses what it holds). @default 0 */
  omit?: number;
  /** Share of pages whose items come in a shuffled order (not newest first). @default 0 */
  reorder?: number;
}

/** The fault picked for one request. */
export type Fault = 'none' | 'serverError' | 'reset' | 'malformed' | 'truncated' | 'stall' | 'rateLimited' | 'stale';

/** A small, fast, seeded PRNG (mulberry32) returning numbers in `[0, 1)`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks faults for successive requests, deterministically for a seed. */
export class FaultPicker {
  private readonly random: () => number;
  private burstLeft = 0;
  /** How many of each fault were injected. */
  readonly injected: Record<Fault, number> = { none: 0, serverError: 0, reset: 0, malformed: 0, truncated: 0, stall: 0, rateLimited: 0, stale: 0 };

  constructor(private readonly options: FaultOptions) {
    this.random = seededRandom(options.seed ?? 1);
  }

  /** A draw in `[0, 1)` from the same seeded sequence (for the list's per-item faults). */
  draw(): number {
    return this.random();
  }

  /** The fault for the next request, and its extra latency. */
  next(): { fault: Fault; latency: number } {
    const { latency = { min: 0, max: 0 } } = this.options;
    const extra = latency.max > latency.min ? latency.min + this.random() * (latency.max - latency.min) : latency.min;
    const fault = this.pick();
    this.injected[fault]++;
    return { fault, latency: Math.round(extra) };
  }

  private pick(): Fault {
    if (this.burstLeft > 0) {
      this.burstLeft--;
      return 'rateLimited';
    }
    const draw = this.random();
    const { serverError = 0, reset = 0, malformed = 0, truncated = 0, stall = 0, stale = 0, rateLimitBurst = 0, burstLength = 5 } = this.options;
    let edge = 0;
    for (const [fault, share] of [
      ['serverError', serverError],
      ['reset', reset],
      ['malformed', malformed],
      ['truncated', truncated],
      ['stall', stall],
      ['stale', stale],
    ] as const) {
      edge += share;
      if (draw < edge) return fault;
    }
    if (draw < edge + rateLimitBurst) {
      this.burstLeft = Math.max(0, burstLength - 1);
      return 'rateLimited';
    }
    return 'none';
  }
}
