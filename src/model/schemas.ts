// zod/mini: the same validation as classic zod at a fraction of the browser bundle (about 7 KB gzipped
// with the English messages, against about 80 KB).
import * as z from 'zod/mini';
import { generationIdProblem } from './generation-id.js';
import { classifyStatus, type KnownGenerationStatus } from './generation-status.js';
import { isWebUrl } from './web-url.js';

const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * A generation id as a server sends it: checked like one a caller gives (`generation-id.ts`), and the
 * issue never quotes it (it may hold the key, or escape sequences).
 */
const generationId = () =>
  z.string().check(
    z.superRefine((id, context) => {
      const problem = generationIdProblem(id);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: `generationId ${problem}`, input: undefined });
    }),
  );

/** An optional string the API may also send as `null`; both become `undefined`. */
const optionalText = z.pipe(
  z.nullish(z.string()),
  z.transform((value: string | null | undefined) => value ?? undefined),
);

/**
 * A generation's status: one of the documented values, or any other non-empty string
 * (an unknown status, treated as non-terminal).
 */
export const generationStatusSchema = z.custom<KnownGenerationStatus | (string & {})>(
  (value) => typeof value === 'string' && value.length > 0,
  { error: 'Expected a non-empty status string' },
);

/** `GET /generations/{id}`: a generation's state. */
export const generationSchema = z
  .object({
    generationId: generationId(),
    status: generationStatusSchema,
    resultImageUrl: optionalText,
    errorMessage: optionalText,
    errorCode: optionalText,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .check(
    // A result link is http(s) on every status: a `javascript:` link on a FAILED or PROCESSING generation
    // would reach a page (through the proxy) as surely as on a COMPLETED one. An empty one links nothing.
    z.superRefine((generation, context) => {
      const url = generation.resultImageUrl;
      if (classifyStatus(generation.status) === 'completed' && !url) {
        context.addIssue({ code: 'custom', path: ['resultImageUrl'], message: 'COMPLETED generation without resultImageUrl', input: undefined });
      } else if (url && !isWebUrl(url)) {
        context.addIssue({ code: 'custom', path: ['resultImageUrl'], message: 'resultImageUrl is not an http(s) URL', input: undefined });
      }
    }),
  );

/** A generation as the API returns it (`GET /generations/{id}`). */
export type Generation = z.infer<typeof generationSchema>;
/** A status: `PENDING`, `PROCESSING`, `COMPLETED`, `FAILED`, or an unknown string. */
export type GenerationStatus = z.infer<typeof generationStatusSchema>;
/** A generation that finished with a result image. */
export type CompletedGeneration = Generation & { status: 'COMPLETED'; resultImageUrl: string };
/** A generation that failed on Genlook's side. */
export type FailedGeneration = Generation & { status: 'FAILED' };

/** The body of every non-2xx answer. */
export const apiErrorBodySchema = z.object({
  code: z.optional(nonEmpty()),
  message: z.optional(z.string()),
  status: z.optional(z.number()),
  details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

/** A non-2xx answer's body. */
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

const webUrl = () => z.url({ protocol: /^https?$/ });
const imageSource = z.union([z.strictObject({ url: webUrl() }), z.strictObject({ fileKey: nonEmpty() })]);

/** One product of a try-on: a catalogue reference, or described inline with its images. */
export const tryOnProductSchema = z.union([
  z.strictObject({ externalId: nonEmpty() }),
  z.strictObject({
    externalId: z.optional(nonEmpty()),
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    images: z.array(z.strictObject({ source: imageSource })).check(z.minLength(1)),
  }),
]);

/** `POST /try-on`: the request body. */
export const tryOnRequestSchema = z.strictObject({
  products: z.array(tryOnProductSchema).check(z.length(1)),
  person: z.strictObject({
    image: z.strictObject({
      source: z.union([z.strictObject({ id: nonEmpty() }), z.strictObject({ url: webUrl() }), z.strictObject({ fileKey: nonEmpty() })]),
    }),
  }),
  externalUserId: z.optional(nonEmpty()),
  output: z.optional(z.strictObject({ watermark: z.optional(z.boolean()), keepForDays: z.optional(z.int().check(z.positive())) })),
});

/** A try-on request (`POST /try-on`). */
export type TryOnRequest = z.infer<typeof tryOnRequestSchema>;

/** `POST /try-on`: the answer, a generation to poll. */
export const tryOnCreatedSchema = z.object({
  generationId: generationId(),
  status: generationStatusSchema,
  productExternalId: optionalText,
});

/** The answer to `POST /try-on`. */
export type TryOnCreated = z.infer<typeof tryOnCreatedSchema>;

/** `POST /try-on/sync` answered 202: the hold ended first; the generation is to be polled. */
export const syncPendingSchema = z.object({ generationId: generationId() });
