import { combineLatest, Observable, of } from 'rxjs';
import { GenerationFailedError } from './errors/generation-failed-error.js';
import { GenlookError } from './errors/genlook-error.js';
import { isGenlookError } from './errors/guards.js';
import type { CompletedGeneration, Generation } from './schemas.js';

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
  return new Observable<SettledGeneration>((subscriber) => {
    let last: Generation | undefined;
    return source.subscribe({
      next: (generation) => {
        last = generation;
        subscriber.next(
          generation.status === 'COMPLETED'
            ? { generationId, outcome: 'completed', generation: generation as CompletedGeneration, error: undefined }
            : { generationId, outcome: 'pending', generation, error: undefined },
        );
      },
      error: (error: unknown) => {
        const typed = isGenlookError(error) ? error : new GenlookError(String((error as Error)?.message ?? error), { code: 'UNKNOWN', cause: error });
        const generation = error instanceof GenerationFailedError ? error.generation : (error as { generation?: Generation }).generation ?? last;
        subscriber.next({ generationId, outcome: 'failed', generation, error: typed });
        subscriber.complete();
      },
      complete: () => subscriber.complete(),
    });
  });
}
