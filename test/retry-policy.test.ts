import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/scheduling/backoff.js';
import { resolveRetry, retryByRule, retryRule } from '../src/scheduling/retry-policy.js';
import { asyncScheduler, concat, defer, of, throwError } from 'rxjs';
import { testScheduler } from './helpers/marbles.js';
import { MinHeap } from '../src/scheduling/min-heap.js';
import { GenlookApiError, GenlookResponseError } from '../src/index.js';

const DEFAULTS = { count: 5, watchCount: Infinity, giveUpAfter: 120_000, delay: 1_000, maxDelay: 30_000, jitter: true, maxRetryAfter: 60_000, random: Math.random, invalidBodies: false };

describe('resolveRetry: a retry option resolved over the defaults', () => {
  it('undefined is the defaults, false is off, a number is a count for one-shot calls and watches alike', () => {
    expect(resolveRetry(undefined, 'retry')).toEqual(DEFAULTS);
    expect(resolveRetry(false, 'retry')).toBe(false);
    expect(resolveRetry(3, 'retry')).toEqual({ ...DEFAULTS, count: 3, watchCount: 3 });
    expect(resolveRetry(0, 'retry')).toEqual({ ...DEFAULTS, count: 0, watchCount: 0 });
  });

  it('an object overrides field by field; a count given caps watches too, none leaves them uncapped', () => {
    const random = () => 0.5;
    expect(resolveRetry({}, 'retry')).toEqual(DEFAULTS);
    expect(resolveRetry({ count: 2, giveUpAfter: 10, delay: 20, maxDelay: 30, jitter: false, maxRetryAfter: 40, random, invalidBodies: true }, 'retry')).toEqual({
      count: 2,
      watchCount: 2,
      giveUpAfter: 10,
      delay: 20,
      maxDelay: 30,
      jitter: false,
      maxRetryAfter: 40,
      random,
      invalidBodies: true,
    });
    expect(resolveRetry({ delay: 0 }, 'retry', { ...DEFAULTS, count: 9, watchCount: 4 })).toEqual({ ...DEFAULTS, count: 9, watchCount: 4, delay: 0 });
  });

  it('names each bad field in its message', () => {
    const refusal = (name: string, what: string, got: string) => new TypeError(`Expected \`${name}\` to be ${what}, got ${got}`);
    expect(() => resolveRetry(-1, 'r')).toThrow(refusal('r', 'a non-negative integer', '-1'));
    expect(() => resolveRetry('3' as never, 'r')).toThrow(refusal('r', 'a retry policy object, a number or false', '"3"'));
    expect(() => resolveRetry(null as never, 'r')).toThrow(refusal('r', 'a retry policy object, a number or false', 'null'));
    expect(() => resolveRetry(true as never, 'r')).toThrow(refusal('r', 'a retry policy object, a number or false', 'true'));
    expect(() => resolveRetry({ count: 1.5 }, 'r')).toThrow(refusal('r.count', 'a non-negative integer', '1.5'));
    expect(() => resolveRetry({ giveUpAfter: -1 }, 'r')).toThrow(refusal('r.giveUpAfter', 'a non-negative number', '-1'));
    expect(() => resolveRetry({ delay: -1 }, 'r')).toThrow(refusal('r.delay', 'a non-negative number', '-1'));
    expect(() => resolveRetry({ maxDelay: -1 }, 'r')).toThrow(refusal('r.maxDelay', 'a non-negative number', '-1'));
    expect(() => resolveRetry({ jitter: 1 as never }, 'r')).toThrow(refusal('r.jitter', 'a boolean', '1'));
    expect(() => resolveRetry({ maxRetryAfter: -1 }, 'r')).toThrow(refusal('r.maxRetryAfter', 'a non-negative number', '-1'));
    expect(() => resolveRetry({ random: 0.5 as never }, 'r')).toThrow(refusal('r.random', 'a function', '0.5'));
    expect(() => resolveRetry({ invalidBodies: 'no' as never }, 'r')).toThrow(refusal('r.invalidBodies', 'a boolean', '"no"'));
  });
});

describe('retryRule: a policy made into a watch’s or a one-shot call’s rule', () => {
  const policy = { ...DEFAULTS, count: 3, watchCount: 7, giveUpAfter: 500 };
  const transient = new GenlookApiError({ status: 503, code: 'SERVICE_UNAVAILABLE', request: 'GET x' });
  const notFound = new GenlookApiError({ status: 404, code: 'GENERATION_NOT_FOUND', request: 'GET x' });
  const html = new GenlookResponseError({ message: 'Not JSON', request: 'GET x', status: 200, body: '<html>', isJson: false });
  const badShape = new GenlookResponseError({ message: 'Bad shape', request: 'GET x', status: 200, body: '{}' });

  it('a watch is bounded by giveUpAfter and its own count; a one-shot call by the count alone', () => {
    const watch = retryRule(policy, 'watch');
    const once = retryRule(policy, 'once');
    expect([watch.count, watch.giveUpAfter, watch.backoff]).toEqual([7, 500, policy]);
    expect([once.count, once.giveUpAfter, once.backoff]).toEqual([3, Infinity, policy]);
  });

  it('retries transient errors, and a body that is not JSON only with invalidBodies', () => {
    const plain = retryRule(policy, 'once').isRetryable;
    const bodies = retryRule({ ...policy, invalidBodies: true }, 'watch').isRetryable;
    expect([plain(transient), plain(notFound), plain(html), plain(badShape), plain(new Error('x'))]).toEqual([true, false, false, false, false]);
    expect([bodies(transient), bodies(notFound), bodies(html), bodies(badShape), bodies(new Error('x'))]).toEqual([true, false, true, false, false]);
  });
});

describe('parseRetryAfter: the edges', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads fractional seconds, rounds to a millisecond, trims, and clamps to max', () => {
    expect(parseRetryAfter(' 1.5 ', now, 60_000)).toBe(1500);
    expect(parseRetryAfter('0.0004', now, 60_000)).toBe(0);
    expect(parseRetryAfter('0.0006', now, 60_000)).toBe(1);
    expect(parseRetryAfter('0', now, 60_000)).toBe(0);
    expect(parseRetryAfter('60', now, 60_000)).toBe(60_000);
    expect(parseRetryAfter('61', now, 60_000)).toBe(60_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:01 GMT', now, 500)).toBe(500);
    expect(parseRetryAfter('1.', now, 60_000)).toBeUndefined();
    expect(parseRetryAfter('x1', now, 60_000)).toBeUndefined();
    expect(parseRetryAfter('1x', now, 60_000)).toBeUndefined();
  });
});

describe('MinHeap', () => {
  interface Node {
    value: number;
    index: number;
  }
  const node = (value: number): Node => ({ value, index: -1 });

  it('pops in order, keeps each node’s index, and removes from the middle', () => {
    const heap = new MinHeap<Node>((a, b) => a.value < b.value);
    const nodes = [5, 3, 8, 1, 9, 2, 7, 4, 6, 0].map(node);
    for (const each of nodes) heap.push(each);
    expect(heap.size).toBe(10);
    expect(heap.peek()?.value).toBe(0);
    heap.remove(nodes[2]!); // 8
    heap.remove(nodes[0]!); // 5
    heap.remove(nodes[0]!); // again: nothing
    expect(nodes[0]!.index).toBe(-1);
    const popped: number[] = [];
    for (let each = heap.pop(); each !== undefined; each = heap.pop()) {
      expect(each.index).toBe(-1);
      popped.push(each.value);
    }
    expect(popped).toEqual([0, 1, 2, 3, 4, 6, 7, 9]);
    expect(heap.pop()).toBeUndefined();
    expect(heap.size).toBe(0);
  });

  it('removing the last node, or a node of another heap, keeps the rest in order; drain empties it', () => {
    const heap = new MinHeap<Node>((a, b) => a.value < b.value);
    const other = new MinHeap<Node>((a, b) => a.value < b.value);
    const stranger = node(1);
    other.push(stranger);
    const nodes = [4, 1, 3, 2].map(node);
    for (const each of nodes) heap.push(each);
    heap.remove(stranger);
    expect(stranger.index).toBe(0);
    expect(heap.size).toBe(4);
    const last = nodes.find((each) => each.index === 3)!;
    heap.remove(last);
    expect(heap.size).toBe(3);
    const drained = heap.drain().map((each) => each.value).sort();
    expect(drained).toEqual([1, 2, 3, 4].filter((value) => value !== last.value));
    expect(nodes.map((each) => each.index)).toEqual([-1, -1, -1, -1]);
    expect(heap.size).toBe(0);
  });

  it('a removal that moves the last node up or down keeps the heap ordered (every order of removals, 7 nodes)', () => {
    for (let victim = 0; victim < 7; victim++) {
      const heap = new MinHeap<Node>((a, b) => a.value < b.value);
      const nodes = [1, 10, 2, 11, 12, 3, 4].map(node); // a valid heap as pushed: 1; 10 2; 11 12 3 4
      for (const each of nodes) heap.push(each);
      heap.remove(nodes[victim]!);
      const popped: number[] = [];
      for (let each = heap.pop(); each !== undefined; each = heap.pop()) popped.push(each.value);
      expect(popped).toEqual([1, 2, 3, 4, 10, 11, 12].filter((value) => value !== nodes[victim]!.value));
    }
  });
});

describe('retryByRule: counting failures and the time bound', () => {
  const transient = new GenlookApiError({ status: 503, code: 'SERVICE_UNAVAILABLE', request: 'GET x' });
  const rule = { ...retryRule({ ...DEFAULTS, jitter: false, delay: 100, maxDelay: 10_000 }, 'once'), count: 10 };
  /** A source that answers, then fails, on every subscription: when each subscription started. */
  const answerThenFail = (starts: number[]) =>
    defer(() => {
      starts.push(asyncScheduler.now());
      return concat(of(starts.length), throwError(() => transient));
    });

  it('counts failures in a row by default: after a value the backoff starts again from its first step', () => {
    testScheduler().run(({ flush }) => {
      const starts: number[] = [];
      const subscription = answerThenFail(starts).pipe(retryByRule(rule, asyncScheduler, { lastGoodAt: () => asyncScheduler.now() })).subscribe({ error: () => {} });
      asyncScheduler.schedule(() => subscription.unsubscribe(), 1_000);
      flush();
      // Each failure follows a value: every wait is the first step (100 ms), never 200, 400...
      expect(starts.slice(0, 4)).toEqual([0, 100, 200, 300]);
    });
  });

  it('without lastGoodAt, the time bound runs from the last value, not from the subscription', () => {
    testScheduler().run(({ flush }) => {
      const starts: number[] = [];
      const values: number[] = [];
      let failure: unknown;
      const subscription = answerThenFail(starts)
        .pipe(retryByRule({ ...rule, count: Infinity, giveUpAfter: 250 }, asyncScheduler))
        .subscribe({ next: (value) => values.push(value), error: (error) => (failure = error) });
      asyncScheduler.schedule(() => subscription.unsubscribe(), 1_000);
      flush();
      // Values keep coming every 100 ms: never 250 ms without one, so it has not given up by 1 s.
      expect(failure).toBeUndefined();
      expect(values.length).toBeGreaterThan(9);
    });
  });
});
