/** What a process knows when Redis fails, and the budget's settings. */
export interface FallbackInput {
  /** The account's limit per window. */
  limit: number;
  /** Grants the shared budget lets go at once before pacing. */
  burst: number;
  /** The shared budget's pace: one grant every `spacing` ms across the fleet. */
  spacing: number;
  /** The largest fleet this process saw lately (`FleetPeak.size`); 0 if it never reached Redis. */
  fleet: number;
  /** Processes assumed by a process that never reached Redis. */
  assumedProcesses: number;
  /** Grants in the window at this process's last answer from Redis, and when that was (`undefined`: never). */
  used: number;
  usedAt: number | undefined;
  now: number;
}

/** A fallback's budget: requests a window, and how many of them count as already spent. */
export interface FallbackShare {
  requestsPerWindow: number;
  spent: number;
}

/**
 * This process's share of the limit while Redis is away. The fleet's processes each take the limit over
 * the largest fleet seen lately, so their fallbacks together never pass it; in the first window each also
 * counts as spent its share of what the fleet may have spent through Redis in the window: the count at its
 * last answer plus what the shared pace could have granted since (that answer may be a heartbeat seconds
 * old, while another process spent the whole window). A process that never reached Redis knows neither:
 * it assumes `assumedProcesses` and a full window (it waits a window before its first request).
 *
 * @example
 * ```ts
 * fallbackShare({ limit: 40, burst: 5, spacing: 54, fleet: 3, assumedProcesses: 10, used: 40, usedAt: 0, now: 500 });
 * // { requestsPerWindow: 13, spent: 13 }: the window is full; 13 a window from the next one on
 * ```
 */
export function fallbackShare(input: FallbackInput): FallbackShare {
  const { limit, burst, spacing, used, usedAt, now } = input;
  const fleet = input.fleet > 0 ? input.fleet : input.assumedProcesses;
  const requestsPerWindow = Math.max(1, Math.floor(limit / fleet));
  if (usedAt === undefined) return { requestsPerWindow, spent: requestsPerWindow };
  const fleetSpent = Math.min(limit, used + burst + Math.ceil(Math.max(0, now - usedAt) / spacing));
  return { requestsPerWindow, spent: Math.min(requestsPerWindow, Math.ceil(fleetSpent / fleet)) };
}
