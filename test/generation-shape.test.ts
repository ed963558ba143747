import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGeneration, parseGenerationFast, safeGeneration } from '../src/model/generation-shape.js';
import { generationSchema } from '../src/model/schemas.js';
import { escapeControls, hasControls } from '../src/model/server-text.js';
import { isWebUrl } from '../src/model/web-url.js';

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

describe('the safe form of a decoded generation (issue 21, item 1)', () => {
  const KEY = 'gk_test_shape_0123456789';
  const hostile = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('\u001b[2J', '\u202e', '\u200e', '\r\n', KEY, `x${KEY}y`));
  const generation = fc.record({
    generationId: fc.oneof(fc.constantFrom('gen_1', `gen_${KEY}`), fc.string({ minLength: 1, maxLength: 8 })),
    status: fc.oneof(fc.constantFrom('PENDING', 'COMPLETED', 'FAILED'), hostile),
    resultImageUrl: fc.oneof(fc.webUrl(), hostile.map((text) => `https://img.example/${text}`)),
    errorMessage: hostile,
    errorCode: hostile,
    createdAt: hostile,
    updatedAt: fc.string(),
  });

  it('is the same whichever path decoded it, and holds neither the key nor a raw control', () => {
    fc.assert(
      fc.property(generation, (value) => {
        const json = JSON.parse(JSON.stringify(value));
        const decoded = parseGeneration(json, KEY);
        const slow = generationSchema.safeParse(JSON.parse(JSON.stringify(value)));
        if (!slow.success) {
          expect(decoded.success).toBe(false);
          return;
        }
        if (!decoded.success) {
          expect(decoded.issues[0]?.path).toBe('resultImageUrl'); // a host that quoted the key
          return;
        }
        expect(decoded.data).toStrictEqual(safeGeneration(slow.data, KEY));
        const text = JSON.stringify(decoded.data);
        expect(text).not.toContain(KEY);
        for (const field of Object.values(decoded.data)) if (typeof field === 'string') expect(hasControls(field)).toBe(false);
      }),
      { numRuns: 1000, endOnFailure: true },
    );
  });

  it('hasControls finds exactly what escapeControls escapes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
      expect(hasControls(text)).toBe(escapeControls(text) !== text);
    }), { numRuns: 3000, endOnFailure: true });
    for (const code of [0, 0x1f, 0x7f, 0x85, 0x9f, 0x61c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069]) expect(hasControls(`a${String.fromCharCode(code)}`)).toBe(true);
  });

  it('keeps a link of URI characters as sent, and serialises any other', () => {
    const signed = 'https://cdn.example/r/gen_1.png?X-Amz-Signature=ab%2Fcd&x=[1]';
    const decode = (resultImageUrl: string) => (parseGeneration({ generationId: 'gen_1', status: 'COMPLETED', resultImageUrl, createdAt: 'a', updatedAt: 'b' }) as { data: { resultImageUrl: string } }).data.resultImageUrl;
    expect(decode(signed)).toBe(signed);
    expect(decode('https://cdn.example/a"><b>\\x')).toBe('https://cdn.example/a%22%3E%3Cb%3E/x');
    // As sent means byte for byte: not the serialiser's form (host lower-cased, default port and dot segments dropped), which would break a signature.
    expect(decode('https://CDN.Example:443/a/./b.png?sig=AbC')).toBe('https://CDN.Example:443/a/./b.png?sig=AbC');
  });

  it('refuses a COMPLETED generation whose link stops being a URL once the key is redacted from its host', () => {
    // The key in the host, and a space so that the link is re-serialised: `https://[redacted].cdn.example/...` does not parse.
    const value = { generationId: 'gen_1', status: 'COMPLETED', resultImageUrl: `https://${KEY}.cdn.example/r \u00e9.png`, createdAt: 'a', updatedAt: 'b' };
    expect(parseGeneration(value, KEY)).toStrictEqual({ success: false, issues: [{ path: 'resultImageUrl', message: 'resultImageUrl is not an http(s) URL once the API key is redacted' }] });
    // Without the key to redact, the same link is serialised and kept.
    expect(parseGeneration(value)).toMatchObject({ success: true, data: { resultImageUrl: `https://${KEY}.cdn.example/r%20%C3%A9.png` } });
  });

  it('refuses it too when the link holds only URI characters (kept as sent, so never re-serialised): no link is ever emitted that does not parse', () => {
    const refused = { success: false, issues: [{ path: 'resultImageUrl', message: 'resultImageUrl is not an http(s) URL once the API key is redacted' }] };
    const value = { generationId: 'gen_1', status: 'COMPLETED', resultImageUrl: `https://${KEY}.cdn.example/x.png`, createdAt: 'a', updatedAt: 'b' };
    expect(parseGeneration(value, KEY)).toStrictEqual(refused);
    // The key elsewhere in the link leaves a URL: the link is kept, the key redacted.
    const inQuery = parseGeneration({ ...value, resultImageUrl: `https://cdn.example/x.png?k=${KEY}` }, KEY) as { success: true; data: { resultImageUrl: string } };
    expect(inQuery.data.resultImageUrl).toBe('https://cdn.example/x.png?k=[redacted]');
    expect(isWebUrl(inQuery.data.resultImageUrl)).toBe(true);
  });
});
