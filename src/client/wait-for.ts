import type { Generation } from '../model/schemas.js';
import { checkSignal } from './promise-from.js';
import { callable, positive } from '../model/option-checks.js';

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** Total time allowed, in ms; then the promise rejects with `GenerationTimeoutError`. @default 180000 */
  timeout?: number;
  /** Aborts the wait (and the request in flight); the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called with each distinct status as it arrives. */
  onStatus?: (generation: Generation) => void;
}

/** `waitFor`'s options, validated, with defaults. */
export function waitForOptions(options: WaitForOptions | undefined): { timeout: number; signal: AbortSignal | undefined; onStatus: ((generation: Generation) => void) | undefined } {
  const { timeout = 180_000, signal, onStatus } = options ?? {};
  return { timeout: positive('timeout', timeout), signal: checkSignal(signal), onStatus: onStatus === undefined ? undefined : callable('onStatus', onStatus) };
}
