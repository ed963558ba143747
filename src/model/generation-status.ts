/** The statuses the API documents, in the order a generation moves through them. */
export const GENERATION_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;

/** A documented status. Any other string is an unknown, non-terminal status. */
export type KnownGenerationStatus = (typeof GENERATION_STATUSES)[number];

/** What a status means for a watch: the one classifier every rule of the library uses. */
export type StatusClass = 'completed' | 'failed' | 'pending';

/** `completed` and `failed` are terminal (the server never changes them); anything else is `pending`, unknown statuses included. */
export function classifyStatus(status: string): StatusClass {
  return status === 'COMPLETED' ? 'completed' : status === 'FAILED' ? 'failed' : 'pending';
}

const RANKS: Readonly<Record<string, number>> = { PENDING: 0, PROCESSING: 1, COMPLETED: 2, FAILED: 2 } satisfies Record<KnownGenerationStatus, number>;

/**
 * How far a known status is along PENDING -> PROCESSING -> terminal (0, 1, 2); `undefined` for an
 * unknown status, which has no place in that order.
 */
export function statusRank(status: string): number | undefined {
  return Object.hasOwn(RANKS, status) ? RANKS[status] : undefined;
}

/**
 * The forward-status rule, as the state of one watch: a status is admitted only when it moves forward
 * along PENDING -> PROCESSING -> terminal. A known status earlier than one already admitted is a stale
 * read (a replica behind) and is refused without resetting anything; a repeated status is refused; an
 * unknown status is admitted when it differs from the last one admitted (it has no place in the order).
 */
export class StatusProgress {
  private last: string | undefined = undefined;
  private highest = -1;

  /** True when `status` moves the watch forward (and it is recorded as the latest). */
  admits(status: string): boolean {
    const rank = statusRank(status);
    if (status === this.last || (rank !== undefined && rank < this.highest)) return false;
    this.last = status;
    if (rank !== undefined) this.highest = rank;
    return true;
  }
}
