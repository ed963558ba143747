import type { Generation } from '../schemas.js';
import { serverText } from '../server-text.js';
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
  /** The server's typed reason, e.g. `PRODUCT_IMAGE_FETCH_FAILED`, when it gave one (in its safe form: the key redacted, controls escaped). */
  readonly errorCode: string | undefined;
  /** The server's human-readable reason, when it gave one (in its safe form). */
  readonly errorMessage: string | undefined;
  /** The failed generation as the client decoded it (every text field already in its safe form, `generation-shape.ts`). */
  readonly generation: Generation;

  constructor(generation: Generation) {
    // The decoder redacted the key (it holds it); escaping again here is a no-op for decoded text and
    // covers a generation built by hand, so no message of this class carries a raw control character.
    const text = (value: string | undefined) => (value === undefined ? undefined : serverText(value, undefined));
    const errorCode = text(generation.errorCode);
    const errorMessage = text(generation.errorMessage);
    const reason = [errorCode, errorMessage].filter(Boolean).join(': ');
    super(`Generation ${text(generation.generationId)} failed${reason ? `: ${reason}` : ''}`, { code: 'GENERATION_FAILED' });
    this.generationId = generation.generationId;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.generation = generation;
  }
}
