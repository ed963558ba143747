import * as z from 'zod/mini';
import { generationIdProblem } from './generation-id.js';
import { generationStatusSchema } from './schemas.js';
import { serverText } from './server-text.js';
import { validate, type ValidationIssue } from './validate.js';

const nonEmpty = () => z.string().check(z.minLength(1));

/** One item of `GET /generations`: a generation's status without its result or error fields. */
export const generationListItemSchema = z.object({
  id: nonEmpty(),
  status: generationStatusSchema,
  productDescription: z.optional(z.nullable(z.string())),
  /** How long the try-on took, in ms, once it finished (else `null`). */
  generationTimeMs: z.optional(z.nullable(z.number().check(z.nonnegative()))),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A page of `GET /generations?limit=&cursor=`: the account's generations, newest first. */
export const generationListSchema = z.object({
  items: z.array(generationListItemSchema),
  nextCursor: z.optional(z.nullable(z.string())),
  hasMore: z.boolean(),
  count: z.optional(z.number()),
});

/** An item of the list endpoint (no `resultImageUrl`, `errorCode` or `errorMessage`). */
export type GenerationListItem = z.infer<typeof generationListItemSchema>;
/** A page of the list endpoint. */
export type GenerationList = z.infer<typeof generationListSchema>;

/**
 * Decodes a page of `GET /generations` into its safe form, as `parseGeneration` does a single read:
 * the schema first (else zod's issues), then every item's text through `serverText` (the key redacted,
 * controls and bidi marks escaped, cut). An item whose id is not a valid generation id, or quotes the
 * key, is left out: no watched id can equal it (watched ids are checked), and it is never quoted.
 */
export function parseGenerationList(value: unknown, secret: string | undefined): { success: true; data: GenerationList } | { success: false; issues: ValidationIssue[] } {
  const parsed = validate(generationListSchema, value);
  if (!parsed.success) return parsed;
  const page = parsed.data;
  const items: GenerationListItem[] = [];
  for (const item of page.items) {
    if (generationIdProblem(item.id) !== undefined || (secret !== undefined && secret !== '' && item.id.includes(secret))) continue;
    items.push({
      id: item.id,
      status: serverText(item.status, secret),
      generationTimeMs: item.generationTimeMs,
      createdAt: serverText(item.createdAt, secret),
      updatedAt: serverText(item.updatedAt, secret),
    });
  }
  return { success: true, data: { items, nextCursor: page.nextCursor, hasMore: page.hasMore, count: page.count } };
}
