import type { Observable } from 'rxjs';
import type { GenerationListItem } from '../model/generation-list.js';
import type { Generation } from '../model/schemas.js';

/**
 * What a coordinator tells the poll of one watched id. Exactly one of `lead` or `follow` holds at a
 * time; the poll starts in neither, and does nothing until the coordinator decides (which it may do
 * from within `join`: a local fallback leads at once, a stored outcome is relayed at once).
 */
export interface CoordinatedWatch {
  /** Poll here: this process holds the id's lease, or coordination is unavailable. Idempotent. */
  lead(): void;
  /** Stop polling here (the request in flight is aborted): another process polls and relays. Idempotent. */
  follow(): void;
  /**
   * A generation another process polled (or the latest one stored for a late subscriber), delivered in
   * order: the poll emits it as its own answer (a repeated status is not emitted again).
   */
  relay(generation: Generation): void;
}

/** A watch's side of the coordination: what the poll tells the coordinator. */
export interface CoordinatorMembership {
  /** Each answer polled here: the coordinator relays the status changes to the other processes. */
  publish(generation: Generation): void;
  /** The watch ended (its outcome, its last subscriber gone, or the client closed): release the id. */
  leave(): void;
}

/**
 * Decides which process of a fleet polls a generation, and relays its statuses to the others, so that a
 * fleet sends one poll loop per id however many processes watch it. `createGenlook({ coordinator })`
 * joins once per watched id; `genlook-rx/redis`'s `redisCoordinator` implements it on Redis.
 * A coordinator serves one client, and closing the client closes it.
 */
export interface PollCoordinator {
  /** Joins the fleet's watch of `id`; called by the client when an id gets its first subscriber. */
  join(id: string, watch: CoordinatedWatch): CoordinatorMembership;
  /**
   * One sweep of the account's `GET /generations` for the fleet: `own$` (this process reading the pages
   * itself) when this process sweeps for the fleet (it holds the fleet's sweep lease, or coordination is
   * unavailable), else what the process that sweeps published, no older than `interval`. Without this
   * method, a client with this coordinator polls per id (no sweeps).
   */
  sweep?(own$: Observable<FleetSweep>, interval: number): Observable<FleetSweep>;
  /** Releases what the coordinator holds (leases, subscriptions, timers); called by `genlook.close()`. */
  close?(): void | Promise<void>;
}

/** What one sweep of `GET /generations` saw: the items of the pages it read (newest first), and whether more exist. */
export interface FleetSweep {
  items: readonly GenerationListItem[];
  /** Pages exist past the ones read. */
  hasMore: boolean;
}
