import { type TryOnCreated, tryOnCreatedSchema } from './schemas.js';
import { serverText } from './server-text.js';
import { validate, type ValidationIssue } from './validate.js';

/**
 * Decodes the answer to `POST /try-on`: the schema (its `generationId` checked as an id, never quoted in
 * an issue, so `createTryOn` never resolves with an id no watch can use), then every text field through
 * `serverText` (the key redacted, controls escaped), as a generation's are (`generation-shape.ts`).
 */
export function parseTryOnCreated(value: unknown, secret?: string): { success: true; data: TryOnCreated } | { success: false; issues: ValidationIssue[] } {
  const parsed = validate(tryOnCreatedSchema, value);
  if (!parsed.success) return parsed;
  const { data } = parsed;
  data.status = serverText(data.status, secret);
  if (data.productExternalId !== undefined) data.productExternalId = serverText(data.productExternalId, secret);
  return parsed;
}
