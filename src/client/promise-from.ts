import type { Observable } from 'rxjs';
import { GenlookError } from '../model/errors/genlook-error.js';

/**
 * Subscribes and resolves with the last value when the stream completes, or rejects with its error.
 * An aborted `signal` unsubscribes (aborting the request in flight) and rejects with `signal.reason`.
 * The abort listener is always removed.
 */
export function promiseFrom<T>(source: Observable<T>, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let hasValue = false;
    let last: T | undefined;
    const onAbort = () => {
      subscription.unsubscribe();
      reject(signal!.reason);
    };
    const subscription = source.subscribe({
      next: (value) => {
        hasValue = true;
        last = value;
      },
      error: (error: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
      complete: () => {
        signal?.removeEventListener('abort', onAbort);
        if (hasValue) resolve(last as T);
        else reject(new GenlookError('The stream completed without a value', { code: 'NO_VALUE' }));
      },
    });
    if (!subscription.closed) signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Throws a `TypeError` unless `signal` is undefined or an AbortSignal-like object. */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (typeof signal !== 'object' || signal === null || typeof (signal as AbortSignal).addEventListener !== 'function' || !('aborted' in signal)) {
    throw new TypeError('Expected `signal` to be an AbortSignal');
  }
  return signal as AbortSignal;
}
