import type { SchedulerLike } from 'rxjs';
import { createMemoryBudget, type RateBudget } from '../internal.js';
import type { FallbackShare } from './fallback-share.js';

/** A request waiting for a slot of `redisBudget`, in its queue or in its fallback's. */
export interface Ticket {
  /** Cleared once granted or withdrawn. */
  grant: (() => void) | undefined;
  /** Arrival time less priority: the order of service. */
  rank: number;
  order: number;
  /** The ticket's place in the shared queue's heap (-1 outside it). */
  index: number;
}

/** Settings of `createLocalFallback`. */
export interface LocalFallbackConfig extends FallbackShare {
  burst: number;
  windowMs: number;
  /** The window with its margin: grants older than this no longer count anywhere. */
  span: number;
  scheduler: SchedulerLike;
  /** Called after each grant (the handover writes it to Redis). */
  onGrant(): void;
}

/** The local budget a `redisBudget` falls back to, keeping what the shared one needs back from it. */
export interface LocalFallback {
  /** The in-memory budget (pauses, snapshot). */
  readonly budget: RateBudget;
  readonly requestsPerWindow: number;
  take(ticket: Ticket): void;
  /** Withdraws a ticket waiting here; false if it is not here. */
  withdraw(ticket: Ticket): boolean;
  /** Withdraws every waiting ticket, for the shared queue (their ranks keep their order). */
  handBack(): Ticket[];
  /** The grants not yet written to Redis (those still within the span): when each was made, on the scheduler's clock, and a mark for `recorded`. */
  unrecorded(): { times: number[]; mark: number };
  /** The grants `unrecorded()` gave with this mark are in Redis now. */
  recorded(mark: number): void;
  close(): void;
}

/**
 * The fallback of `redisBudget` during an outage: an in-memory budget at this process's share
 * (`fallbackShare`), which remembers its grants until Redis has them (the shared budget counts them when
 * it takes over) and its waiting requests (they go back to the shared queue, none dropped or doubled).
 */
export function createLocalFallback(config: LocalFallbackConfig): LocalFallback {
  const { requestsPerWindow, spent, burst, windowMs, span, scheduler, onGrant } = config;
  const budget = createMemoryBudget({ requestsPerMinute: requestsPerWindow, burst: Math.min(burst, requestsPerWindow), windowMs, spent, scheduler });
  const waiting = new Map<Ticket, () => void>();
  // Grant times not yet in Redis; `first` counts every grant ever dropped from the front (recorded, or
  // too old to matter), so a mark stays valid while grants come and go.
  let grants: number[] = [];
  let first = 0;
  const drop = (count: number) => {
    if (count <= 0) return;
    grants = grants.slice(count);
    first += count;
  };
  const prune = (now: number) => {
    let stale = 0;
    while (stale < grants.length && grants[stale]! <= now - span) stale++;
    drop(stale);
  };
  return {
    budget,
    requestsPerWindow,
    take(ticket) {
      const withdraw = budget.take(() => {
        waiting.delete(ticket);
        const now = scheduler.now();
        prune(now);
        grants.push(now);
        const grant = ticket.grant;
        ticket.grant = undefined;
        grant?.();
        onGrant();
      }, Math.max(0, scheduler.now() - ticket.rank));
      if (ticket.grant !== undefined) waiting.set(ticket, withdraw);
    },
    withdraw(ticket) {
      const withdraw = waiting.get(ticket);
      if (withdraw === undefined) return false;
      waiting.delete(ticket);
      withdraw();
      return true;
    },
    handBack() {
      const tickets = [...waiting.keys()];
      for (const withdraw of waiting.values()) withdraw();
      waiting.clear();
      return tickets;
    },
    unrecorded() {
      const now = scheduler.now();
      prune(now);
      return { times: grants.slice(), mark: first + grants.length };
    },
    recorded(mark) {
      drop(Math.min(grants.length, mark - first));
    },
    close() {
      waiting.clear();
      budget.close?.();
    },
  };
}
