/**
 * Capped exponential backoff with full jitter: a delay drawn uniformly from
 * `[0, min(maxDelay, delay * 2^attempt)]`, or the cap itself without jitter. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, policy: { delay: number; maxDelay: number; jitter: boolean; random: () => number }): number {
  const cap = Math.min(policy.maxDelay, policy.delay * 2 ** Math.min(attempt, 52));
  return policy.jitter ? Math.floor(policy.random() * cap) : cap;
}

/**
 * Reads a `Retry-After` header (delta-seconds or an HTTP date) as milliseconds from `now`,
 * clamped to `[0, max]`. Anything else (negative, empty, garbage) is `undefined`.
 */
export function parseRetryAfter(header: string | undefined, now: number, max: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return clamp(Number(text) * 1000, max);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isFinite(date) ? clamp(date - now, max) : undefined;
}

/** Keeps a delay inside `[0, max]` so that no server value can break a timer (NaN becomes `max`). */
function clamp(delay: number, max: number): number {
  if (!(delay >= 0)) return delay < 0 ? 0 : max;
  return Math.min(Math.round(delay), max);
}
