/** Longest piece of server text kept in an error (a message, a code, an excerpt). */
const MAX_LENGTH = 500;

/**
 * Makes text from a server (or any foreign source) safe to put into an error or a log line: every copy
 * of `secret` is replaced by `[redacted]`, then control characters (C0, DEL, C1, line and paragraph
 * separators, bidi overrides) are shown as `\u{..}` escapes, so a server cannot write escape sequences to
 * a terminal or forge log lines, and the text is cut to 500 characters. Run on text after JSON
 * decoding, so a key sent escaped (`gk_live_ab\/cd`, `\u0067k_...`) is caught in its decoded form.
 */
export function serverText(text: string, secret: string | undefined): string {
  const redacted = redact(text, secret);
  return escapeControls(redacted.length > MAX_LENGTH ? `${redacted.slice(0, MAX_LENGTH)}…` : redacted);
}

/** Characters that a terminal or a log reader would act on: C0, DEL, C1, line separators, bidi controls. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Shows each control character of `text` as a `\u{..}` escape (the CLI's output and every error message use it). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (character) => `\\u{${character.charCodeAt(0).toString(16)}}`);
}

/** Replaces every occurrence of `secret` in `text`. */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0 || !text.includes(secret)) return text;
  return text.split(secret).join('[redacted]');
}

/**
 * A raw body as it may be shown in an error excerpt: JSON is decoded and re-encoded (so escapes such as
 * `\/` or `\u0067` cannot hide the key from redaction), anything else has its JSON-style escapes undone
 * first; then `serverText` applies.
 */
export function bodyExcerpt(body: string, secret: string | undefined): string {
  let canonical: string;
  try {
    canonical = JSON.stringify(JSON.parse(body));
  } catch {
    canonical = body.replace(/\\u([0-9a-fA-F]{4})/g, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))).replace(/\\\//g, '/');
  }
  return serverText(canonical.length > 200 ? `${canonical.slice(0, 200)}…` : canonical, secret);
}
