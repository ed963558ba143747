/** A sliding window of request times per API key: at most `limit` requests in any `windowMs`. */
export class RateWindow {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records a request at `now` if the key is under its limit; else how long, in ms, until it is. */
  take(key: string, now: number): { allowed: true } | { allowed: false; waitMs: number } {
    let times = this.times.get(key);
    if (times === undefined) this.times.set(key, (times = []));
    while (times.length > 0 && times[0]! <= now - this.windowMs) times.shift();
    if (times.length >= this.limit) return { allowed: false, waitMs: times[0]! + this.windowMs - now };
    times.push(now);
    return { allowed: true };
  }
}
