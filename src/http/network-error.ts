import { GenlookError } from '../model/errors/genlook-error.js';
import { GenlookNetworkError } from '../model/errors/genlook-network-error.js';
import { GenlookResponseError } from '../model/errors/genlook-response-error.js';
import { hasControls, redact, serverText } from '../model/server-text.js';
import { ResponseTooLargeError } from './response-too-large-error.js';

/** Codes of failures that happen before a request is sent: nothing reached the server. */
const CONNECTION_NOT_MADE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** How deep a foreign cause chain is kept (through `cause` and an `AggregateError`'s `errors`); deeper links are dropped. */
const MAX_CAUSE_DEPTH = 8;

/**
 * A transport's failure as a typed error: `GenlookNetworkError` (with `isNotSent` when the connection
 * was refused), or `GenlookResponseError` for a body over the size cap. The message is made of server
 * text (`serverText`: the key redacted, controls escaped). The foreign error becomes the `cause` as it
 * is only when nothing in its chain, at any depth (`cause.cause`, an `AggregateError`'s `errors`), holds
 * the key or a control character; otherwise the whole chain is rebuilt from safe copies, so no
 * inspection of the cause (`util.inspect` with `showHidden`, a logger walking `cause`) shows the key.
 */
export function toNetworkError(error: unknown, request: string, apiKey: string | undefined, aborted: boolean): GenlookError {
  if (error instanceof GenlookError) return error;
  if (error instanceof ResponseTooLargeError) {
    return new GenlookResponseError({ message: error.message, status: error.status, request, body: '', code: 'RESPONSE_TOO_LARGE' });
  }
  const code = errorCode(error);
  const message = serverText(error instanceof Error ? String(error.message) : String(error), apiKey);
  return new GenlookNetworkError({
    message: `${aborted ? 'Request aborted' : 'Request failed'}: ${code ? `${serverText(code, apiKey)} ` : ''}${message}`,
    request,
    isNotSent: code !== undefined && CONNECTION_NOT_MADE.has(code),
    cause: isSafeChain(error, apiKey, 0, new Set()) ? error : safeCopy(error, apiKey, 0, new Set()),
  });
}

/** The links of a foreign error: its `cause` and, for an `AggregateError`, its `errors`. */
function linksOf(error: Error): unknown[] {
  const links: unknown[] = [];
  if (error.cause !== undefined) links.push(error.cause);
  const { errors } = error as { errors?: unknown };
  if (Array.isArray(errors)) links.push(...errors);
  return links;
}

/** True when `text` is already what `serverText` makes of it (no key, no control; a stack's newlines aside). */
function isSafeText(text: unknown, apiKey: string | undefined, isStack = false): boolean {
  if (text === undefined) return true;
  if (typeof text !== 'string') return false;
  if (redact(text, apiKey) !== text) return false;
  return !hasControls(isStack ? text.replaceAll('\n', ' ') : text);
}

function isSafeChain(error: unknown, apiKey: string | undefined, depth: number, seen: Set<unknown>): boolean {
  if (!(error instanceof Error)) return false;
  if (depth >= MAX_CAUSE_DEPTH || seen.has(error)) return false;
  seen.add(error);
  const { code } = error as { code?: unknown };
  if (!isSafeText(error.name, apiKey) || !isSafeText(error.message, apiKey) || !isSafeText(error.stack, apiKey, true)) return false;
  if (code !== undefined && !isSafeText(code, apiKey)) return false;
  return linksOf(error).every((link) => isSafeChain(link, apiKey, depth + 1, seen));
}

/**
 * A safe copy of a foreign error and of its chain: name, message and string `code` through
 * `serverText`, the stack's frames redacted one by one, `cause` and an `AggregateError`'s `errors`
 * copied the same way up to `MAX_CAUSE_DEPTH` (a cycle or a deeper link is dropped). A thrown
 * non-error becomes an `Error` of its text; an object that is not an error, `undefined`.
 */
function safeCopy(error: unknown, apiKey: string | undefined, depth: number, seen: Set<unknown>): Error | undefined {
  if (depth >= MAX_CAUSE_DEPTH || seen.has(error)) return undefined;
  if (!(error instanceof Error)) return typeof error === 'object' && error !== null ? undefined : new Error(serverText(String(error), apiKey));
  seen.add(error);
  const message = serverText(String(error.message), apiKey);
  const cause = error.cause === undefined ? undefined : safeCopy(error.cause, apiKey, depth + 1, seen);
  const { errors, code } = error as { errors?: unknown; code?: unknown };
  const copy = Array.isArray(errors)
    ? new AggregateError(errors.map((inner) => safeCopy(inner, apiKey, depth + 1, seen)).filter((inner) => inner !== undefined), message, cause === undefined ? undefined : { cause })
    : new Error(message, cause === undefined ? undefined : { cause });
  copy.name = serverText(String(error.name), apiKey);
  if (typeof code === 'string') Object.assign(copy, { code: serverText(code, apiKey) });
  const frames = (typeof error.stack === 'string' ? error.stack.split('\n') : []).filter((line) => /^\s+at /.test(line)).map((line) => `    ${serverText(line.trim(), apiKey)}`);
  copy.stack = [`${copy.name}: ${message}`, ...frames].join('\n');
  return copy;
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
