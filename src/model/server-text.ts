/** Longest piece of server text kept in an error (a message, a code, a generation's field). */
const MAX_LENGTH = 500;

/** Longest excerpt of a raw body kept in `GenlookResponseError.excerpt`. */
const MAX_EXCERPT = 200;

/**
 * The one home of server text: every string that came from a server (a generation's fields, an error
 * body's code, message and details, an id, a foreign error's message at any depth, a body excerpt)
 * passes here where it is decoded, so errors, the proxy, the CLI, logs and Redis all carry this form.
 *
 * In this order: every copy of `secret` (the API key) is replaced by `[redacted]`, on the whole decoded
 * text and before any cut (so a key straddling the cut cannot leave most of itself behind); control
 * characters (C0, DEL, C1, line and paragraph separators, and the bidi controls: embeddings, overrides,
 * isolates, LRM, RLM, ALM) are shown as `\u{..}` escapes, so a server cannot write escape sequences to a
 * terminal, forge a log line or reorder what a reader sees; then the text is cut to `maxLength`
 * characters (`…` last, never half a surrogate pair). The result is a fixed point: passing it again
 * changes nothing, so layers that each sanitise (a decoder, then an error's constructor) agree.
 */
export function serverText(text: string, secret: string | undefined, maxLength: number = MAX_LENGTH): string {
  // The poll loop's case (a status, a timestamp): nothing to do, and no string made.
  if (text.length <= maxLength && !hasControls(text) && !(secret && text.includes(secret))) return text;
  const redacted = redact(text, secret);
  // Escaping only lengthens text: the first maxLength + 1 characters decide the result (a 1 MiB body is not escaped whole).
  const safe = escapeControls(redacted.length > maxLength ? redacted.slice(0, maxLength + 1) : redacted);
  return safe.length > maxLength ? cut(safe, maxLength) : safe;
}

/**
 * Characters that a terminal or a log reader would act on: C0, DEL, C1, line and paragraph separators,
 * and every bidi control (U+061C ALM, U+200E LRM, U+200F RLM, U+202A-202E embeddings and overrides,
 * U+2066-2069 isolates). Zero-width joiners are not among them: emoji sequences need them.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Shows each control character of `text` as a `\u{..}` escape (the CLI's output and every error message use it). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (character) => `\\u{${character.charCodeAt(0).toString(16)}}`);
}

/** True when `text` holds a character that `escapeControls` would escape. */
export function hasControls(text: string): boolean {
  // A loop over the code units, not CONTROLS.test: five times faster on the poll loop's short strings.
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code < 0x7f) continue;
    if (code < 0x20 || code <= 0x9f || code === 0x61c || code === 0x200e || code === 0x200f || (code >= 0x2028 && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
}

/** Replaces every occurrence of `secret` in `text`. */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0 || !text.includes(secret)) return text;
  return text.split(secret).join('[redacted]');
}

/** `text` cut to `length` characters with `…` last, never leaving half of a surrogate pair. */
function cut(text: string, length: number): string {
  let end = length - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * A raw body as it may be shown in an error excerpt: JSON is decoded and re-encoded (so escapes such as
 * `\/` or `\u0067` cannot hide the key from redaction), anything else has its JSON-style escapes undone
 * first; then `serverText` applies, redacting before it cuts to 200 characters.
 */
export function bodyExcerpt(body: string, secret: string | undefined): string {
  let canonical: string;
  try {
    canonical = JSON.stringify(JSON.parse(body));
  } catch {
    canonical = body.replace(/\\u([0-9a-fA-F]{4})/g, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))).replace(/\\\//g, '/');
  }
  return serverText(canonical, secret, MAX_EXCERPT);
}
