import type { Generation } from '../schemas.js';
import { GenlookError } from './genlook-error.js';

/**
 * The generation reached `FAILED` on Genlook's side. The job is over; most failures are safe to retry
 * by creating a new try-on. `code` is always `GENERATION_FAILED`; the server's reason is `errorCode`.
 *
 * @example
 * ```ts
 * if (error instanceof GenerationFailedError) console.log(error.errorCode, error.errorMessage);
 * ```
 */
export class GenerationFailedError extends GenlookError<'GENERATION_FAILED'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenerationFailedError');
  override name = 'GenerationFailedError';
  readonly generationId: string;
  /** The server's typed reason, e.g. `PRODUCT_IMAGE_FETCH_FAILED`, when it gave one. */
  readonly errorCode: string | undefined;
  /** The server's human-readable reason, when it gave one. */
  readonly errorMessage: string | undefined;
  /** The failed generation as the server returned it. */
  readonly generation: Generation;

  constructor(generation: Generation) {
    const reason = [generation.errorCode, generation.errorMessage].filter(Boolean).join(': ');
    super(`Generation ${generation.generationId} failed${reason ? `: ${reason}` : ''}`, { code: 'GENERATION_FAILED' });
    this.generationId = generation.generationId;
    this.errorCode = generation.errorCode;
    this.errorMessage = generation.errorMessage;
    this.generation = generation;
  }
}
