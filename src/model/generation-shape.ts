import { generationIdProblem } from './generation-id.js';
import { classifyStatus } from './generation-status.js';
import { type Generation, generationSchema } from './schemas.js';
import { redact, serverText } from './server-text.js';
import { validate, type ValidationIssue } from './validate.js';
import { isWebUrl, webUrlOf } from './web-url.js';

const OPTIONAL_TEXT = ['resultImageUrl', 'errorMessage', 'errorCode'] as const;
const TEXT = ['status', 'errorMessage', 'errorCode', 'createdAt', 'updatedAt'] as const;

/**
 * Decodes a generation from parsed JSON: the one home of that rule, used for every API answer and for
 * what a fleet relays through Redis. The data (keys in schema order, `null` as `undefined`, unknown keys
 * dropped) in its safe form (`safeGeneration`), or zod's issues. `secret` is the API key, redacted from
 * every field; a process that does not hold it (a Redis follower) still gets every field escaped.
 */
export function parseGeneration(value: unknown, secret?: string): { success: true; data: Generation } | { success: false; issues: ValidationIssue[] } {
  const fast = parseGenerationFast(value);
  const parsed = fast === undefined ? validate(generationSchema, value) : { success: true as const, data: fast };
  if (!parsed.success) return parsed;
  const data = safeGeneration(parsed.data, secret);
  // Only a link that quoted the key (in its host) can stop being a URL once redacted: `safeGeneration` empties it.
  if (classifyStatus(data.status) === 'completed' && !data.resultImageUrl) return { success: false, issues: [{ path: 'resultImageUrl', message: 'resultImageUrl is not an http(s) URL once the API key is redacted' }] };
  return { success: true, data };
}

/**
 * A decoded generation made safe in place, where it is decoded: every text field through `serverText`
 * (the key redacted, controls and bidi marks escaped, cut to 500 characters); the result link, the key
 * redacted, kept as sent when it holds only URI characters (RFC 3986), else as its serialised URL
 * (`new URL(link).href`, which percent-encodes every control, space, quote and non-ASCII character and
 * refuses a bidi host); never cut, a signed link is long. The id is left as it is: the schema already refused any id that
 * `serverText` would change, except one quoting the key, which is redacted.
 */
export function safeGeneration(generation: Generation, secret: string | undefined): Generation {
  const fields = generation as Record<string, unknown>;
  for (const key of TEXT) {
    const text = fields[key];
    if (typeof text !== 'string') continue;
    const safe = serverText(text, secret);
    if (safe !== text) fields[key] = safe;
  }
  if (secret && generation.generationId.includes(secret)) generation.generationId = serverText(generation.generationId, secret);
  const url = generation.resultImageUrl;
  if (url) {
    const redacted = redact(url, secret);
    const safe = URI_CHARACTERS.test(redacted) ? redacted : (webUrlOf(redacted) ?? '');
    // A link that quoted the key may no longer parse (the key was in its host): then it is no link at all.
    generation.resultImageUrl = redacted === url || isWebUrl(safe) ? safe : '';
  }
  return generation;
}

/** Only the characters RFC 3986 allows in a URI (no control, space, quote, `<`, `>`, backslash or non-ASCII): such a link is kept as sent. */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/**
 * The fast path of `generationSchema` for the poll loop: accepts exactly what the schema accepts and
 * returns the same object, or `undefined` when the value breaks a rule, so that the caller runs the
 * schema to report the issues. `test/generation-shape.test.ts` holds it to the schema on arbitrary input.
 * (zod/mini's parse of one generation costs about as much as the rest of a poll's client-side work.)
 */
export function parseGenerationFast(value: unknown): Generation | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const input = value as Record<string, unknown>;
  const { generationId, status, createdAt, updatedAt } = input;
  if (typeof generationId !== 'string' || generationIdProblem(generationId) !== undefined) return undefined;
  if (typeof status !== 'string' || status.length === 0) return undefined;
  if (typeof createdAt !== 'string' || typeof updatedAt !== 'string') return undefined;
  const output: Record<string, unknown> = { generationId, status };
  for (const key of OPTIONAL_TEXT) {
    const field = input[key];
    if (field === undefined) continue;
    if (field !== null && typeof field !== 'string') return undefined;
    output[key] = field ?? undefined;
  }
  const url = output.resultImageUrl as string | undefined;
  if (url ? !isWebUrl(url) : classifyStatus(status) === 'completed') return undefined;
  output.createdAt = createdAt;
  output.updatedAt = updatedAt;
  return output as Generation;
}
