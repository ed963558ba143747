import { firstValueFrom, queueScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createApiRequester, GENLOOK_ORIGIN } from '../src/http/api-requester.js';
import type { Transport, TransportRequest } from '../src/http/transport.js';

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
