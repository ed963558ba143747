import { classifyStatus, statusRank } from './generation-status.js';
import type { CompletedGeneration, FailedGeneration, Generation } from './schemas.js';

/** True for `COMPLETED` and `FAILED`: the statuses after which the server never changes. */
export function isTerminalStatus(status: string): status is 'COMPLETED' | 'FAILED' {
  return classifyStatus(status) !== 'pending';
}

/** True when the generation is `COMPLETED` or `FAILED`. */
export function isTerminal(generation: Generation): generation is CompletedGeneration | FailedGeneration {
  return isTerminalStatus(generation.status);
}

/** True when the generation is `COMPLETED` (and so has a `resultImageUrl`). */
export function isCompleted(generation: Generation): generation is CompletedGeneration {
  return classifyStatus(generation.status) === 'completed';
}

/** True when the generation is `FAILED`. */
export function isFailed(generation: Generation): generation is FailedGeneration {
  return classifyStatus(generation.status) === 'failed';
}

/** True for a status the API does not document (treated as non-terminal, polled at the normal cadence). */
export function isUnknownStatus(status: string): boolean {
  return statusRank(status) === undefined;
}
