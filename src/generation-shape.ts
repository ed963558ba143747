import type { Generation } from './schemas.js';

const OPTIONAL_TEXT = ['resultImageUrl', 'errorMessage', 'errorCode'] as const;

/**
 * The fast path of `generationSchema` for the hot poll loop: accepts exactly what the schema accepts and
 * returns the same object (keys in schema order, `null` as `undefined`, unknown keys dropped), or
 * `undefined` when the value breaks a rule, so the caller runs the schema to report the issues.
 * `test/generation-shape.test.ts` checks it against the schema on arbitrary input.
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
  if (status === 'COMPLETED' && !output.resultImageUrl) return undefined;
  output.createdAt = createdAt;
  output.updatedAt = updatedAt;
  return output as Generation;
}
