import { inject, Injectable } from '@angular/core';
import { GenerationFailedError, type Generation, isGenlookError } from 'genlook-rx';
import { catchError, map, type Observable, of } from 'rxjs';
import { GENLOOK } from '../genlook/provide-genlook';

/** What the page shows of a try-on: its latest status, or how it failed. */
export type TryOnView =
  | { kind: 'status'; generation: Generation }
  | { kind: 'failed'; errorCode: string; errorMessage: string | undefined }
  | { kind: 'error'; code: string };

@Injectable({ providedIn: 'root' })
export class TryOnViews {
  private readonly genlook = inject(GENLOOK);

  /** Each status of the generation, then how it ended: a FAILED try-on or an error is a value, not an error. */
  view$(id: string): Observable<TryOnView> {
    return this.genlook.generation$(id, { timeout: 120_000 }).pipe(
      map((generation): TryOnView => ({ kind: 'status', generation })),
      catchError((error: unknown) =>
        of<TryOnView>(
          error instanceof GenerationFailedError
            ? { kind: 'failed', errorCode: error.errorCode ?? 'UNKNOWN', errorMessage: error.errorMessage }
            : { kind: 'error', code: isGenlookError(error) ? error.code : 'UNEXPECTED_ERROR' },
        ),
      ),
    );
  }
}
