import { describe, expect, it } from 'vitest';
import { createGenlook } from '../src/index.js';

describe('createGenlook options are validated once, with messages that name the option', () => {
  it.each([
    [{ pollInterval: -1 }, 'Expected `pollInterval` to be a positive number, got -1'],
    [{ pollInterval: Number.NaN }, 'Expected `pollInterval` to be a positive number, got NaN'],
    [{ requestTimeout: '10s' }, 'Expected `requestTimeout` to be a positive number, got "10s"'],
    [{ rateLimit: { requestsPerMinute: 0 } }, 'Expected `rateLimit.requestsPerMinute` to be a positive integer, got 0'],
    [{ rateLimit: { requestsPerMinute: 30, burst: 0 } }, 'Expected `rateLimit.burst` to be a positive integer, got 0'],
    [{ rateLimit: true }, 'Expected `rateLimit` to be { requestsPerMinute }, a RateBudget or false, got true'],
    [{ retry: -2 }, 'Expected `retry` to be a non-negative integer, got -2'],
    [{ retry: { delay: -5 } }, 'Expected `retry.delay` to be a non-negative number, got -5'],
    [{ transport: {} }, 'Expected `transport` to be an object with a request() method, got an object'],
    [{ baseUrl: 'ftp://x' }, 'Expected `baseUrl` to use https:, got "ftp://x"'],
    [{ apiKey: 42 }, 'Expected `apiKey` to be a non-empty string without whitespace, got number'],
    [{ pollIntervl: 5 }, 'Unknown option `pollIntervl`'],
  ])('%j', (options, message) => {
    expect(() => createGenlook({ apiKey: 'gk_x', ...(options as object) })).toThrow(TypeError);
    expect(() => createGenlook({ apiKey: 'gk_x', ...(options as object) })).toThrow(message);
  });

  it('accepts the documented forms', () => {
    expect(() => createGenlook({ apiKey: 'gk_x', pollInterval: 500, requestTimeout: 1, rateLimit: false, retry: false })).not.toThrow();
    expect(() => createGenlook({ apiKey: 'gk_x', rateLimit: { requestsPerMinute: 30 }, retry: 3 })).not.toThrow();
    expect(() => createGenlook({ apiKey: 'gk_x', rateLimit: { take: (grant) => (grant(), () => {}), reportRateLimited() {} } })).not.toThrow();
  });

  it('validates per-stream options when the stream is made', () => {
    const genlook = createGenlook({ apiKey: 'gk_x' });
    expect(() => genlook.generation$('gen_1', { pollInterval: 0 })).toThrow('Expected `pollInterval` to be a positive number, got 0');
    expect(() => genlook.generation$('gen_1', { timeout: -1 })).toThrow('Expected `timeout` to be a positive number, got -1');
  });

  it('rejects waitFor with bad options instead of throwing', async () => {
    const genlook = createGenlook({ apiKey: 'gk_x' });
    await expect(genlook.waitFor('gen_1', { timeout: 0 })).rejects.toThrow(TypeError);
  });

  it('reads GENLOOK_API_KEY and GENLOOK_BASE_URL when not given', async () => {
    const saved = { key: process.env.GENLOOK_API_KEY, url: process.env.GENLOOK_BASE_URL };
    process.env.GENLOOK_API_KEY = 'gk_from_env';
    process.env.GENLOOK_BASE_URL = 'http://127.0.0.1:9/tryon/v1/';
    try {
      const seen: Array<{ url: string; key: string | undefined }> = [];
      const genlook = createGenlook({
        transport: { request: async (request) => (seen.push({ url: request.url, key: request.headers['x-api-key'] }), { status: 404, headers: {}, body: '' }) },
      });
      await genlook.retrieve('gen_1').catch(() => undefined);
      expect(seen).toEqual([{ url: 'http://127.0.0.1:9/tryon/v1/generations/gen_1', key: 'gk_from_env' }]);
    } finally {
      process.env.GENLOOK_API_KEY = saved.key;
      process.env.GENLOOK_BASE_URL = saved.url;
      if (saved.key === undefined) delete process.env.GENLOOK_API_KEY;
      if (saved.url === undefined) delete process.env.GENLOOK_BASE_URL;
    }
  });
});
