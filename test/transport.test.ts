import { lastValueFrom } from 'rxjs';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGenlook, GenlookApiError, GenlookNetworkError, GenlookResponseError, type Genlook } from '../src/index.js';
import { undiciTransport } from '../src/http/undici-transport.js';
import { completed, pending } from '../src/testing/index.js';

const ORIGIN = 'https://api.genlook.app';
const PATH = '/tryon/v1/generations/gen_1';
const KEY = 'gk_transport_spec_key';

describe('the undici transport, on a MockAgent with network connections disabled', () => {
  let agent: MockAgent;
  let genlook: Genlook;

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    genlook = createGenlook({ apiKey: KEY, retry: false, transport: undiciTransport({ dispatcher: agent }) });
  });

  afterEach(async () => {
    await genlook.close();
  });

  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    agent
      .get(ORIGIN)
      .intercept({ path: PATH, method: 'GET', headers: { 'x-api-key': KEY } })
      .reply(status, typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'content-type': 'application/json', ...headers } });

  it('reads a generation and sends the key only as x-api-key', async () => {
    reply(200, completed('gen_1'));
    await expect(genlook.retrieve('gen_1')).resolves.toEqual(completed('gen_1'));
  });

  it.each([
    [400, 'VALIDATION_FAILED'],
    [401, 'MISSING_API_KEY'],
    [401, 'INVALID_API_KEY'],
    [402, 'INSUFFICIENT_CREDITS'],
    [403, 'FORBIDDEN'],
    [404, 'GENERATION_NOT_FOUND'],
    [500, 'INTERNAL_ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
  ])('maps %i %s to GenlookApiError with the server code', async (status, code) => {
    reply(status, { code, message: `said ${code}`, status, details: status === 400 ? [{ path: 'id', message: 'bad' }] : undefined });
    const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error).toMatchObject({ status, code, serverMessage: `said ${code}` });
    if (status === 400) expect((error as GenlookApiError).details).toEqual([{ path: 'id', message: 'bad' }]);
  });

  it('derives a code from the status when the body has none (404 is GENERATION_NOT_FOUND)', async () => {
    reply(404, '<html>not here</html>');
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ status: 404, code: 'GENERATION_NOT_FOUND' });
  });

  it('maps a 429 with Retry-After to RATE_LIMITED with retryAfter in ms', async () => {
    reply(429, { code: 'RATE_LIMITED', message: 'Too many requests', status: 429 }, { 'retry-after': '7' });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfter: 7000 });
  });

  it('maps a 429 without Retry-After to RATE_LIMITED without retryAfter', async () => {
    reply(429, { code: 'RATE_LIMITED', message: 'Too many requests', status: 429 });
    const error = (await genlook.retrieve('gen_1').catch((caught: unknown) => caught)) as GenlookApiError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfter).toBeUndefined();
  });

  it('maps invalid JSON to GenlookResponseError with an excerpt', async () => {
    reply(200, '{"generationId": "gen_1", "sta');
    const error = (await genlook.retrieve('gen_1').catch((caught: unknown) => caught)) as GenlookResponseError;
    expect(error).toBeInstanceOf(GenlookResponseError);
    expect(error.excerpt).toBe('{"generationId": "gen_1", "sta');
  });

  it('maps a missing field and a COMPLETED without resultImageUrl to GenlookResponseError with the issues', async () => {
    reply(200, { generationId: 'gen_1', createdAt: 'x', updatedAt: 'x' });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ name: 'GenlookResponseError', issues: [expect.objectContaining({ path: 'status' })] });
    reply(200, { ...pending('gen_1'), status: 'COMPLETED' });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'resultImageUrl' })] });
  });

  it('maps a body about another generation to GenlookResponseError', async () => {
    reply(200, pending('gen_2'));
    await expect(genlook.retrieve('gen_1')).rejects.toThrow(/about generation "gen_2", not "gen_1"/);
  });

  it('refuses a body over the size cap', async () => {
    await genlook.close();
    genlook = createGenlook({ apiKey: KEY, retry: false, transport: undiciTransport({ dispatcher: agent, maxResponseSize: 1000 }) });
    reply(200, { ...pending('gen_1'), padding: 'x'.repeat(5000) });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ name: 'GenlookResponseError', code: 'RESPONSE_TOO_LARGE' });
  });

  it('does not follow a redirect', async () => {
    reply(302, '', { location: 'https://evil.example/steal' });
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ status: 302, code: 'UNEXPECTED_REDIRECT' });
  });

  it('maps a connection error to GenlookNetworkError', async () => {
    agent.get(ORIGIN).intercept({ path: PATH, method: 'GET' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookNetworkError);
    expect((error as GenlookNetworkError).code).toBe('NETWORK_ERROR');
  });

  it('polls through to COMPLETED over the transport', async () => {
    reply(200, pending('gen_1'));
    reply(200, completed('gen_1'));
    const client = createGenlook({ apiKey: KEY, pollInterval: 1, transport: undiciTransport({ dispatcher: agent }) });
    await expect(lastValueFrom(client.generation$('gen_1'))).resolves.toEqual(completed('gen_1'));
    await client.close();
  });
});
