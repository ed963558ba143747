import { catchError, combineLatest, defer, map, type Observable, of } from 'rxjs';
import { GenerationFailedError } from '../model/errors/generation-failed-error.js';
import { GenlookError } from '../model/errors/genlook-error.js';
import { classifyStatus } from '../model/generation-status.js';
import type { CompletedGeneration, Generation } from '../model/schemas.js';

/** One entry of `generationsSettled$`: the latest state of one id. */
export type SettledGeneration =
  | { generationId: string; outcome: 'pending'; generation: Generation; error: undefined }
  | { generationId: string; outcome: 'completed'; generation: CompletedGeneration; error: undefined }
  | {
      generationId: string;
      outcome: 'failed';
      /** The failed generation, or the last one seen before an error (`undefined` if none arrived). */
      generation: Generation | undefined;
      /** `GenerationFailedError`, or the typed error that ended the watch (404, 401, retries exhausted, ...). */
      error: GenlookError;
    };

/** Checks the ids argument of the many-ids methods. */
export function checkIds(ids: unknown): readonly string[] {
  if (!Array.isArray(ids)) throw new TypeError(`Expected \`ids\` to be an array of generation ids, got ${ids === null ? 'null' : typeof ids}`);
  return ids as readonly string[];
}

/**
 * The latest generation of each id, in the order given, once each has one (combineLatest);
 * completes when all have completed, errors on the first failure. No ids: `[]`, then complete.
 */
export function combineGenerations(ids: readonly string[], watch: (id: string) => Observable<Generation>): Observable<Generation[]> {
  if (ids.length === 0) return of([]);
  return combineLatest(ids.map(watch));
}

/**
 * Like `combineGenerations`, but a failure is an entry with its typed error, not a stream error;
 * completes when every entry is final.
 */
export function settleGenerations(ids: readonly string[], watch: (id: string) => Observable<Generation>): Observable<SettledGeneration[]> {
  if (ids.length === 0) return of([]);
  return combineLatest(ids.map((id) => settle(id, watch(id))));
}

function settle(generationId: string, source: Observable<Generation>): Observable<SettledGeneration> {
  return defer(() => {
    let last: Generation | undefined;
    return source.pipe(
      map((generation): SettledGeneration => {
        last = generation;
        return classifyStatus(generation.status) === 'completed'
          ? { generationId, outcome: 'completed', generation: generation as CompletedGeneration, error: undefined }
          : { generationId, outcome: 'pending', generation, error: undefined };
      }),
      catchError((error: unknown) => {
        const typed = error instanceof GenlookError ? error : new GenlookError(String((error as Error)?.message ?? error), { code: 'UNKNOWN', cause: error });
        const generation = error instanceof GenerationFailedError ? error.generation : last;
        return of<SettledGeneration>({ generationId, outcome: 'failed', generation, error: typed });
      }),
    );
  });
}
