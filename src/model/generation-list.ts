import * as z from 'zod/mini';
import { generationStatusSchema } from './schemas.js';

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
