import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import { StatusProgress } from '../model/generation-status.js';
import type { Generation } from '../model/schemas.js';

/**
 * The forward-status stage: passes a generation only when its status moves forward (PENDING ->
 * PROCESSING -> terminal; a repeated status, or a stale earlier one, is dropped; an unknown status
 * passes when it differs from the last; the rule is `StatusProgress`, src/model/generation-status.ts). `distinctUntilChanged` alone would let a stale PENDING through
 * after PROCESSING: it knows only the previous value. `defer` gives each subscription its own progress.
 * @internal
 */
export function forwardStatus<T extends Generation>(): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      const progress = new StatusProgress();
      return source.pipe(filter((generation) => progress.admits(generation.status)));
    });
}
