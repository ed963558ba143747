import { inspect } from 'node:util';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createGenlook, type Generation, type Transport, type TransportRequest } from '../src/index.js';
import { pending } from '../src/testing/index.js';
import { useSimulator } from './helpers/simulator.js';

const KEY = 'gk_live_SECRET_5f2a9c1e7b';

/** Every way an error can be shown: none may contain the key. */
function expectNoKey(error: unknown): void {
  const shown = [
    String(error),
    (error as Error).message,
    (error as Error).stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    inspect(error, { depth: 10, showHidden: true }),
    String((error as Error).cause ?? ''),
    inspect((error as Error).cause ?? '', { depth: 10 }),
  ];
  for (const text of shown) expect(text).not.toContain(KEY);
}

/** A transport that answers (or fails) in a way that quotes the key back. */
function hostileTransport(answer: (request: TransportRequest) => Promise<{ status: number; headers: Record<string, string>; body: string }>): Transport {
  return { request: answer };
}

describe('the API key never leaks into errors', () => {
  const cases: Array<[string, Transport]> = [
    ['network error quoting the key', hostileTransport(async (request) => { throw new Error(`connect failed with headers ${JSON.stringify(request.headers)}`); })],
    ['401 echoing the key', hostileTransport(async () => ({ status: 401, headers: {}, body: JSON.stringify({ code: 'INVALID_API_KEY', message: `Key ${KEY} is not valid`, status: 401 }) }))],
    ['invalid body echoing the key', hostileTransport(async () => ({ status: 200, headers: {}, body: `{"your key": "${KEY}"` }))],
    ['schema failure echoing the key', hostileTransport(async () => ({ status: 200, headers: {}, body: JSON.stringify({ generationId: KEY, status: 1 }) }))],
    ['5xx with the key in a header', hostileTransport(async () => ({ status: 503, headers: { 'x-echo': KEY }, body: KEY }))],
    ['wrong generation id', hostileTransport(async () => ({ status: 200, headers: {}, body: JSON.stringify(pending(KEY)) }))],
  ];

  it.each(cases)('%s', async (_name, transport) => {
    const genlook = createGenlook({ apiKey: KEY, retry: false, transport });
    const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expectNoKey(error);
  });

  it('is not in the TypeError of a bad key option', () => {
    let error: unknown;
    try {
      createGenlook({ apiKey: `${KEY} with space` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expectNoKey(error);
  });
});

describe('ids never leave the generations path', () => {
  const sim = useSimulator();

  it('percent-encodes ../account and friends under /generations/', async () => {
    const simulator = await sim.start();
    const genlook = sim.client(simulator, { retry: false });
    for (const id of ['../account', '..%2Faccount', 'a/b', 'x?admin=1', 'y#frag', '%2e%2e', 'ünï/cødé', '..\\..\\etc']) {
      const error = await genlook.retrieve(id).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'GENERATION_NOT_FOUND', status: 404 });
    }
    expect(simulator.stats().unknownPaths).toEqual([]);
  });

  it.each([[''], ['a b'], ['line\r\nX-Evil: 1'], ['tab\t'], ['nul\u0000'], ['.'], ['..'], ['x'.repeat(300)]])('refuses %j before any request', async (id) => {
    const requests: TransportRequest[] = [];
    const genlook = createGenlook({ apiKey: KEY, transport: { request: async (request) => (requests.push(request), { status: 200, headers: {}, body: '' }) } });
    await expect(lastValueFrom(genlook.generation$(id))).rejects.toMatchObject({ name: 'GenlookValidationError', code: 'INVALID_ID' });
    await expect(genlook.retrieve(id)).rejects.toMatchObject({ code: 'INVALID_ID' });
    expect(requests).toEqual([]);
  });
});

describe('ids refuse every bidi and invisible format character, by Unicode category (issue 21, defect 13)', () => {
  const hidden = ['\u2066', '\u2067', '\u2068', '\u2069', '\u061c', '\u00ad', '\u{e0041}', '\u{e0001}', '\u200e', '\u200f', '\u202e', '\u200b', '\u2060', '\ufeff', '\u180e', '\u2028', '\u2029', '\u00a0', '\u3000', '\u0085', '\ufff9'];

  it.each(hidden.map((character) => [`U+${character.codePointAt(0)!.toString(16).toUpperCase()}`, character]))('refuses an id holding %s, and shows it escaped', async (_name, character) => {
    const genlook = createGenlook({ apiKey: KEY, transport: { request: async () => ({ status: 200, headers: {}, body: '' }) } });
    const error = await genlook.retrieve(`gen${character}1`).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'GenlookValidationError', code: 'INVALID_ID' });
    expect((error as Error).message).toContain(`\\u{${character.codePointAt(0)!.toString(16)}}`);
    expect((error as Error).message).not.toContain(character);
  });

  it('still accepts ids of letters, digits, punctuation and non-Latin scripts', async () => {
    const genlook = createGenlook({ apiKey: KEY, transport: { request: async (request) => ({ status: 200, headers: {}, body: JSON.stringify(pending(decodeURIComponent(request.url.split('/').pop()!))) }) } });
    for (const id of ['gen_1', 'a.b-c_d~e', 'ünï', '生成', 'emoji👍']) await expect(genlook.retrieve(id)).resolves.toMatchObject({ generationId: id });
  });
});

describe('where the key may go', () => {
  it('refuses plain http: to a non-loopback host', () => {
    expect(() => createGenlook({ apiKey: KEY, baseUrl: 'http://api.genlook.app/tryon/v1' })).toThrow(/https:/);
    expect(() => createGenlook({ apiKey: KEY, baseUrl: 'http://10.0.0.5/tryon/v1' })).toThrow(TypeError);
  });

  it('allows http: on loopback only', () => {
    for (const baseUrl of ['http://127.0.0.1:8080/tryon/v1', 'http://localhost:1/x', 'http://[::1]:9/x', 'https://api.genlook.app/tryon/v1']) {
      expect(() => createGenlook({ apiKey: KEY, baseUrl })).not.toThrow();
    }
  });

  it('refuses credentials, queries and other schemes in baseUrl', () => {
    for (const baseUrl of ['https://user:pass@api.genlook.app/tryon/v1', 'https://api.genlook.app/tryon/v1?x=1', 'ftp://api.genlook.app', 'not a url']) {
      expect(() => createGenlook({ apiKey: KEY, baseUrl })).toThrow(TypeError);
    }
  });

  it('a baseUrl error names the problem without echoing the userinfo, query or fragment (issue 21, defect 10)', () => {
    for (const baseUrl of [
      `https://user:${KEY}@api.genlook.app/tryon/v1`,
      `https://${KEY}@api.genlook.app/tryon/v1`,
      `https://api.genlook.app/tryon/v1?key=${KEY}`,
      `https://api.genlook.app/tryon/v1#${KEY}`,
      `http://evil.example/?k=${KEY}`,
      `ftp://api.genlook.app/?${KEY}`,
      `not a url ${KEY}`,
      `${KEY}`,
    ]) {
      let error: unknown;
      try {
        createGenlook({ apiKey: 'gk_test_other', baseUrl });
      } catch (caught) {
        error = caught;
      }
      expect(error, baseUrl).toBeInstanceOf(TypeError);
      expectNoKey(error);
      for (const piece of ['gk_live', 'SECRET', '5f2a9c']) expect((error as Error).message).not.toContain(piece);
    }
    expect(() => createGenlook({ apiKey: KEY, baseUrl: `https://api.genlook.app/tryon/v1?key=${KEY}` })).toThrow('Expected `baseUrl` without a query or fragment, got "https://api.genlook.app/tryon/v1" with a query');
  });

  it.each([['/\\evil.example/api'], ['/\t/evil.example/api'], ['/\n/evil.example/api'], ['//evil.example/api'], ['/\\/evil.example'], [' /\\evil.example/api']])(
    'refuses the relative baseUrl %j that a browser resolves to another host, and sends nothing (issue 21, defect 11)',
    async (baseUrl) => {
      const seen: TransportRequest[] = [];
      const transport: Transport = { request: async (request) => (seen.push(request), { status: 200, headers: {}, body: JSON.stringify(pending('gen_1')) }) };
      expect(() => createGenlook({ apiKey: KEY, baseUrl, transport })).toThrow(/another host/);
      expect(new URL(baseUrl.trim(), 'https://shop.example').host).not.toBe('shop.example'); // what a browser would do with it
      expect(seen).toEqual([]);
    },
  );

  it('keeps a relative baseUrl in the form a browser resolves it to', async () => {
    const seen: TransportRequest[] = [];
    const transport: Transport = { request: async (request) => (seen.push(request), { status: 200, headers: {}, body: JSON.stringify(pending('gen_1')) }) };
    await createGenlook({ apiKey: KEY, baseUrl: '/api/../backend\\genlook/', transport }).retrieve('gen_1');
    expect(seen[0]?.url).toBe('/backend/genlook/generations/gen_1');
  });

  it('sends the key only as x-api-key to the configured origin', async () => {
    const seen: TransportRequest[] = [];
    const transport: Transport = { request: async (request) => (seen.push(request), { status: 200, headers: {}, body: JSON.stringify(pending('gen_1')) }) };
    const genlook = createGenlook({ apiKey: KEY, baseUrl: 'https://api.genlook.app/tryon/v1', transport });
    const generation: Generation = await genlook.retrieve('gen_1');
    expect(generation.status).toBe('PENDING');
    expect(seen[0]?.url).toBe('https://api.genlook.app/tryon/v1/generations/gen_1');
    expect(seen[0]?.headers['x-api-key']).toBe(KEY);
    expect(seen[0]?.url).not.toContain(KEY);
  });

  it('a missing key is an API_KEY_NOT_CONFIGURED error at the first request, not at creation', async () => {
    const previous = process.env.GENLOOK_API_KEY;
    delete process.env.GENLOOK_API_KEY;
    try {
      const genlook = createGenlook({ baseUrl: 'https://api.genlook.app/tryon/v1' });
      await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ name: 'GenlookConfigError', code: 'API_KEY_NOT_CONFIGURED' });
    } finally {
      if (previous !== undefined) process.env.GENLOOK_API_KEY = previous;
    }
  });

  it('a relative baseUrl with a custom transport needs no key', async () => {
    const seen: TransportRequest[] = [];
    const transport: Transport = { request: async (request) => (seen.push(request), { status: 200, headers: {}, body: JSON.stringify(pending('gen_1')) }) };
    const previous = process.env.GENLOOK_API_KEY;
    delete process.env.GENLOOK_API_KEY;
    try {
      await createGenlook({ baseUrl: '/api/genlook', transport }).retrieve('gen_1');
    } finally {
      if (previous !== undefined) process.env.GENLOOK_API_KEY = previous;
    }
    expect(seen[0]?.url).toBe('/api/genlook/generations/gen_1');
    expect(seen[0]?.headers['x-api-key']).toBeUndefined();
  });
});
