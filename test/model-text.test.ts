import { describe, expect, it } from 'vitest';
import { generationIdProblem, generationPath, validateGenerationId } from '../src/model/generation-id.js';
import { generationSchema, generationStatusSchema, tryOnRequestSchema } from '../src/model/schemas.js';
import { bodyExcerpt, escapeControls, hasControls, redact, serverText } from '../src/model/server-text.js';
import { summarize, validate } from '../src/model/validate.js';

// The text rules of src/model on their own, exactly: server text (redaction, escapes, the cut), the id
// checks and their messages, and the issues of the schemas (docs/reliability.md, "Mutation testing").

describe('serverText', () => {
  it('returns short clean text as it is', () => {
    expect(serverText('PROCESSING', 'gk_key')).toBe('PROCESSING');
    expect(serverText('abcde', undefined, 5)).toBe('abcde');
  });

  it('cuts to maxLength with … last', () => {
    expect(serverText('abcdef', undefined, 5)).toBe('abcd…');
    expect(serverText('abcdefghij', undefined, 5)).toBe('abcd…');
    expect(serverText('x'.repeat(600), undefined)).toBe(`${'x'.repeat(499)}…`);
    expect(serverText('x'.repeat(500), undefined)).toBe('x'.repeat(500));
  });

  it('cuts after escaping: an escape that reaches maxLength exactly is kept whole', () => {
    expect(serverText('abcd\n', undefined, 9)).toBe('abcd\\u{a}');
    expect(serverText('abcd\n', undefined, 8)).toBe('abcd\\u{…');
    expect(serverText('abcde\n', undefined, 9)).toBe('abcde\\u{…');
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    expect(serverText('abc\u{1f600}def', undefined, 5)).toBe('abc…');
    expect(serverText('ab\u{1f600}cdef', undefined, 5)).toBe('ab\u{1f600}…');
    expect(serverText('abc\ud800xyz', undefined, 5)).toBe('abc…');
    expect(serverText('abc\udbffxyz', undefined, 5)).toBe('abc…');
    expect(serverText('abc\udc00xyz', undefined, 5)).toBe('abc\udc00…');
    expect(serverText('abc\ud7ffxyz', undefined, 5)).toBe('abc\ud7ff…');
  });

  it('redacts every copy of the key before the cut', () => {
    expect(serverText('key gk_1 and gk_1', 'gk_1')).toBe('key [redacted] and [redacted]');
    expect(serverText('abcgk_secret', 'gk_secret', 6)).toBe('abc[r…');
  });
});

describe('hasControls and escapeControls', () => {
  it('finds C0, DEL, C1, separators and bidi controls, and nothing else', () => {
    const controls = ['\u0000', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f', '\u061c', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069'];
    const plain = [' ', '~', 'a', '\u00a0', '\u00e9', '\u061b', '\u061d', '\u200d', '\u2010', '\u2027', '\u202f', '\u2065', '\u206a', '\u{1f600}'];
    expect(controls.map((c) => hasControls(`a${c}b`))).toEqual(controls.map(() => true));
    expect(plain.map((c) => hasControls(`a${c}b`))).toEqual(plain.map(() => false));
    expect(controls.map((c) => escapeControls(c))).toEqual(['\\u{0}', '\\u{1f}', '\\u{7f}', '\\u{80}', '\\u{85}', '\\u{9f}', '\\u{61c}', '\\u{200e}', '\\u{200f}', '\\u{2028}', '\\u{2029}', '\\u{202a}', '\\u{202e}', '\\u{2066}', '\\u{2069}']);
    expect(plain.map((c) => serverText(c, undefined))).toEqual(plain);
  });
});

describe('redact', () => {
  it('replaces every copy, and leaves text alone without a key or with an empty one', () => {
    expect(redact('a k b k', 'k')).toBe('a [redacted] b [redacted]');
    expect(redact('abc', '')).toBe('abc');
    expect(redact('abc undefined', undefined)).toBe('abc undefined');
    expect(serverText('abc', '')).toBe('abc');
  });
});

describe('bodyExcerpt', () => {
  it('re-encodes JSON so its escapes cannot hide the key', () => {
    expect(bodyExcerpt('{"k":"\\u0067k_1","u":"a\\/b"}', 'gk_1')).toBe('{"k":"[redacted]","u":"a/b"}');
  });

  it('undoes JSON-style escapes in a body that is not JSON', () => {
    expect(bodyExcerpt('key=\\u0067k_1 \\/path', 'gk_1')).toBe('key=[redacted] /path');
    expect(bodyExcerpt('A\\u0041 \\u00e9 \\u12', undefined)).toBe('AA \u00e9 \\u12');
    expect(bodyExcerpt('x'.repeat(300), undefined)).toBe(`${'x'.repeat(199)}…`);
  });
});

describe('generation ids', () => {
  it('says what is wrong, without quoting the id', () => {
    expect(generationIdProblem(5)).toBe('must be a string, got number');
    expect(generationIdProblem(null)).toBe('must be a string, got null');
    expect(generationIdProblem(undefined)).toBe('must be a string, got undefined');
    expect(generationIdProblem('')).toBe('must not be empty');
    expect(generationIdProblem('x'.repeat(256))).toBeUndefined();
    expect(generationIdProblem('x'.repeat(257))).toBe('must be at most 256 characters, got 257');
    const forbidden = 'must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates';
    for (const id of ['a b', 'a\tb', 'a\u007fb', 'a\u0085b', 'a\u00a0b', 'a\u200bb', 'a\u202eb', 'a\ud800b', 'a\u3000b']) expect([id, generationIdProblem(id)]).toEqual([id, forbidden]);
    for (const id of ['.', '..', '...']) expect(generationIdProblem(id)).toBe('must not be only dots');
    for (const id of ['gen_1', 'a..', '..a', '.a.', 'ünï/cødé', '\u{1f600}', '~!@#$%^&*()']) expect([id, generationIdProblem(id)]).toEqual([id, undefined]);
  });

  it('validateGenerationId quotes the first 40 characters with the refused ones escaped', () => {
    expect(validateGenerationId('gen_1')).toBeUndefined();
    const error = validateGenerationId('a b\u202ec');
    expect(error?.message).toBe('Invalid generation id "a\\u{20}b\\u{202e}c": it must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates');
    expect(error?.code).toBe('INVALID_ID');
    expect(error?.details).toEqual([{ path: 'id', message: 'must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates' }]);
    expect(validateGenerationId(`${'y'.repeat(40)} z`)?.message).toBe(`Invalid generation id "${'y'.repeat(40)}…": it must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates`);
    expect(validateGenerationId(`${'y'.repeat(39)} `)?.message).toBe(`Invalid generation id "${'y'.repeat(39)}\\u{20}": it must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates`);
    expect(validateGenerationId(42)?.message).toBe('Invalid generation id: it must be a string, got number');
    expect(validateGenerationId('..')?.message).toBe('Invalid generation id "..": it must not be only dots');
  });

  it('generationPath percent-encodes the id', () => {
    expect(generationPath('a/b?c#d')).toBe('/generations/a%2Fb%3Fc%23d');
  });
});

describe('validate and summarize', () => {
  it('gives English messages and dotted paths', () => {
    const result = validate(generationSchema, { generationId: 'gen_1', status: 5, createdAt: 'x', updatedAt: 'y' });
    expect(result.success).toBe(false);
    expect(result.success ? [] : result.issues).toEqual([{ path: 'status', message: 'Expected a non-empty status string' }]);
    const nested = validate(tryOnRequestSchema, { products: [{ externalId: 'p1' }], person: { image: 5 } });
    expect(nested.success ? [] : nested.issues).toEqual([{ path: 'person.image', message: 'Invalid input: expected object, received number' }]);
  });

  it('summarize: the first three issues, (root) for an empty path', () => {
    const issues = [
      { path: '', message: 'one' },
      { path: 'a.b', message: 'two' },
      { path: 'c', message: 'three' },
      { path: 'd', message: 'four' },
    ];
    expect(summarize(issues)).toBe('(root): one; a.b: two; c: three');
    expect(summarize([])).toBe('');
  });
});

describe('schemas', () => {
  const issues = (schema: Parameters<typeof validate>[0], value: unknown) => {
    const result = validate(schema, value);
    return result.success ? [] : result.issues;
  };
  const generation = { generationId: 'gen_1', status: 'PENDING', createdAt: '2026-12-04T00:00:00Z', updatedAt: '2026-12-04T00:00:00Z' };

  it('a server id is checked like a caller one, and never quoted', () => {
    expect(issues(generationSchema, { ...generation, generationId: 'gk_SECRET with space' })).toEqual([
      { path: 'generationId', message: 'generationId must not contain whitespace, control, format (bidi, zero-width) characters or lone surrogates' },
    ]);
    expect(issues(generationSchema, { ...generation, generationId: '..' })).toEqual([{ path: 'generationId', message: 'generationId must not be only dots' }]);
  });

  it('a status is any non-empty string', () => {
    expect(validate(generationStatusSchema, 'SOMETHING_NEW').success).toBe(true);
    expect(issues(generationStatusSchema, '')).toEqual([{ path: '', message: 'Expected a non-empty status string' }]);
  });

  it('a COMPLETED generation needs an http(s) resultImageUrl', () => {
    expect(issues(generationSchema, { ...generation, status: 'COMPLETED' })).toEqual([{ path: 'resultImageUrl', message: 'COMPLETED generation without resultImageUrl' }]);
    expect(issues(generationSchema, { ...generation, status: 'COMPLETED', resultImageUrl: 'javascript:alert(1)' })).toEqual([{ path: 'resultImageUrl', message: 'resultImageUrl is not an http(s) URL' }]);
    expect(issues(generationSchema, { ...generation, status: 'PENDING', resultImageUrl: 'ftp://x/y.png' })).toEqual([{ path: 'resultImageUrl', message: 'resultImageUrl is not an http(s) URL' }]);
    expect(issues(generationSchema, { ...generation, status: 'COMPLETED', resultImageUrl: 'https://cdn.example/r.png' })).toEqual([]);
    // The scheme and `//` first, as sent: the URL parser would forgive a leading space or a missing `//`, a browser resolves `https:cdn.example/...` as a relative path.
    for (const resultImageUrl of [' https://cdn.example/r.png', '\u0000https://cdn.example/r.png', 'https:cdn.example/r.png', 'http:/cdn.example/r.png']) {
      expect([resultImageUrl, issues(generationSchema, { ...generation, status: 'COMPLETED', resultImageUrl })]).toEqual([resultImageUrl, [{ path: 'resultImageUrl', message: 'resultImageUrl is not an http(s) URL' }]]);
    }
  });

  it('the refinements raise zod custom issues, for a caller that parses with the exported schemas itself', () => {
    const codes = (value: unknown) => generationSchema.safeParse(value).error?.issues.map((issue) => [issue.path.join('.'), issue.code]);
    expect(codes({ ...generation, generationId: '..' })).toEqual([['generationId', 'custom']]);
    expect(codes({ ...generation, status: 'COMPLETED' })).toEqual([['resultImageUrl', 'custom']]);
    expect(codes({ ...generation, resultImageUrl: 'ftp://x/y.png' })).toEqual([['resultImageUrl', 'custom']]);
  });

  it('a try-on request takes only http(s) image URLs and refuses unknown keys', () => {
    const request = (source: unknown, extra: Record<string, unknown> = {}) => ({ products: [{ externalId: 'p1' }], person: { image: { source } }, ...extra });
    expect(issues(tryOnRequestSchema, request({ url: 'https://a.example/p.jpg' }))).toEqual([]);
    expect(issues(tryOnRequestSchema, request({ url: 'http://a.example/p.jpg' }))).toEqual([]);
    for (const url of ['ftp://a.example/p.jpg', 'httpsx://a.example/p.jpg', 'xhttps://a.example/p.jpg', 'file:///etc/passwd']) {
      expect([url, issues(tryOnRequestSchema, request({ url })).length > 0]).toEqual([url, true]);
    }
    expect(issues(tryOnRequestSchema, request({ url: 'https://a.example/p.jpg', extra: 1 })).length).toBeGreaterThan(0);
    expect(issues(tryOnRequestSchema, request({ id: 'person_1' }, { output: { watermark: false, keepForDays: 3 } }))).toEqual([]);
    expect(issues(tryOnRequestSchema, request({ id: 'person_1' }, { output: { watermark: false, extra: true } })).length).toBeGreaterThan(0);
    expect(issues(tryOnRequestSchema, request({ id: 'person_1' }, { output: { keepForDays: 0 } })).length).toBeGreaterThan(0);
    const product = { title: 't', images: [{ source: { url: 'https://a.example/i.jpg', extra: 1 } }] };
    // A product image by an uploaded file's key, as the person image may be; an empty source is neither form.
    expect(issues(tryOnRequestSchema, { ...request({ fileKey: 'uploads/person.jpg' }), products: [{ title: 't', images: [{ source: { fileKey: 'uploads/shirt.jpg' } }] }] })).toEqual([]);
    expect(issues(tryOnRequestSchema, { ...request({ id: 'person_1' }), products: [{ title: 't', images: [{ source: {} }] }] }).length).toBeGreaterThan(0);
    expect(issues(tryOnRequestSchema, { ...request({ id: 'person_1' }), products: [product] }).length).toBeGreaterThan(0);
    expect(issues(tryOnRequestSchema, { ...request({ id: 'person_1' }), products: [{ ...product, images: [{ source: { url: 'ftp://a.example/i.jpg' } }] }] }).length).toBeGreaterThan(0);
  });
});
