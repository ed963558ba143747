import { GenlookError } from './genlook-error.js';

/**
 * The client cannot make the request as configured: no API key where one is needed
 * (`API_KEY_NOT_CONFIGURED`: nothing was sent; the server's own 401 for a keyless request is a
 * `GenlookApiError` with `MISSING_API_KEY`), or the client was closed (`CLIENT_CLOSED`).
 */
export class GenlookConfigError extends GenlookError<'API_KEY_NOT_CONFIGURED' | 'CLIENT_CLOSED'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenlookConfigError');
  override name = 'GenlookConfigError';

  constructor(message: string, code: 'API_KEY_NOT_CONFIGURED' | 'CLIENT_CLOSED') {
    super(message, { code });
  }
}
