import { GenlookError } from '../internal.js';

/** What lost (or found again) Redis: the shared budget or the poll coordinator. */
export type RedisWarningSource = 'budget' | 'coordinator';

/**
 * Redis could not be reached (`REDIS_UNAVAILABLE`, emitted once per outage) or is back (`REDIS_RECOVERED`,
 * not an error). The budget falls back to a local one at this process's share; the coordinator falls back
 * to polling in this process.
 */
export class GenlookRedisWarning extends GenlookError<'REDIS_UNAVAILABLE' | 'REDIS_RECOVERED'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenlookRedisWarning');
  override name = 'GenlookRedisWarning';
  /** Which part of `genlook-rx/redis` warns. */
  readonly source: RedisWarningSource;
  /** Requests a minute this process allows itself while Redis is away (the budget's warnings only). */
  readonly fallbackRequestsPerMinute: number | undefined;

  constructor(code: 'REDIS_UNAVAILABLE' | 'REDIS_RECOVERED', source: RedisWarningSource, fallbackRequestsPerMinute?: number, cause?: unknown) {
    super(message(code, source, fallbackRequestsPerMinute), { code, cause });
    this.source = source;
    this.fallbackRequestsPerMinute = fallbackRequestsPerMinute;
  }
}

function message(code: 'REDIS_UNAVAILABLE' | 'REDIS_RECOVERED', source: RedisWarningSource, fallbackRequestsPerMinute: number | undefined): string {
  if (code === 'REDIS_RECOVERED') return source === 'budget' ? 'Redis is reachable again: the shared budget is back' : 'Redis is reachable again: new watches are coordinated across the fleet again';
  return source === 'budget'
    ? `Redis is unreachable: the shared budget falls back to ${fallbackRequestsPerMinute} requests a minute for this process`
    : 'Redis is unreachable: the coordinator falls back to polling every watched id in this process';
}
