import { bodyExcerpt } from '../server-text.js';
import { GenlookError } from './genlook-error.js';

/** One problem found in a response body (a zod issue, reduced to what is useful). */
export interface GenlookResponseIssue {
  path: string;
  message: string;
}

/**
 * A 2xx response whose body is not what the API promises: not JSON, a missing or malformed field,
 * `COMPLETED` without `resultImageUrl`, another generation's id, or a body over the size cap.
 * `code`: `INVALID_RESPONSE` (`RESPONSE_TOO_LARGE` for the size cap).
 */
export class GenlookResponseError extends GenlookError<'INVALID_RESPONSE' | 'RESPONSE_TOO_LARGE'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenlookResponseError');
  override name = 'GenlookResponseError';
  readonly status: number;
  /** The validation issues, when the body was JSON. */
  readonly issues: readonly GenlookResponseIssue[];
  /** The first 200 characters of the body (JSON re-encoded), the API key redacted, control characters escaped. */
  readonly excerpt: string;
  /** False when the body was not JSON at all (cut short, a proxy's page): the case `retry.invalidBodies` retries. */
  readonly isJson: boolean;
  readonly request: string;

  constructor(options: {
    message: string;
    status: number;
    request: string;
    body: string;
    /** The API key, redacted from the excerpt. */
    secret?: string | undefined;
    issues?: readonly GenlookResponseIssue[];
    code?: 'INVALID_RESPONSE' | 'RESPONSE_TOO_LARGE';
    isJson?: boolean;
    cause?: unknown;
  }) {
    super(`${options.message} (${options.request})`, { code: options.code ?? 'INVALID_RESPONSE', cause: options.cause });
    this.status = options.status;
    this.issues = options.issues ?? [];
    this.excerpt = bodyExcerpt(options.body, options.secret);
    this.request = options.request;
    this.isJson = options.isJson ?? true;
  }
}
