/**
 * The gate every request of a client passes. The in-memory budget of `createGenlook` implements it;
 * a budget shared by many processes of one account (see `genlook-rx/redis`) can replace it.
 *
 * @example
 * ```ts
 * const budget: RateBudget = { take: (grant) => { grant(); return () => {}; }, reportRateLimited() {} };
 * createGenlook({ rateLimit: budget });
 * ```
 */
export interface RateBudget {
  /**
   * Asks for one request slot. `grant` is called once, when the request may go (possibly at once,
   * synchronously). Returns a function that withdraws the request if it has not been granted yet.
   */
  take(grant: () => void): () => void;
  /**
   * Reports a 429: the budget pauses every request for `retryAfter` milliseconds when the server
   * gave one, else for a growing backoff.
   */
  reportRateLimited(retryAfter: number | undefined): void;
  /** Reports a successful answer (ends the 429 backoff). */
  reportSuccess?(): void;
  /** Releases the budget's timers; called by `genlook.close()`. */
  close?(): void;
}
