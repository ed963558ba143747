import type { FaultOptions } from './faults.js';

/** Settings of `startSimulator`. */
export interface SimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The key clients must send as `x-api-key`. @default 'gk_simulator_key' */
  apiKey?: string;
  /** Other valid keys (another account: its generations answer 403 to the first key). @default [] */
  otherApiKeys?: string[];
  /** Multiplies every timeline duration: 0.1 makes a 10 s try-on take 1 s. @default 1 */
  timeScale?: number;
  /** A generation's duration before time scaling, in ms (PROCESSING at a fifth of it, at most 2 s). @default 10000 */
  generationDuration?: number;
  /** Per-key limit answered with 429 `RATE_LIMITED`, or `false`. @default { requestsPerMinute: 100, retryAfter: true } */
  rateLimit?: { requestsPerMinute?: number; windowMs?: number; retryAfter?: boolean } | false;
  /** Credits per key; each try-on costs one, then 402 `INSUFFICIENT_CREDITS`. @default Infinity */
  credits?: number;
  /** Faults injected into `GET /generations/{id}`. @default none */
  faults?: FaultOptions;
  /** Answer CORS preflights and add `access-control-allow-*` headers (for browser tests). @default false */
  cors?: boolean;
}

/** `SimulatorOptions` with defaults applied. */
export type ResolvedSimulatorOptions = Required<Omit<SimulatorOptions, 'rateLimit' | 'faults'>> & {
  rateLimit: { requestsPerMinute: number; windowMs: number; retryAfter: boolean } | false;
  faults: FaultOptions;
};

/** Applies the defaults of `SimulatorOptions`. */
export function resolveSimulatorOptions(options: SimulatorOptions): ResolvedSimulatorOptions {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new TypeError(`Expected \`timeScale\` to be a positive number, got ${String(timeScale)}`);
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    apiKey: options.apiKey ?? 'gk_simulator_key',
    otherApiKeys: options.otherApiKeys ?? [],
    timeScale,
    generationDuration: options.generationDuration ?? 10_000,
    rateLimit:
      options.rateLimit === false
        ? false
        : { requestsPerMinute: options.rateLimit?.requestsPerMinute ?? 100, windowMs: options.rateLimit?.windowMs ?? 60_000, retryAfter: options.rateLimit?.retryAfter ?? true },
    credits: options.credits ?? Infinity,
    faults: options.faults ?? {},
    cors: options.cors ?? false,
  };
}
