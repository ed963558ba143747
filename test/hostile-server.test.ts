import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { lastValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createGenlook, type Genlook, GenlookApiError, GenlookResponseError } from '../src/index.js';
import { completed, pending } from '../src/testing/index.js';
import { tryOnRequest } from './helpers/simulator.js';

const KEY = 'gk_live_ab/cd_HOSTILE_42';

/** A real server on 127.0.0.1:0 answering every request with `answer`; closed after each test. */
function useServer() {
  const open: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
  });
  return async (answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Genlook> => {
    const server = createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const genlook = createGenlook({ apiKey: KEY, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tryon/v1`, retry: false });
    open.push(genlook, { close: () => new Promise((resolve) => server.close(resolve)) });
    return genlook;
  };
}

/** Every way an error is shown: none may hold the key or a raw control character. */
function shown(error: unknown): string[] {
  return [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 8 }), inspect(error, { depth: 8, showHidden: true })];
}

describe('what hostile or quirky servers send', () => {
  const serve = useServer();

  it('a key echoed JSON-escaped (`\\/`, `\\u0067`) is caught after decoding: never in message, String, JSON or inspect', async () => {
    const escapedSlash = KEY.replace('/', '\\/');
    const escapedG = `\\u0067${KEY.slice(1)}`;
    for (const [status, body] of [
      [401, `{"code":"INVALID_API_KEY","message":"key ${escapedSlash} is not valid","status":401}`],
      [503, `{"code":"${escapedG}","message":"${escapedG}","status":503,"details":[{"path":"${escapedSlash}","message":"x"}]}`],
      [200, `{"generationId":"${escapedSlash}","status":7}`],
      [200, `not json ${escapedSlash} ${escapedG}`],
    ] as const) {
      const genlook = await serve((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
      const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      for (const text of shown(error)) expect(text).not.toContain(KEY);
    }
  });

  it('control characters in server text (ANSI, OSC 52 clipboard writes, forged log lines) are escaped in errors', async () => {
    const osc52 = '\u001b]52;c;ZXZpbA==\u0007';
    const genlook = await serve((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ code: `BAD\u001b[31m`, message: `oops ${osc52}\nFAKE LOG LINE`, status: 503 })));
    const error = (await genlook.retrieve('gen_1').catch((caught: unknown) => caught)) as GenlookApiError;
    expect(error).toBeInstanceOf(GenlookApiError);
    for (const text of [error.message, error.code, error.serverMessage ?? '']) expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(error.serverMessage).toContain('\\u{1b}]52;c;ZXZpbA==');
  });

  it('a body with a UTF-8 byte order mark decodes, chunked or with a content-length', async () => {
    const body = `\ufeff${JSON.stringify(pending('gen_1'))}`;
    for (const chunked of [true, false]) {
      const genlook = await serve((_req, res) => {
        if (chunked) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write(body.slice(0, 5));
          res.end(body.slice(5));
        } else res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      });
      await expect(genlook.retrieve('gen_1')).resolves.toEqual(pending('gen_1'));
    }
  });

  it('a COMPLETED generation whose resultImageUrl is not http(s) is an invalid response, not a result', async () => {
    for (const resultImageUrl of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'file:///etc/passwd', '/relative.png']) {
      const genlook = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completed('gen_1', { resultImageUrl }))));
      const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GenlookResponseError);
      expect(error).toMatchObject({ code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ path: 'resultImageUrl' })] });
    }
  });

  it('a creation answered with an id holding a lone surrogate is an invalid answer (the id is checked where it is decoded), and wedges nothing', async () => {
    const genlook = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ generationId: 'gen_\ud800', status: 'PENDING' })));
    await expect(lastValueFrom(genlook.tryOn$(tryOnRequest()))).rejects.toMatchObject({ name: 'GenlookResponseError', code: 'INVALID_RESPONSE', issues: [expect.objectContaining({ path: 'generationId' })] });
  });
});

describe('ids with lone surrogates', () => {
  const serve = useServer();

  it('are INVALID_ID for every subscriber and every call, with no request sent', async () => {
    let requests = 0;
    const genlook = createGenlook({ apiKey: KEY, transport: { request: async () => (requests++, { status: 200, headers: {}, body: '' }) } });
    for (const id of ['gen_\ud800', '\udfff', 'a\ud83d']) {
      await expect(lastValueFrom(genlook.generation$(id))).rejects.toMatchObject({ code: 'INVALID_ID' });
      await expect(lastValueFrom(genlook.generation$(id))).rejects.toMatchObject({ code: 'INVALID_ID' });
      await expect(genlook.retrieve(id)).rejects.toMatchObject({ code: 'INVALID_ID' });
      await expect(genlook.waitFor(id)).rejects.toMatchObject({ code: 'INVALID_ID' });
    }
    expect(requests).toBe(0);
  });

  it('a surrogate pair is text: it is sent, its UTF-8 percent-encoded as one path segment', async () => {
    const paths: Array<string | undefined> = [];
    const genlook = await serve((req, res) => {
      paths.push(req.url);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pending('gen_\ud83d\ude00')));
    });
    await expect(genlook.retrieve('gen_\ud83d\ude00')).resolves.toEqual(pending('gen_\ud83d\ude00'));
    expect(paths).toEqual(['/tryon/v1/generations/gen_%F0%9F%98%80']);
  });
});

describe('where the key may go: loopback by name', () => {
  it('plain http: only to localhost, 127.0.0.0/8 and [::1], never to a name under .localhost that DNS would resolve', () => {
    for (const baseUrl of ['http://evil.localhost/tryon/v1', 'http://localhost.evil.example/x', 'http://127.0.0.1.nip.io/x']) {
      expect(() => createGenlook({ apiKey: KEY, baseUrl })).toThrow(/https:/);
    }
    for (const baseUrl of ['http://localhost:1/x', 'http://127.0.0.1:1/x', 'http://127.255.0.9/x', 'http://[::1]:1/x']) expect(() => createGenlook({ apiKey: KEY, baseUrl })).not.toThrow();
  });
});
