import type { CompletedGeneration, FailedGeneration, Generation } from './schemas.js';

/** The statuses the API documents. Any other string is an unknown, non-terminal status. */
export const GENERATION_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;

/** A documented status. */
export type KnownGenerationStatus = (typeof GENERATION_STATUSES)[number];

/** True for `COMPLETED` and `FAILED`: the statuses after which the server never changes. */
export function isTerminalStatus(status: string): status is 'COMPLETED' | 'FAILED' {
  return status === 'COMPLETED' || status === 'FAILED';
}

/** True when the generation is `COMPLETED` or `FAILED`. */
export function isTerminal(generation: Generation): generation is CompletedGeneration | FailedGeneration {
  return isTerminalStatus(generation.status);
}

/** True when the generation is `COMPLETED` (and so has a `resultImageUrl`). */
export function isCompleted(generation: Generation): generation is CompletedGeneration {
  return generation.status === 'COMPLETED';
}

/** True when the generation is `FAILED`. */
export function isFailed(generation: Generation): generation is FailedGeneration {
  return generation.status === 'FAILED';
}

/** True for a status the API does not document (treated as non-terminal, polled at the normal cadence). */
export function isUnknownStatus(status: string): boolean {
  return !(GENERATION_STATUSES as readonly string[]).includes(status);
}
