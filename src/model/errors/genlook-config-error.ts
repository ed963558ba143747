import { GenlookError } from './genlook-error.js';

/**
 * The client cannot make the request as configured: no API key where one is needed
 * (`MISSING_API_KEY`), or the client was closed (`CLIENT_CLOSED`).
 */
export class GenlookConfigError extends GenlookError<'MISSING_API_KEY' | 'CLIENT_CLOSED'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenlookConfigError');
  override name = 'GenlookConfigError';

  constructor(message: string, code: 'MISSING_API_KEY' | 'CLIENT_CLOSED') {
    super(message, { code });
  }
}
