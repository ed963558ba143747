import { inject, type ResourceRef } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { Generation, GenerationOptions } from '../internal.js';
import { GENLOOK } from './provide-genlook.js';

/**
 * A generation as an Angular resource: `value()` is its latest status (`undefined` until the first
 * answer), `status()` is `'loading'` then `'resolved'`, and a FAILED try-on or any other error is
 * `error()` (a `GenerationFailedError` with its `errorCode`; guard reads with `hasValue()`, since
 * `value()` throws in the error state).
 *
 * Built on `rxResource({ params, stream })` rather than `toSignal`: the id is a reactive param (a route
 * input), so a new id unsubscribes the old poll and follows the new one, an `undefined` id polls nothing
 * (`'idle'`), and the error state comes with it; `toSignal` alone would need `toObservable` plus
 * `switchMap` and a hand-made error value. The subscription lives as long as the injection context it is
 * created in (a component): destroying it unsubscribes, which cancels the request and stops the poll.
 * Call it in an injection context, with `provideGenlook()` provided.
 *
 * @example
 * ```ts
 * readonly id = input.required<string>();
 * readonly generation = generationResource(this.id, { timeout: 300_000 });
 * ```
 */
export function generationResource(id: () => string | undefined, options?: GenerationOptions): ResourceRef<Generation | undefined> {
  const genlook = inject(GENLOOK);
  return rxResource({
    params: () => id() || undefined,
    stream: ({ params }) => genlook.generation$(params, options),
  });
}
