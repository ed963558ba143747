import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

/** A TestScheduler asserting with vitest; run mode virtualises `asyncScheduler` (1 frame = 1 ms). */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toStrictEqual(expected));
}
