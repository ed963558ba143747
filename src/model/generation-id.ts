import { GenlookValidationError } from './errors/genlook-validation-error.js';
import { serverText } from './server-text.js';

const MAX_ID_LENGTH = 256;
// Whitespace (any Unicode space), control characters, the zero-width or bidi marks that hide in copies,
// and lone surrogates (not text: no URL can encode them).
const FORBIDDEN = /[\s\p{Cc}\p{Cs}\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/u;

/**
 * Checks a generation id before it is put in a URL. Returns `undefined` when valid, else the typed
 * error: empty, not a string, whitespace, control characters or lone surrogates, only dots (`.`/`..` would leave the
 * generations path once the URL is normalised), or longer than 256 characters.
 */
export function validateGenerationId(id: unknown): GenlookValidationError | undefined {
  const problem =
    typeof id !== 'string'
      ? `must be a string, got ${id === null ? 'null' : typeof id}`
      : id.length === 0
        ? 'must not be empty'
        : id.length > MAX_ID_LENGTH
          ? `must be at most ${MAX_ID_LENGTH} characters, got ${id.length}`
          : FORBIDDEN.test(id)
            ? 'must not contain whitespace, control characters or lone surrogates'
            : /^\.+$/.test(id)
              ? 'must not be only dots'
              : undefined;
  if (problem === undefined) return undefined;
  const shown = typeof id === 'string' ? JSON.stringify(serverText(id.length > 40 ? `${id.slice(0, 40)}…` : id, undefined)) : '';
  return new GenlookValidationError(`Invalid generation id ${shown}: it ${problem}`.replace('  ', ' '), 'INVALID_ID', [
    { path: 'id', message: problem },
  ]);
}

/** The path of a generation under the base URL; every reserved character is percent-encoded. */
export function generationPath(id: string): string {
  return `/generations/${encodeURIComponent(id)}`;
}
