import { z } from 'zod';
import type { KnownGenerationStatus } from './status.js';

/** An optional string the API may also send as `null`; both become `undefined`. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

/**
 * A generation's status: one of the documented values, or any other non-empty string
 * (an unknown status, treated as non-terminal).
 */
export const generationStatusSchema = z.custom<KnownGenerationStatus | (string & {})>(
  (value) => typeof value === 'string' && value.length > 0,
  { message: 'Expected a non-empty status string' },
);

/** `GET /generations/{id}`: a generation's state. */
export const generationSchema = z
  .object({
    generationId: z.string().min(1),
    status: generationStatusSchema,
    resultImageUrl: optionalText,
    errorMessage: optionalText,
    errorCode: optionalText,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .superRefine((generation, context) => {
    if (generation.status === 'COMPLETED' && !generation.resultImageUrl) {
      context.addIssue({ code: 'custom', path: ['resultImageUrl'], message: 'COMPLETED generation without resultImageUrl' });
    }
  });

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
  code: z.string().min(1).optional(),
  message: z.string().optional(),
  status: z.number().optional(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** A non-2xx answer's body. */
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

const imageSource = z.union([
  z.object({ url: z.url({ protocol: /^https?$/ }) }).strict(),
  z.object({ fileKey: z.string().min(1) }).strict(),
]);

/** One product of a try-on: a catalogue reference, or described inline with its images. */
export const tryOnProductSchema = z.union([
  z.object({ externalId: z.string().min(1) }).strict(),
  z
    .object({
      externalId: z.string().min(1).optional(),
      title: z.string().optional(),
      description: z.string().optional(),
      images: z.array(z.object({ source: imageSource }).strict()).min(1),
    })
    .strict(),
]);

/** `POST /try-on`: the request body. */
export const tryOnRequestSchema = z
  .object({
    products: z.array(tryOnProductSchema).length(1),
    person: z
      .object({
        image: z
          .object({
            source: z.union([
              z.object({ id: z.string().min(1) }).strict(),
              z.object({ url: z.url({ protocol: /^https?$/ }) }).strict(),
              z.object({ fileKey: z.string().min(1) }).strict(),
            ]),
          })
          .strict(),
      })
      .strict(),
    externalUserId: z.string().min(1).optional(),
    output: z
      .object({ watermark: z.boolean().optional(), keepForDays: z.number().int().positive().optional() })
      .strict()
      .optional(),
  })
  .strict();

/** A try-on request (`POST /try-on`). */
export type TryOnRequest = z.infer<typeof tryOnRequestSchema>;

/** `POST /try-on`: the answer, a generation to poll. */
export const tryOnCreatedSchema = z.object({
  generationId: z.string().min(1),
  status: generationStatusSchema,
  productExternalId: optionalText,
});

/** The answer to `POST /try-on`. */
export type TryOnCreated = z.infer<typeof tryOnCreatedSchema>;
