import { firstValueFrom, type Observable, queueScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { GenlookResponseError } from '../src/index.js';
import { createApiRequester, GENLOOK_ORIGIN } from '../src/http/api-requester.js';
import type { Transport, TransportRequest, TransportResponse } from '../src/http/transport.js';
import type { TryOnRequest } from '../src/model/schemas.js';

const ID = 'gen_1';
const generation = { generationId: ID, status: 'PROCESSING', createdAt: '2026-12-03T08:00:00.000Z', updatedAt: '2026-12-03T08:00:01.000Z' };

function recording(): { transport: Transport; seen: TransportRequest[] } {
  const seen: TransportRequest[] = [];
  return { seen, transport: { request: async (request) => (seen.push(request), { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(generation) }) } };
}

const requester = (baseUrl: string, transport: Transport | undefined) =>
  createApiRequester({ apiKey: undefined, baseUrl, isRelativeBaseUrl: false, requestTimeout: 10_000, transport, scheduler: queueScheduler, maxRetryAfter: 60_000 });

describe('createApiRequester: when a key is needed', () => {
  it('a custom transport to Genlook itself still needs a key: nothing is sent', async () => {
    const { transport, seen } = recording();
    await expect(firstValueFrom(requester(`${GENLOOK_ORIGIN}/tryon/v1`, transport).generation$(ID))).rejects.toMatchObject({ code: 'API_KEY_NOT_CONFIGURED' });
    expect(seen).toHaveLength(0);
  });

  it('a custom transport to another origin needs none: the request is sent without x-api-key', async () => {
    const { transport, seen } = recording();
    const answer = await firstValueFrom(requester('http://127.0.0.1:1/tryon/v1', transport).generation$(ID));
    expect(answer.generationId).toBe(ID);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('http://127.0.0.1:1/tryon/v1/generations/gen_1');
    expect(seen[0]!.headers).toEqual({ accept: 'application/json' });
  });

  it('a URL that only ends with the Genlook origin is another origin', async () => {
    const { transport, seen } = recording();
    await firstValueFrom(requester(`http://127.0.0.1:1/${GENLOOK_ORIGIN}`, transport).generation$(ID));
    expect(seen).toHaveLength(1);
  });

  it('the default transport to any origin needs a key', async () => {
    await expect(firstValueFrom(requester('http://127.0.0.1:1/tryon/v1', undefined).generation$(ID))).rejects.toMatchObject({ code: 'API_KEY_NOT_CONFIGURED' });
  });
});

const KEY = 'gk_requester_spec_key';
const BASE = 'http://127.0.0.1:1/tryon/v1';
const TRY_ON: TryOnRequest = { products: [{ externalId: 'sku-1' }], person: { image: { source: { url: 'https://images.example/person.jpg' } } }, externalUserId: 'shopper-1' };

/** A transport answering every request with `answer`, and the requests it saw. */
function answering(answer: TransportResponse): { transport: Transport; seen: TransportRequest[] } {
  const seen: TransportRequest[] = [];
  return { seen, transport: { request: async (request) => (seen.push(request), answer) } };
}

const keyed = (transport: Transport) => createApiRequester({ apiKey: KEY, baseUrl: BASE, isRelativeBaseUrl: false, requestTimeout: 10_000, transport, scheduler: queueScheduler, maxRetryAfter: 60_000 });
const failureOf = (source: Observable<unknown>) => firstValueFrom(source).then(
  () => expect.fail('expected an error'),
  (error: unknown) => error,
);
/** A 404 whose body is no API error (a proxy's page): the code comes from the endpoint. */
const proxyNotFound: TransportResponse = { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>not here</html>' };

describe('createApiRequester: the requests it sends', () => {
  it('without a key: the error says how to give one', async () => {
    const { transport } = recording();
    const error = await failureOf(requester(`${GENLOOK_ORIGIN}/tryon/v1`, transport).generation$(ID));
    expect(error).toMatchObject({ code: 'API_KEY_NOT_CONFIGURED', message: 'No Genlook API key: pass `apiKey` to createGenlook() or set GENLOOK_API_KEY (a relative baseUrl, served by your own backend, needs none)' });
  });

  it('list$: GET /generations with the limit, and the cursor only when there is one', async () => {
    const { transport, seen } = answering({ status: 200, headers: {}, body: JSON.stringify({ items: [], hasMore: false }) });
    const api = keyed(transport);
    await expect(firstValueFrom(api.list$({ limit: 50, cursor: undefined }))).resolves.toEqual({ items: [], hasMore: false });
    await firstValueFrom(api.list$({ limit: 100, cursor: 'c/2' }));
    expect(seen.map((request) => request.url)).toEqual([`${BASE}/generations?limit=50`, `${BASE}/generations?limit=100&cursor=c%2F2`]);
  });

  it('a GET has no body; a POST has the request as JSON, with its content type', async () => {
    const { transport, seen } = answering({ status: 202, headers: {}, body: JSON.stringify({ generationId: 'gen_new' }) });
    const api = keyed(transport);
    await firstValueFrom(api.list$({ limit: 1, cursor: undefined })).catch(() => undefined);
    await firstValueFrom(api.create$(TRY_ON)).catch(() => undefined);
    const [get, post] = seen;
    expect(get).toEqual({ method: 'GET', url: `${BASE}/generations?limit=1`, headers: { accept: 'application/json', 'x-api-key': KEY }, signal: expect.any(AbortSignal), timeout: 10_000 });
    expect(Object.keys(get!)).not.toContain('body');
    expect(post).toEqual({ method: 'POST', url: `${BASE}/try-on`, headers: { accept: 'application/json', 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(TRY_ON), signal: expect.any(AbortSignal), timeout: 10_000 });
  });

  it('a 404 without an API error body is NOT_FOUND on list$, create$ and createAndWait$ (GENERATION_NOT_FOUND is for a read)', async () => {
    const { transport } = answering(proxyNotFound);
    const api = keyed(transport);
    await expect(failureOf(api.list$({ limit: 50, cursor: undefined }))).resolves.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    await expect(failureOf(api.create$(TRY_ON))).resolves.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    await expect(failureOf(api.createAndWait$(TRY_ON, 90_000))).resolves.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    await expect(failureOf(api.generation$(ID))).resolves.toMatchObject({ status: 404, code: 'GENERATION_NOT_FOUND' });
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"COMPLETED"'],
    ['an array', '[{"generationId":"gen_new","status":"COMPLETED"}]'],
  ])('createAndWait$: a 200 whose body is %s is an invalid response (GenlookResponseError), not a crash', async (_what, body) => {
    const { transport } = answering({ status: 200, headers: {}, body });
    const error = await failureOf(keyed(transport).createAndWait$(TRY_ON, 90_000));
    expect(error).toBeInstanceOf(GenlookResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, issues: expect.arrayContaining([expect.objectContaining({ path: 'generationId' })]) });
  });
});
