import { type MonoTypeOperatorFunction, takeWhile } from 'rxjs';
import { GenerationFailedError } from '../model/errors/generation-failed-error.js';
import { classifyStatus } from '../model/generation-status.js';
import type { Generation } from '../model/schemas.js';

/**
 * The terminal rule for one generation, as `takeWhile`'s predicate: `true` while it is pending (pass it,
 * go on), `false` for `COMPLETED` (with `inclusive`, pass it, then complete), and a throw of
 * `GenerationFailedError` for `FAILED` (a throw in an operator's callback errors the stream; the
 * generation is not passed).
 */
function continuesAfter(generation: Generation): boolean {
  const kind = classifyStatus(generation.status);
  if (kind === 'failed') throw new GenerationFailedError(generation);
  return kind === 'pending';
}

/**
 * The terminal rule, and the stage `generation$` itself ends by: a `COMPLETED` generation is emitted
 * and the stream completes; a `FAILED` one errors the stream with `GenerationFailedError` (and is not
 * emitted). Ending unsubscribes from the source, which is what stops a poll loop. One
 * operator, `takeWhile(continuesAfter, true)`, whose predicate is the rule (a watch holds this stage
 * for its whole life: one operator rather than `tap` + `takeWhile` is one subscriber less per id). Useful on streams that do not end by
 * themselves (a WebSocket feed, a hand-made poll).
 *
 * @example
 * ```ts
 * statusFeed$.pipe(untilTerminal()).subscribe({ complete: () => console.log('done') });
 * ```
 */
export function untilTerminal<T extends Generation>(): MonoTypeOperatorFunction<T> {
  return (source) => source.pipe(takeWhile<T>(continuesAfter, true));
}
