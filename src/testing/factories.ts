import type { CompletedGeneration, FailedGeneration, Generation } from '../internal.js';

/**
 * Virtual time 0, where `TestScheduler.run`'s clock starts: a generation made by a factory is as old on
 * the virtual clock as it would be in production, so the test client runs the adaptive cadence (a date
 * far from the virtual clock would make the cadence distrust it and silently poll at a fixed interval).
 */
const CREATED_AT = new Date(0).toISOString();

/** Fields a factory lets a test change (`createdAt: new Date(ms).toISOString()` dates it at virtual `ms`). */
export type GenerationOverrides = Partial<Omit<Generation, 'generationId'>>;

/**
 * A valid `PENDING` generation body, created and updated at virtual time 0 (`1970-01-01T00:00:00.000Z`).
 * @example
 * ```ts
 * pending('gen_1'); // { generationId: 'gen_1', status: 'PENDING', createdAt, updatedAt }
 * pending('gen_1', { createdAt: new Date(5_000).toISOString() }); // created at virtual 5 s
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
