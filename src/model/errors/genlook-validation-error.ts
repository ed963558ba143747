import type { GenlookErrorDetail } from './genlook-api-error.js';
import { GenlookError } from './genlook-error.js';

/**
 * An argument was refused before any request was sent: a generation id that is empty or holds
 * whitespace or control characters (`INVALID_ID`), or a try-on request that fails the schema
 * (`INVALID_REQUEST`, with the failing paths in `details`).
 */
export class GenlookValidationError extends GenlookError<'INVALID_ID' | 'INVALID_REQUEST'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenlookValidationError');
  override name = 'GenlookValidationError';
  readonly details: readonly GenlookErrorDetail[];

  constructor(message: string, code: 'INVALID_ID' | 'INVALID_REQUEST', details: readonly GenlookErrorDetail[] = []) {
    super(message, { code });
    this.details = details;
  }
}
