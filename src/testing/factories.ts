import type { CompletedGeneration, FailedGeneration, Generation } from '../internal.js';

const CREATED_AT = '2026-01-01T00:00:00.000Z';

/** Fields a factory lets a test change. */
export type GenerationOverrides = Partial<Omit<Generation, 'generationId'>>;

/**
 * A valid `PENDING` generation body.
 * @example
 * ```ts
 * pending('gen_1'); // { generationId: 'gen_1', status: 'PENDING', createdAt, updatedAt }
 * ```
 */
export function pending(id: string, overrides: GenerationOverrides = {}): Generation {
  return { generationId: id, status: 'PENDING', createdAt: CREATED_AT, updatedAt: CREATED_AT, ...overrides } as Generation;
}

/** A valid `PROCESSING` generation body. */
export function processing(id: string, overrides: GenerationOverrides = {}): Generation {
  return pending(id, { status: 'PROCESSING', ...overrides });
}

/** A valid `COMPLETED` generation body, with a `resultImageUrl`. */
export function completed(id: string, overrides: GenerationOverrides = {}): CompletedGeneration {
  return pending(id, {
    status: 'COMPLETED',
    resultImageUrl: `https://cdn.genlook.test/results/${encodeURIComponent(id)}.png`,
    ...overrides,
  }) as CompletedGeneration;
}

/** A valid `FAILED` generation body with the server's `errorCode` and `errorMessage`. */
export function failed(id: string, errorCode = 'GENERATION_FAILED', errorMessage = `Generation failed: ${errorCode}`, overrides: GenerationOverrides = {}): FailedGeneration {
  return pending(id, { status: 'FAILED', errorCode, errorMessage, ...overrides }) as FailedGeneration;
}
