/** The account's rate limit: 100 requests in any minute (Genlook's documented limit). */
export const ACCOUNT_REQUESTS_PER_MINUTE = 100;

/** The window the account's limit applies to, in ms. */
export const ACCOUNT_WINDOW_MS = 60_000;

/** Requests the client lets go at once before pacing starts. */
export const DEFAULT_BURST = 10;

/**
 * Kept past each window, as a share of it, so that jitter in network latency cannot push the server
 * over: 500 ms a minute. Scaled with the window, so a time-compressed budget (a 6 s window in a
 * benchmark) does not sit idle for a fixed half second.
 */
export const WINDOW_MARGIN_SHARE = 1 / 120;
