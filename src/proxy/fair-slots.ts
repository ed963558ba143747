import { Observable } from 'rxjs';

/** A wait for one slot, on behalf of every caller who needs what it will fetch. */
export interface SlotTurn {
  readonly callers: Set<string>;
  state: 'idle' | 'waiting' | 'running' | 'done';
  grant?: () => void;
}

interface CallerQueue {
  turns: SlotTurn[];
  /** When this caller was last granted a slot (a grant counter), 0 if never. */
  servedAt: number;
}

/**
 * A fixed number of slots (upstream reads in flight) shared fairly between callers: when a slot frees,
 * it goes to the waiting caller served longest ago (one who was never served first), so a caller with
 * forty reads queued and another with one alternate, and the second waits for one slot to free, not
 * for the first's queue to drain. A turn can wait for several callers at once (a read they all asked
 * for): it is granted on the earliest of their turns.
 */
export class FairSlots {
  private running = 0;
  private grants = 0;
  private readonly queues = new Map<string, CallerQueue>();

  constructor(private readonly capacity: number) {}

  /** A new turn for `caller` (not waiting until `wait$` is subscribed). */
  turn(caller: string): SlotTurn {
    return { callers: new Set([caller]), state: 'idle' };
  }

  /** Adds `caller` to the callers a turn waits for, so that `caller`'s place in the queue counts too. */
  join(turn: SlotTurn, caller: string): void {
    if (turn.callers.has(caller)) return;
    turn.callers.add(caller);
    if (turn.state === 'waiting') this.enqueue(caller, turn);
  }

  /**
   * Waits for a slot for `turn`: emits once when granted and holds the slot until unsubscribed (which,
   * before the grant, leaves the queue).
   */
  wait$(turn: SlotTurn): Observable<void> {
    return new Observable<void>((subscriber) => {
      turn.grant = () => {
        turn.state = 'running';
        this.running++;
        subscriber.next();
      };
      turn.state = 'waiting';
      for (const caller of turn.callers) this.enqueue(caller, turn);
      this.dispatch();
      return () => {
        const held = turn.state === 'running';
        turn.state = 'done';
        if (held) {
          this.running--;
          this.dispatch();
        }
      };
    });
  }

  /** Slots taken now and turns waiting (for tests and diagnostics). */
  snapshot(): { running: number; waiting: number; callers: number } {
    const waiting = new Set<SlotTurn>();
    for (const queue of this.queues.values()) for (const turn of queue.turns) if (turn.state === 'waiting') waiting.add(turn);
    return { running: this.running, waiting: waiting.size, callers: this.queues.size };
  }

  private enqueue(caller: string, turn: SlotTurn): void {
    const queue = this.queues.get(caller);
    if (queue) queue.turns.push(turn);
    else this.queues.set(caller, { turns: [turn], servedAt: 0 });
  }

  private dispatch(): void {
    while (this.running < this.capacity) {
      const next = this.nextTurn();
      if (next === undefined) return;
      next.grant?.();
    }
  }

  /** The first waiting turn of the caller served longest ago; callers left with nothing to wait for are forgotten. */
  private nextTurn(): SlotTurn | undefined {
    let chosen: CallerQueue | undefined;
    for (const [caller, queue] of this.queues) {
      // Turns granted through another caller, or abandoned (the browser left, the wait timed out), go.
      while (queue.turns.length > 0 && queue.turns[0]!.state !== 'waiting') queue.turns.shift();
      if (queue.turns.length === 0) this.queues.delete(caller);
      else if (chosen === undefined || queue.servedAt < chosen.servedAt) chosen = queue;
    }
    if (chosen === undefined) return undefined;
    chosen.servedAt = ++this.grants;
    return chosen.turns.shift();
  }
}
