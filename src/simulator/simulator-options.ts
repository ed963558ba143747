import { ACCOUNT_REQUESTS_PER_MINUTE, ACCOUNT_WINDOW_MS } from '../model/account-limits.js';
import { boolean, nonNegative, nonNegativeInteger, nonEmptyString, positive, positiveInteger } from '../model/option-checks.js';
import type { FaultOptions, ListFaultOptions } from './faults.js';

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
  /** Multiplies every duration (timelines and the sync hold): 0.1 makes a 10 s try-on take 1 s. @default 1 */
  timeScale?: number;
  /** The median duration of a created try-on before time scaling, in ms (PROCESSING at a fifth of it, at most 2 s). @default 10000 */
  generationDuration?: number;
  /**
   * How durations spread around `generationDuration`: the sigma of a lognormal distribution (0.3 puts 90%
   * of try-ons between 0.6x and 1.6x the median), drawn from a generator seeded by `seed`. 0: every
   * try-on takes `generationDuration`. @default 0
   */
  durationSpread?: number;
  /** Seed of the duration draws: the same seed and order of creations give the same durations. @default 1 */
  seed?: number;
  /** How long `POST /try-on/sync` holds a request before answering 202, in ms before time scaling (Genlook documents 90 s). @default 90000 */
  syncHold?: number;
  /**
   * How `POST /try-on/sync` answers a generation that FAILED during the hold, which Genlook does not
   * document: `'generation'`, 200 with the failed generation (`status`, `errorCode`, `errorMessage`);
   * `'error'`, a 422 error body whose `code` is the generation's `errorCode`. @default 'generation'
   */
  syncFailedAnswer?: 'generation' | 'error';
  /** Per-key limit answered with 429 `RATE_LIMITED`, or `false`. @default { requestsPerMinute: 100, windowMs: 60000, retryAfter: true } */
  rateLimit?: { requestsPerMinute?: number; windowMs?: number; retryAfter?: boolean } | false;
  /** Credits per key; each try-on costs one, then 402 `INSUFFICIENT_CREDITS`. @default Infinity */
  credits?: number;
  /** Faults injected into `GET /generations/{id}`. @default none */
  faults?: FaultOptions;
  /**
   * How far `GET /generations` (the list) lags the single read, in ms before time scaling: each item shows
   * its generation as it was that long ago (a list served by a replica behind). Genlook does not document
   * whether its list lags; a client must never let a lagging list move a stream backwards. @default 0
   */
  listLag?: number;
  /**
   * Faults injected into `GET /generations` (the list), drawn from their own seeded generator: those of
   * `faults` (`serverError`, `reset`, `malformed`, `truncated`, `stall`, `rateLimitBurst`, `latency`),
   * plus `omit` (the share of a page's items left out, each drawn on its own) and `reorder` (the share of
   * pages whose items come shuffled). @default none
   */
  listFaults?: ListFaultOptions;
  /** Answer CORS preflights and add `access-control-allow-*` headers (for browser tests). @default false */
  cors?: boolean;
}

/** `SimulatorOptions` with defaults applied. */
export type ResolvedSimulatorOptions = Required<Omit<SimulatorOptions, 'rateLimit' | 'faults' | 'listFaults'>> & {
  rateLimit: { requestsPerMinute: number; windowMs: number; retryAfter: boolean } | false;
  faults: FaultOptions;
  listFaults: ListFaultOptions;
};

/** Applies the defaults of `SimulatorOptions`, checking each (a `TypeError` names the option). */
export function resolveSimulatorOptions(options: SimulatorOptions): ResolvedSimulatorOptions {
  const { rateLimit } = options;
  const syncFailedAnswer = options.syncFailedAnswer ?? 'generation';
  if (syncFailedAnswer !== 'generation' && syncFailedAnswer !== 'error') throw new TypeError(`Expected \`syncFailedAnswer\` to be 'generation' or 'error', got ${JSON.stringify(syncFailedAnswer)}`);
  return {
    port: nonNegativeInteger('port', options.port ?? 0),
    host: nonEmptyString('host', options.host ?? '127.0.0.1'),
    apiKey: nonEmptyString('apiKey', options.apiKey ?? 'gk_simulator_key'),
    otherApiKeys: (options.otherApiKeys ?? []).map((key, index) => nonEmptyString(`otherApiKeys[${index}]`, key)),
    timeScale: positive('timeScale', options.timeScale ?? 1),
    generationDuration: positive('generationDuration', options.generationDuration ?? 10_000),
    durationSpread: nonNegative('durationSpread', options.durationSpread ?? 0),
    seed: nonNegativeInteger('seed', options.seed ?? 1),
    syncHold: positive('syncHold', options.syncHold ?? 90_000),
    syncFailedAnswer,
    rateLimit:
      rateLimit === false
        ? false
        : {
            requestsPerMinute: positiveInteger('rateLimit.requestsPerMinute', rateLimit?.requestsPerMinute ?? ACCOUNT_REQUESTS_PER_MINUTE),
            windowMs: positive('rateLimit.windowMs', rateLimit?.windowMs ?? ACCOUNT_WINDOW_MS),
            retryAfter: boolean('rateLimit.retryAfter', rateLimit?.retryAfter ?? true),
          },
    credits: options.credits === undefined || options.credits === Infinity ? Infinity : nonNegativeInteger('credits', options.credits),
    faults: options.faults ?? {},
    listLag: nonNegative('listLag', options.listLag ?? 0),
    listFaults: listFaultsOf(options.listFaults ?? {}),
    cors: boolean('cors', options.cors ?? false),
  };
}

/** Checks the list-only shares of `listFaults` (the others are `FaultOptions`, as for single reads). */
function listFaultsOf(faults: ListFaultOptions): ListFaultOptions {
  for (const name of ['omit', 'reorder'] as const) {
    const share = faults[name];
    if (share !== undefined && !(typeof share === 'number' && share >= 0 && share <= 1)) throw new TypeError(`Expected \`listFaults.${name}\` to be a share from 0 to 1, got ${String(share)}`);
  }
  return faults;
}
