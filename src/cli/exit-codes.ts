/** The CLI's exit codes (docs/cli.md). */
export const EXIT = {
  /** Every generation completed. */
  ok: 0,
  /** At least one generation failed. */
  failed: 1,
  /** Bad flags or configuration (a missing key, a bad URL). */
  usage: 2,
  /** At least one generation did not finish within --timeout. */
  timeout: 3,
  /** An API or network error ended a watch. */
  apiError: 4,
  /** Interrupted with Ctrl-C (SIGINT): 128 + 2, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM (a service manager, `kill`, a container stop): 128 + 15. */
  terminated: 143,
} as const;

/** A bad flag or configuration: one clear line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
