import { positiveInteger } from './option-checks.js';

/** The account's rate limit: 100 requests in any minute (Genlook's documented limit). */
export const ACCOUNT_REQUESTS_PER_MINUTE = 100;

/** The window the account's limit applies to, in ms. */
export const ACCOUNT_WINDOW_MS = 60_000;

/** Requests the client lets go at once before pacing starts. */
export const DEFAULT_BURST = 10;

/**
 * Kept past each window so that jitter in the time from a grant to the server's count cannot push the
 * server over: 1/120 of the window (500 ms a minute), scaled so that a time-compressed budget (a 6 s
 * window in a benchmark) does not sit idle for a fixed half second, but never under 150 ms, since that
 * jitter does not shrink with the window (a 6 s window with a 50 ms margin drew a 429 from six processes
 * on two cores: test/fleet/fleet.test.ts).
 */
export function windowMargin(windowMs: number): number {
  return Math.max(windowMs / 120, 150);
}

/**
 * The rate-limit settings, checked once for every budget (the client's option, the in-memory budget,
 * the Redis one): whole requests per window (default the account's 100) and a burst (default 10, never
 * over the limit). Names in messages are `${name}.requestsPerMinute` and `${name}.burst`.
 */
export function rateLimitOf(name: string, requestsPerMinute: unknown, burst: unknown): { requestsPerMinute: number; burst: number } {
  const prefix = name === '' ? '' : `${name}.`;
  const limit = positiveInteger(`${prefix}requestsPerMinute`, requestsPerMinute ?? ACCOUNT_REQUESTS_PER_MINUTE);
  return { requestsPerMinute: limit, burst: positiveInteger(`${prefix}burst`, burst ?? Math.min(DEFAULT_BURST, limit)) };
}
