import { describe, expect, it } from 'vitest';
import { parseGenerationList } from '../src/model/generation-list.js';

const KEY = 'gk_live_0123456789abcdef';
const item = (fields: Record<string, unknown>) => ({ id: 'gen_1', status: 'PENDING', generationTimeMs: null, createdAt: '2026-12-03T10:00:00.000Z', updatedAt: '2026-12-03T10:00:00.000Z', ...fields });

describe('a page of GET /generations is decoded in the safe form a single read has', () => {
  it('redacts the key and escapes controls and bidi marks in every item text', () => {
    const parsed = parseGenerationList({ items: [item({ status: `PROCESSING\u001b[2J${KEY}`, createdAt: `x\u202e${KEY}`, updatedAt: 'y\nz' })], hasMore: false }, KEY);
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    const [only] = parsed.data.items;
    expect(only).toEqual({ id: 'gen_1', status: 'PROCESSING\\u{1b}[2J[redacted]', generationTimeMs: null, createdAt: 'x\\u{202e}[redacted]', updatedAt: 'y\\u{a}z' });
  });

  it('leaves out items whose id is not a valid generation id or quotes the key, and keeps the rest', () => {
    const parsed = parseGenerationList({ items: [item({ id: 'gen\n2' }), item({ id: `gen_${KEY}` }), item({ id: '..' }), item({ id: 'gen_\u200f3' }), item({ id: 'gen_4' })], hasMore: true, nextCursor: 'c1' }, KEY);
    expect(parsed.success && parsed.data.items.map((entry) => entry.id)).toEqual(['gen_4']);
    expect(parsed.success && parsed.data).toMatchObject({ hasMore: true, nextCursor: 'c1' });
  });

  it('without a key (a Redis follower) or with an empty one, no item is left out for "quoting" it', () => {
    // String.prototype.includes(undefined) looks for "undefined", and every string includes "".
    const page = { items: [item({ id: 'gen_undefined' }), item({ id: 'gen_2' })], hasMore: false };
    for (const secret of [undefined, '']) expect([secret, (parseGenerationList(page, secret) as { data: { items: Array<{ id: string }> } }).data.items.map((entry) => entry.id)]).toEqual([secret, ['gen_undefined', 'gen_2']]);
  });

  it('refuses a page that is not the schema', () => {
    expect(parseGenerationList({ items: [{ id: 'gen_1' }], hasMore: false }, KEY).success).toBe(false);
    expect(parseGenerationList({ items: 'no', hasMore: false }, KEY).success).toBe(false);
  });
});
