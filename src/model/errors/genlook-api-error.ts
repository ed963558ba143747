import { serverText } from '../server-text.js';
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
    // Server text: the decoder (`http/response-decoder.ts`) redacted the key from it; escaping again is a
    // no-op for decoded text and covers an error built by hand.
    const text = (value: string) => serverText(value, undefined);
    const code = text(options.code);
    const serverMessage = options.serverMessage === undefined ? undefined : text(options.serverMessage);
    const said = serverMessage ? ` ${serverMessage}` : '';
    super(`Request failed with status ${options.status} ${code}:${said} (${options.request})`, { code });
    this.status = options.status;
    this.serverMessage = serverMessage;
    this.details = options.details?.map((detail) => ({ path: text(detail.path), message: text(detail.message) }));
    this.retryAfter = options.retryAfter;
    this.request = options.request;
  }
}
