import { classifyStatus } from './generation-status.js';
import { type Generation, generationSchema } from './schemas.js';
import { validate, type ValidationIssue } from './validate.js';
import { isWebUrl } from './web-url.js';

const OPTIONAL_TEXT = ['resultImageUrl', 'errorMessage', 'errorCode'] as const;

/**
 * Decodes a generation from parsed JSON: the one home of that rule, used for every API answer and for
 * what a fleet relays through Redis. The data (keys in schema order, `null` as `undefined`, unknown keys
 * dropped), or zod's issues.
 */
export function parseGeneration(value: unknown): { success: true; data: Generation } | { success: false; issues: ValidationIssue[] } {
  const fast = parseGenerationFast(value);
  return fast === undefined ? validate(generationSchema, value) : { success: true, data: fast };
}

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
  if (typeof generationId !== 'string' || generationId.length === 0) return undefined;
  if (typeof status !== 'string' || status.length === 0) return undefined;
  if (typeof createdAt !== 'string' || typeof updatedAt !== 'string') return undefined;
  const output: Record<string, unknown> = { generationId, status };
  for (const key of OPTIONAL_TEXT) {
    const field = input[key];
    if (field === undefined) continue;
    if (field !== null && typeof field !== 'string') return undefined;
    output[key] = field ?? undefined;
  }
  if (classifyStatus(status) === 'completed' && !isWebUrl((output.resultImageUrl as string | undefined) ?? '')) return undefined;
  output.createdAt = createdAt;
  output.updatedAt = updatedAt;
  return output as Generation;
}

