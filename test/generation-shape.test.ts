import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGenerationFast } from '../src/model/generation-shape.js';
import { generationSchema } from '../src/model/schemas.js';

const field = fc.oneof(fc.string({ maxLength: 8 }), fc.constant(''), fc.constant(null), fc.integer(), fc.constant(undefined), fc.constantFrom('PENDING', 'COMPLETED', 'FAILED'), fc.webUrl());
const nearlyValid = fc.record(
  {
    generationId: fc.string({ minLength: 1, maxLength: 8 }),
    status: fc.constantFrom('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'NEW'),
    resultImageUrl: fc.oneof(fc.webUrl(), fc.constant(null), fc.constant('')),
    errorMessage: fc.oneof(fc.string(), fc.constant(null)),
    errorCode: fc.oneof(fc.string(), fc.constant(null)),
    createdAt: fc.string(),
    updatedAt: fc.string(),
    extra: fc.jsonValue(),
  },
  { requiredKeys: ['generationId', 'status', 'createdAt', 'updatedAt'] },
);
const candidate = fc.oneof(
  nearlyValid,
  fc.record(
    { generationId: field, status: field, resultImageUrl: field, errorMessage: field, errorCode: field, createdAt: field, updatedAt: field, extra: fc.jsonValue() },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

describe('the fast path of the generation schema', () => {
  it('accepts exactly what the schema accepts, and returns the same object', () => {
    let accepted = 0;
    fc.assert(
      fc.property(candidate, (value) => {
        const json = JSON.parse(JSON.stringify(value ?? null));
        const fast = parseGenerationFast(json);
        const slow = generationSchema.safeParse(json);
        if (slow.success) {
          accepted++;
          expect(fast).toStrictEqual(slow.data);
          expect(Object.keys(fast!)).toEqual(Object.keys(slow.data));
        } else expect(fast).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(30); // the generator reaches valid generations, not only garbage
  });
});
