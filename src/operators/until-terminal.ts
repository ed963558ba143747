import type { MonoTypeOperatorFunction } from 'rxjs';
import type { Generation } from '../model/schemas.js';
import { endAtTerminal } from '../polling/terminal-rule.js';

/**
 * Ends a stream of generations at its terminal status: a `COMPLETED` generation is emitted and the
 * stream completes; a `FAILED` one errors the stream with `GenerationFailedError` (and is not emitted).
 * The rule `generation$` itself ends by; useful on streams that do not end by themselves (a WebSocket
 * feed, a hand-made poll).
 *
 * @example
 * ```ts
 * statusFeed$.pipe(untilTerminal()).subscribe({ complete: () => console.log('done') });
 * ```
 */
export function untilTerminal<T extends Generation>(): MonoTypeOperatorFunction<T> {
  return endAtTerminal<T>();
}
