import { GenlookError } from '../errors/genlook-error.js';

/**
 * Redis could not be reached: the budget fell back to a local one at this process's share
 * (`REDIS_UNAVAILABLE`), emitted once per outage; `REDIS_RECOVERED` when it is back (not an error).
 */
export class GenlookRedisWarning extends GenlookError {
  override name = 'GenlookRedisWarning';
  /** Requests a minute this process allows itself while Redis is away. */
  readonly fallbackRequestsPerMinute: number;

  constructor(code: 'REDIS_UNAVAILABLE' | 'REDIS_RECOVERED', fallbackRequestsPerMinute: number, cause?: unknown) {
    super(
      code === 'REDIS_UNAVAILABLE'
        ? `Redis is unreachable: the shared budget falls back to ${fallbackRequestsPerMinute} requests a minute for this process`
        : 'Redis is reachable again: the shared budget is back',
      { code, cause },
    );
    this.fallbackRequestsPerMinute = fallbackRequestsPerMinute;
  }
}
