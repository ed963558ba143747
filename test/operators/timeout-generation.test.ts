import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { GenerationTimeoutError, timeoutGeneration } from '../../src/index.js';
import { pending } from '../../src/testing/index.js';
import { testScheduler } from '../helpers/marbles.js';

describe('timeoutGeneration: its settings', () => {
  it('refuses a total that is not a positive number, naming the option', () => {
    expect(() => timeoutGeneration(-1)).toThrow(new TypeError('Expected `timeout` to be a positive number, got -1'));
    expect(() => timeoutGeneration({ total: 0 })).toThrow(new TypeError('Expected `timeout` to be a positive number, got 0'));
  });

  it('refuses a scheduler without schedule and now, naming the option', () => {
    const message = 'Expected `timeoutGeneration.scheduler` to be an RxJS scheduler, got an object';
    expect(() => timeoutGeneration({ total: 10, scheduler: {} as never })).toThrow(new TypeError(message));
    expect(() => timeoutGeneration({ total: 10, scheduler: { now: () => 0 } as never })).toThrow(new TypeError(message));
  });

  it('times on the scheduler it is given', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const p = pending('g1');
      const error = new GenerationTimeoutError({ generationId: 'g1', timeout: 30, lastStatus: 'PENDING' });
      expectObservable(cold('-p------', { p }).pipe(timeoutGeneration({ total: 30, scheduler: asyncScheduler }))).toBe('-p 28ms #', { p }, error);
    });
  });
});
