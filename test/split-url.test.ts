import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitUrl } from '../src/http/undici-transport.js';

describe('splitUrl (the undici transport splits each URL without parsing it)', () => {
  it('agrees with the URL parser on the URLs the client builds', () => {
    fc.assert(
      // Ids of only dots are refused by the client before any URL is built.
      fc.property(fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }), fc.string().filter((id) => !/^\.*$/.test(id) || id === ''), (base, id) => {
        // As the client builds it: the normalised base URL (origin + path), then the encoded id.
        const normalised = new URL(base);
        const url = `${normalised.origin}${normalised.pathname.replace(/\/+$/, '')}/generations/${encodeURIComponent(id)}`;
        const parsed = new URL(url);
        expect(splitUrl(url)).toEqual({ origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` });
      }),
      { numRuns: 500 },
    );
    expect(splitUrl('http://127.0.0.1:8080/tryon/v1/generations/a%2Fb')).toEqual({ origin: 'http://127.0.0.1:8080', path: '/tryon/v1/generations/a%2Fb' });
  });
});
