import { serverText } from '../server-text.js';

/** Marks every genlook-rx error, across copies of the package (ESM and CJS builds loaded side by side). */
export const GENLOOK_ERROR_BRAND: unique symbol = Symbol.for('genlook-rx.error') as never;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Every `code` a genlook-rx error can carry: the library's own, and the server's documented ones. The
 * server may send others, so the union stays open (`string & {}` keeps editors' completion). Each code
 * has one meaning: the library's codes never name a server answer, and the server's are kept as sent
 * (docs/errors.md lists them all).
 */
export type GenlookErrorCode = GenlookOwnErrorCode | KnownApiErrorCode | (string & {});

/** The codes genlook-rx itself gives, none of which the API sends. */
export type GenlookOwnErrorCode =
  | 'GENERATION_FAILED'
  | 'GENERATION_TIMEOUT'
  | 'NETWORK_ERROR'
  | 'REQUEST_TIMEOUT'
  | 'INVALID_RESPONSE'
  | 'RESPONSE_TOO_LARGE'
  | 'INVALID_ID'
  | 'INVALID_REQUEST'
  | 'API_KEY_NOT_CONFIGURED'
  | 'CLIENT_CLOSED'
  | 'NO_VALUE'
  | 'UNKNOWN'
  | 'REDIS_UNAVAILABLE'
  | 'REDIS_RECOVERED';

/**
 * The codes the API documents for non-2xx answers (`MISSING_API_KEY` is the server's 401 for a request
 * without a key), and the ones genlook-rx derives from a status when the body has none: `UNAUTHORIZED`
 * (401), `NOT_FOUND` (404 off the generations path), `SERVER_ERROR` (5xx), `UNEXPECTED_REDIRECT` (3xx,
 * never followed), and `HTTP_<status>` for any other status (a 408 is `HTTP_408`).
 */
export type KnownApiErrorCode =
  | 'MISSING_API_KEY'
  | 'INVALID_API_KEY'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'GENERATION_NOT_FOUND'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'INSUFFICIENT_CREDITS'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'UNEXPECTED_REDIRECT'
  | `HTTP_${number}`;

/** The options every genlook-rx error takes. */
export interface GenlookErrorOptions<Code extends string = GenlookErrorCode> {
  /** A stable, documented identifier that code can branch on. */
  code: Code;
  /** The underlying error, if any (standard `Error.cause`). */
  cause?: unknown;
}

/** A class with a brand: its `instanceof` asks the brand, so it answers across copies of the package. */
type Branded = { readonly brand: symbol };

/**
 * The base class of every error genlook-rx produces. Each error has a `name`, a stable `code` to branch
 * on (a literal union per class, so a check narrows and a typo fails to compile), and the standard
 * `cause`. `toJSON` and `util.inspect` show only the error's own safe fields.
 *
 * `instanceof` works across copies of the package (an ESM and a CJS build loaded side by side): each
 * class has a `Symbol.for` brand that its instances carry, and `Symbol.hasInstance` asks for it.
 *
 * @example
 * ```ts
 * genlook.generation$(id).subscribe({ error: (e) => e instanceof GenlookError && console.log(e.code) });
 * ```
 */
export class GenlookError<Code extends string = GenlookErrorCode> extends Error {
  /** The brand this class's instances carry, the same in every copy of the package. */
  static readonly brand: symbol = GENLOOK_ERROR_BRAND;

  override name = 'GenlookError';
  /** A stable identifier, documented in docs/errors.md. */
  readonly code: Code;
  declare readonly [GENLOOK_ERROR_BRAND]: true;

  constructor(message: string, options: GenlookErrorOptions<Code>) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    // The brands of the class and of every genlook-rx class above it: `instanceof` of any of them holds.
    for (let type: unknown = new.target; typeof type === 'function' && type !== Error; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, 'brand')) Object.defineProperty(this, (type as unknown as Branded).brand, { value: true });
    }
  }

  /** `value instanceof ThisClass`, answered by the brand (see the class comment). */
  static override [Symbol.hasInstance]<T>(this: (abstract new (...args: never[]) => T) & Partial<Branded>, value: unknown): value is T {
    if (!Object.hasOwn(this, 'brand')) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[this.brand!] === true;
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

/** A cause as `toJSON` shows it: a foreign one by name, message and code only, each with its controls escaped. */
function describeCause(cause: unknown): unknown {
  if (cause instanceof GenlookError) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return { name: serverText(String(cause.name), undefined), message: serverText(String(cause.message), undefined), ...(typeof code === 'string' ? { code: serverText(code, undefined) } : {}) };
  }
  return typeof cause === 'object' ? '[object]' : serverText(String(cause), undefined);
}
