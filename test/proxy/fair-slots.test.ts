import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { FairSlots, type SlotTurn } from '../../src/proxy/fair-slots.js';

/** Queues a turn; `granted` lists the names in the order their slots were given. */
function queue(slots: FairSlots, granted: string[], name: string, turn: SlotTurn = slots.turn(name.split(':')[0]!)) {
  const subscription: Subscription = slots.wait$(turn).subscribe(() => granted.push(name));
  return { turn, release: () => subscription.unsubscribe() };
}

describe('FairSlots', () => {
  it('gives a freed slot to the waiting caller served longest ago, not to the longest queue', () => {
    const slots = new FairSlots(1);
    const granted: string[] = [];
    const flood = Array.from({ length: 5 }, (_, index) => queue(slots, granted, `mallory:${index}`));
    const alice = queue(slots, granted, 'alice:0');
    expect(granted).toEqual(['mallory:0']);
    flood[0]!.release();
    expect(granted).toEqual(['mallory:0', 'alice:0']);
    flood[1]!.release(); // not granted yet: leaves the queue
    alice.release();
    expect(granted).toEqual(['mallory:0', 'alice:0', 'mallory:2']);
    expect(slots.snapshot()).toEqual({ running: 1, waiting: 2, callers: 1 });
  });

  it('a turn joined by another caller is granted on the earlier of their turns, once', () => {
    const slots = new FairSlots(1);
    const granted: string[] = [];
    const first = queue(slots, granted, 'mallory:0');
    queue(slots, granted, 'mallory:1');
    const shared = queue(slots, granted, 'mallory:2');
    slots.join(shared.turn, 'alice');
    first.release();
    // Alice was never served: the turn she joined goes before mallory:1.
    expect(granted).toEqual(['mallory:0', 'mallory:2']);
    shared.release();
    expect(granted).toEqual(['mallory:0', 'mallory:2', 'mallory:1']);
  });

  it('never runs more than its capacity, and a released slot is reused', () => {
    const slots = new FairSlots(2);
    const granted: string[] = [];
    const turns = ['a:0', 'b:0', 'c:0', 'a:1'].map((name) => queue(slots, granted, name));
    expect(granted).toEqual(['a:0', 'b:0']);
    expect(slots.snapshot().running).toBe(2);
    turns[1]!.release();
    expect(granted).toEqual(['a:0', 'b:0', 'c:0']);
    turns[0]!.release();
    turns[2]!.release();
    expect(granted).toEqual(['a:0', 'b:0', 'c:0', 'a:1']);
    turns[3]!.release();
    expect(slots.snapshot()).toEqual({ running: 0, waiting: 0, callers: 0 });
  });
});
