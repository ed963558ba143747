import { GenlookValidationError } from './errors/genlook-validation-error.js';

const MAX_ID_LENGTH = 256;
// By Unicode category, not by a list: whitespace (\s and every separator, Z*), control characters (Cc),
// every format character (Cf: the bidi marks and isolates U+061C, U+200E-200F, U+202A-202E, U+2066-2069,
// the zero-width characters, U+00AD soft hyphen, U+FEFF, tag characters U+E0000-E007F...), and lone
// surrogates (Cs: not text, no URL can encode them). Each hides in a copy or reorders what a reader sees.
const FORBIDDEN = /[\s\p{Z}\p{Cc}\p{Cf}\p{Cs}]/u;
const FORBIDDEN_ALL = /[\s\p{Z}\p{Cc}\p{Cf}\p{Cs}]/gu;


/**
 * What is wrong with a generation id, or `undefined` when it is valid: not a string, empty, longer than
 * 256 characters, holding whitespace, a control or format character or a lone surrogate, or only dots
 * (`.`/`..` would leave the generations path once the URL is normalised). The text never quotes the id,
 * so it is safe for an id a server sent (`schemas.ts` uses it where answers are decoded).
 */
export function generationIdProblem(id: unknown): string | undefined {
  return typeof id !== 'string'
    ? `must be a string, got ${id === null ? 'null' : typeof id}`
    : id.length === 0
      ? 'must not be empty'
      : id.length > MAX_ID_LENGTH
        ? `must be at most ${MAX_ID_LENGTH} characters, got ${id.length}`
        : !isPrintableAscii(id) && FORBIDDEN.test(id)
          ? 'must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates'
          : /^\.+$/.test(id)
            ? 'must not be only dots'
            : undefined;
}

/**
 * Checks a generation id the caller gave before it is put in a URL. Returns `undefined` when valid, else
 * the typed error (`INVALID_ID`), whose message shows the id's first 40 characters with every refused
 * character as a `\u{..}` escape. Ids a server sends are checked where they are decoded
 * (`generationIdProblem` in `schemas.ts`), never echoed.
 */
export function validateGenerationId(id: unknown): GenlookValidationError | undefined {
  const problem = generationIdProblem(id);
  if (problem === undefined) return undefined;
  // Quoted first, then the refused characters JSON leaves alone made visible: one level of escapes.
  const shown = typeof id === 'string' ? ` ${visible(JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id))}` : '';
  return new GenlookValidationError(`Invalid generation id${shown}: it ${problem}`, 'INVALID_ID', [{ path: 'id', message: problem }]);
}

/** Printable ASCII without the space, none of which is in the refused categories: the common case, checked first (cheaper than the Unicode class). */
function isPrintableAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 0x20 || code >= 0x7f) return false;
  }
  return true;
}

/** The id with every refused character shown as `\u{..}`. */
function visible(text: string): string {
  return text.replace(FORBIDDEN_ALL, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`);
}

/** The path of a generation under the base URL; every reserved character is percent-encoded. */
export function generationPath(id: string): string {
  return `/generations/${encodeURIComponent(id)}`;
}
