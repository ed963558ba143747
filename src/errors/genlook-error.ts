/** Marks every genlook-rx error, across copies of the package (ESM and CJS builds loaded side by side). */
export const GENLOOK_ERROR_BRAND: unique symbol = Symbol.for('genlook-rx.error') as never;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The options every genlook-rx error takes. */
export interface GenlookErrorOptions {
  /** A stable, documented identifier that code can branch on. */
  code: string;
  /** The underlying error, if any (standard `Error.cause`). */
  cause?: unknown;
}

/**
 * The base class of every error genlook-rx produces. Each error has a `name`, a stable `code` to branch
 * on, and the standard `cause`. `toJSON` and `util.inspect` show only the error's own safe fields.
 *
 * @example
 * ```ts
 * genlook.generation$(id).subscribe({ error: (e) => isGenlookError(e) && console.log(e.code) });
 * ```
 */
export class GenlookError extends Error {
  override name = 'GenlookError';
  /** A stable identifier, documented in docs/errors.md. */
  readonly code: string;
  declare readonly [GENLOOK_ERROR_BRAND]: true;

  constructor(message: string, options: GenlookErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    Object.defineProperty(this, GENLOOK_ERROR_BRAND, { value: true });
  }

  /** The fields that are safe to log: never a header, never a request body. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'name' && key !== 'code' && value !== undefined && typeof value !== 'object') json[key] = value;
    }
    if (this.cause !== undefined) json.cause = describeCause(this.cause);
    return json;
  }

  /** `util.inspect` shows the stack and the safe fields; a foreign `cause` is shown by name and message only. */
  [INSPECT](): string {
    const { name: _name, message: _message, ...rest } = this.toJSON();
    const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `${this.stack ?? `${this.name}: ${this.message}`}${fields}`;
  }
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof GenlookError) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return { name: cause.name, message: cause.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return typeof cause === 'object' ? '[object]' : String(cause);
}

/** Replaces every occurrence of `secret` in `text`; used on foreign messages before they enter ours. */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0 || !text.includes(secret)) return text;
  return text.split(secret).join('[redacted]');
}
