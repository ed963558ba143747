import type { Cadence } from '../polling/cadence.js';
import type { RateBudget } from '../scheduling/rate-budget.js';

/** With `creation: 'auto'`, polling is chosen only while it would use at most this share of the budget. */
const POLL_SHARE = 0.7;
/** Creations remembered to estimate their rate. */
const REMEMBERED = 8;

/**
 * How `creation: 'auto'` chooses, per try-on, between polling (statuses shown, about 1 + 4 requests a
 * try-on, or 1 + 1 and a share of the sweeps) and a creation that waits (one request, the outcome alone). It polls only while requests are
 * plentiful: at the rate creations arrive (the last eight), following them all by polling would stay
 * within 70% of the budget, and the budget has room now for this try-on's polls. Both halves matter: the
 * rate sees a burst coming from its first few try-ons (before their polls fill the window), the room
 * sees other traffic (watches, reads) sharing the budget.
 */
export class CreationChoice {
  private readonly times: number[] = [];

  constructor(
    private readonly budget: RateBudget,
    private readonly cadence: Cadence,
    /** Pending try-ons are followed by sweeps: each costs its final read, the sweeps one request an interval. */
    private readonly hasSweeps = false,
  ) {}

  /** Records a creation at `now` and says whether to follow it by polling (else: wait for it). */
  shouldPoll(now: number, pollInterval: number): boolean {
    this.times.push(now);
    if (this.times.length > REMEMBERED) this.times.shift();
    const snapshot = this.budget.snapshot?.();
    if (snapshot === undefined || !Number.isFinite(snapshot.limit)) return true;
    const polls = this.cadence.model.expectedPolls(pollInterval);
    const room = snapshot.limit * POLL_SHARE - snapshot.used - snapshot.waiting;
    const span = now - this.times[0]!;
    // Creations a window at this rate: n - 2 over the span of n is the unbiased estimate of a Poisson
    // process's rate (n - 1 over it, the likeliest, read two try-ons a few seconds apart as a burst: at 5
    // a minute one creation in ten waited for nothing). With fewer than three, or all at once: as many as seen.
    const count = this.times.length;
    const perWindow = count >= 3 && span > 0 ? ((count - 2) * snapshot.windowMs) / span : count;
    // Followed by polls, each try-on costs its creation and its polls; by sweeps (used only while cheaper),
    // its creation and its final read, and the sweeps one request an interval however many they follow.
    const byPolls = perWindow * (1 + polls);
    const bySweeps = this.hasSweeps ? perWindow * 2 + snapshot.windowMs / pollInterval : Infinity;
    return room >= polls && Math.min(byPolls, bySweeps) <= snapshot.limit * POLL_SHARE;
  }
}
