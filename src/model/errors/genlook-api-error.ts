import { GenlookError, type KnownApiErrorCode } from './genlook-error.js';

/** One entry of a validation error's `details`, as the API sends it. */
export interface GenlookErrorDetail {
  path: string;
  message: string;
}

/**
 * The API answered with a non-2xx status. `code` is the server's code (`RATE_LIMITED`,
 * `INVALID_API_KEY`, `GENERATION_NOT_FOUND`, ...), or one derived from the status when the body had none.
 *
 * @example
 * ```ts
 * if (error instanceof GenlookApiError && error.code === 'INSUFFICIENT_CREDITS') showTopUp();
 * ```
 */
export class GenlookApiError extends GenlookError<KnownApiErrorCode | (string & {})> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenlookApiError');
  override name = 'GenlookApiError';
  /** The HTTP status. */
  readonly status: number;
  /** The server's message, when it gave one. */
  readonly serverMessage: string | undefined;
  /** Field-level details of a validation error. */
  readonly details: readonly GenlookErrorDetail[] | undefined;
  /** The server's `Retry-After`, in milliseconds, when it sent a valid one. */
  readonly retryAfter: number | undefined;
  /** `METHOD url` of the request (never with credentials). */
  readonly request: string;

  constructor(options: {
    status: number;
    code: string;
    serverMessage?: string | undefined;
    details?: readonly GenlookErrorDetail[] | undefined;
    retryAfter?: number | undefined;
    request: string;
  }) {
    const said = options.serverMessage ? ` ${options.serverMessage}` : '';
    super(`Request failed with status ${options.status} ${options.code}:${said} (${options.request})`, {
      code: options.code,
    });
    this.status = options.status;
    this.serverMessage = options.serverMessage;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
    this.request = options.request;
  }
}
