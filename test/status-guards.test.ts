import { describe, expect, it } from 'vitest';
import { isCompleted, isFailed, isTerminal, isTerminalStatus, isUnknownStatus } from '../src/index.js';
import { completed, failed, pending, processing } from '../src/testing/index.js';

// The public status guards (src/model/status.ts), over every documented status and unknown ones.
const statuses = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'QUEUED', '', 'completed', 'toString', 'constructor'];

describe('the public status guards', () => {
  it('isTerminalStatus: COMPLETED and FAILED only', () => {
    expect(statuses.map((status) => [status, isTerminalStatus(status)])).toEqual(statuses.map((status) => [status, status === 'COMPLETED' || status === 'FAILED']));
  });

  it('isUnknownStatus: anything but the four documented statuses (an Object.prototype name too)', () => {
    expect(statuses.map((status) => [status, isUnknownStatus(status)])).toEqual(statuses.map((status) => [status, !['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'].includes(status)]));
  });

  it('isTerminal, isCompleted, isFailed on generations', () => {
    const generations = [pending('g1'), processing('g1'), completed('g1'), failed('g1', 'PRODUCT_IMAGE_FETCH_FAILED'), { ...pending('g1'), status: 'QUEUED' }];
    expect(generations.map((generation) => [isTerminal(generation), isCompleted(generation), isFailed(generation)])).toEqual([
      [false, false, false],
      [false, false, false],
      [true, true, false],
      [true, false, true],
      [false, false, false],
    ]);
  });
});
