import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createGenlook, GenlookApiError, GenlookNetworkError, GenlookValidationError, type Transport, type TransportRequest, type TransportResponse } from '../src/index.js';
import { tryOnRequest, until, useSimulator } from './helpers/simulator.js';

const created = { status: 200, headers: {}, body: JSON.stringify({ generationId: 'gen_new', status: 'PENDING', productExternalId: 'sku-1' }) };

/** A transport whose POST answers come from `answers` in order; counts the POSTs. */
function scripted(answers: Array<TransportResponse | Error>) {
  const posts: TransportRequest[] = [];
  const transport: Transport = {
    request: async (request) => {
      posts.push(request);
      const answer = answers[Math.min(posts.length, answers.length) - 1]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { posts, genlook: createGenlook({ apiKey: 'gk_x', transport, retry: { count: 3, delay: 1, jitter: false } }) };
}

describe('createTryOn: creation costs a credit and has no idempotency key', () => {
  it('validates the request before sending: a typed error with the failing paths, and nothing sent', async () => {
    const { posts, genlook } = scripted([created]);
    const error = await genlook.createTryOn({ products: [], person: { image: { source: { url: 'not a url' } } } } as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookValidationError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((error as GenlookValidationError).details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['products', 'person.image.source.url']));
    expect(posts).toHaveLength(0);
  });

  it('sends the body as JSON and answers the created generation', async () => {
    const { posts, genlook } = scripted([created]);
    await expect(genlook.createTryOn(tryOnRequest())).resolves.toMatchObject({ generationId: 'gen_new', status: 'PENDING' });
    expect(posts[0]).toMatchObject({ method: 'POST', url: 'https://api.genlook.app/tryon/v1/try-on', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(posts[0]!.body!)).toEqual(tryOnRequest());
  });

  it('answers the created generation in its safe form: the key redacted and controls escaped in status and productExternalId', async () => {
    const hostile = { status: 200, headers: {}, body: JSON.stringify({ generationId: 'gen_new', status: 'PENDING\u202e', productExternalId: 'sku-gk_x\n' }) };
    const { genlook } = scripted([hostile]);
    await expect(genlook.createTryOn(tryOnRequest())).resolves.toEqual({ generationId: 'gen_new', status: 'PENDING\\u{202e}', productExternalId: 'sku-[redacted]\\u{a}' });
  });

  it.each([
    ['a 503', { status: 503, headers: {}, body: '{"code":"SERVICE_UNAVAILABLE","message":"x","status":503}' }, GenlookApiError, { status: 503, code: 'SERVICE_UNAVAILABLE' }],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), GenlookNetworkError, { code: 'NETWORK_ERROR', isNotSent: false }],
    ['a 500', { status: 500, headers: {}, body: '' }, GenlookApiError, { status: 500, code: 'SERVER_ERROR' }],
  ])('is never retried after an ambiguous failure: %s, surfaced as its typed error', async (_name, failure, type, fields) => {
    const { posts, genlook } = scripted([failure, created]);
    const error = await genlook.createTryOn(tryOnRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject(fields);
    expect(posts).toHaveLength(1);
  });

  it('is retried after a 429 (the request provably was not processed)', async () => {
    const { posts, genlook } = scripted([{ status: 429, headers: { 'retry-after': '0' }, body: '{"code":"RATE_LIMITED","message":"x","status":429}' }, created]);
    await expect(genlook.createTryOn(tryOnRequest())).resolves.toMatchObject({ generationId: 'gen_new' });
    expect(posts).toHaveLength(2);
  });

  it('is retried after a refused connection (nothing was sent)', async () => {
    const { posts, genlook } = scripted([Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), created]);
    await expect(genlook.createTryOn(tryOnRequest())).resolves.toMatchObject({ generationId: 'gen_new' });
    expect(posts).toHaveLength(2);
  });

  it('times out a hung creation without retrying it', async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const genlook = createGenlook({ apiKey: 'gk_x', baseUrl: `http://127.0.0.1:${port}/tryon/v1`, requestTimeout: 200 });
    let connections = 0;
    server.on('connection', () => connections++);
    await expect(genlook.createTryOn(tryOnRequest())).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
    expect(connections).toBe(1);
    await genlook.close();
    server.close();
  });
});

describe('tryOn$ against a server that holds the creation', () => {
  it('unsubscribing during creation aborts the POST: the server sees it arrive, then sees it aborted, and nothing follows', async () => {
    const seen: string[] = [];
    let aborted = 0;
    // Reads each POST's body whole (so it surely arrived), then never answers it.
    const server = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.on('close', () => {
        if (!res.writableFinished) aborted++;
      });
      req.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const genlook = createGenlook({ apiKey: 'gk_test_x', baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/tryon/v1`, rateLimit: false });
    try {
      const subscription = genlook.tryOn$(tryOnRequest()).subscribe({ error: () => undefined });
      await until(() => seen.length === 1, 'the server received the POST');
      expect(seen[0]).toMatch(/^POST \/tryon\/v1\/try-on(\/sync)?$/);
      expect(aborted).toBe(0);
      subscription.unsubscribe();
      await until(() => aborted === 1, 'the server saw the POST aborted');
      expect(seen).toHaveLength(1);
    } finally {
      await genlook.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('createTryOn and tryOn$ against the simulator', () => {
  const sim = useSimulator();

  it('answers 400 VALIDATION_FAILED from the server with its details as GenlookApiError', async () => {
    const simulator = await sim.start();
    // The client's own schema would refuse this; a transport-level POST shows what the server says.
    const response = await fetch(`${simulator.baseUrl}/try-on`, { method: 'POST', headers: { 'x-api-key': simulator.apiKey, 'content-type': 'application/json' }, body: '{"products":[]}' });
    const body = (await response.json()) as { code: string; details: Array<{ path: string }> };
    expect(response.status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['products', 'person']));
  });

  it('follows the convention: an unreachable product image fails with PRODUCT_IMAGE_FETCH_FAILED', async () => {
    const simulator = await sim.start();
    const request = { products: [{ images: [{ source: { url: 'https://unreachable.invalid/shirt.png' } }] }], person: { image: { source: { id: 'photo_1' } } } };
    const error = await lastValueFrom(sim.client(simulator).tryOn$(request).pipe(toArray())).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'GENERATION_FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED' });
  });


  it('a 402 is a GenlookApiError with the server code', async () => {
    const simulator = await sim.start({ credits: 1 });
    const genlook = sim.client(simulator);
    await genlook.createTryOn(tryOnRequest());
    const error = await genlook.createTryOn(tryOnRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenlookApiError);
    expect(error).toMatchObject({ status: 402, code: 'INSUFFICIENT_CREDITS' });
  });
});
