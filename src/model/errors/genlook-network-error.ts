import { GenlookError } from './genlook-error.js';

/**
 * The request got no HTTP answer: connection refused or reset, DNS failure, a request that exceeded
 * `requestTimeout` (`code` `REQUEST_TIMEOUT`). `code`: `NETWORK_ERROR` or `REQUEST_TIMEOUT`. (A redirect is an answer: `GenlookApiError` `UNEXPECTED_REDIRECT`.)
 */
export class GenlookNetworkError extends GenlookError<'NETWORK_ERROR' | 'REQUEST_TIMEOUT'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenlookNetworkError');
  override name = 'GenlookNetworkError';
  /** `METHOD url` of the request. */
  readonly request: string;
  /** True when the request was known not to have reached the server (connection refused). */
  readonly isNotSent: boolean;

  constructor(options: { message: string; request: string; code?: 'NETWORK_ERROR' | 'REQUEST_TIMEOUT'; isNotSent?: boolean; cause?: unknown }) {
    super(`${options.message} (${options.request})`, { code: options.code ?? 'NETWORK_ERROR', cause: options.cause });
    this.request = options.request;
    this.isNotSent = options.isNotSent ?? false;
  }
}
