import fc from 'fast-check';
import { createServer, type Server, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadResult } from '../src/cli/download.js';
import { createGenlook, generationSchema, GenlookError } from '../src/index.js';
import { completed, pending } from '../src/testing/index.js';

const KEY = 'gk_live_wire/FUZZ_key_7';

/**
 * Raw bytes on the wire: a TCP server that answers each connection with whatever the property draws,
 * malformed HTTP included (the client sees a real socket, as against a broken proxy).
 */
describe('properties: what servers send, on the wire', () => {
  let server: Server;
  let port = 0;
  let next: (socket: Socket) => void = (socket) => socket.destroy();
  beforeAll(async () => {
    server = createServer((socket) => {
      socket.once('data', () => next(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const escapedKeys = [KEY, KEY.replace('/', '\\/'), `\\u0067${KEY.slice(1)}`];
  // Weighted so that about a fifth of the runs are valid answers, and the rest every kind of broken one.
  const generationBody = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(JSON.stringify(pending('gen_1')), JSON.stringify(completed('gen_1')), JSON.stringify(pending('gen_1', { status: '\u001b]52;c;eA==\u0007' }))) },
    fc.constantFrom(...escapedKeys).map((key) => `{"generationId":"gen_1","status":"PENDING","createdAt":"${key}","updatedAt":"x"}`),
    fc.constantFrom(...escapedKeys).map((key) => `{"code":"${key}","message":"${key}","status":500}`),
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 60 }),
  );
  const bytes = fc.tuple(generationBody, fc.constantFrom('plain', 'plain', 'plain', 'bom', 'invalid-utf8', 'gzip', 'truncated')).map(([text, how]) => {
    const body = Buffer.from(text, 'utf8');
    if (how === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
    if (how === 'invalid-utf8') return Buffer.concat([body, Buffer.from([0xff, 0xfe, 0xc3])]);
    if (how === 'gzip') return gzipSync(body);
    if (how === 'truncated') return body.subarray(0, Math.floor(body.length / 2));
    return body;
  });
  const status = fc.oneof({ weight: 6, arbitrary: fc.constant(200) }, fc.constantFrom(202, 204, 301, 400, 401, 404, 429, 500, 503), fc.integer({ min: 100, max: 599 }));
  const header = fc.oneof(
    fc.constantFrom('content-type: application/json', 'content-type: text/html', 'content-encoding: gzip', 'content-encoding: br', 'retry-after: 1', 'retry-after: -5', 'retry-after: 99999999999', 'location: http://evil.example/', 'transfer-encoding: chunked', 'x-echo: ' + KEY),
    fc.tuple(fc.stringMatching(/^[a-z-]{1,12}$/), fc.stringMatching(/^[ -~]{0,20}$/)).map(([name, value]) => `${name}: ${value}`),
  );
  const framing = fc.constantFrom('length', 'length', 'close', 'chunked', 'wrong-length', 'garbage', 'nothing');

  it('every answer is a valid generation or a typed error, within the request timeout, with the key and control characters kept out', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(status, fc.array(header, { maxLength: 4 }), bytes, framing, async (code, headers, body, frame) => {
        next = (socket) => {
          if (frame === 'nothing') return socket.destroy();
          if (frame === 'garbage') return void socket.end(Buffer.concat([Buffer.from('HTTP/1.1 2OO nope\r\n\r\n'), body]));
          const lines = [`HTTP/1.1 ${code} X`, ...headers.filter((line) => !/^(content-length|transfer-encoding)/.test(line)), 'connection: close'];
          if (frame === 'length') lines.push(`content-length: ${body.length}`);
          if (frame === 'wrong-length') lines.push(`content-length: ${body.length + 7}`);
          if (frame === 'chunked') lines.push('transfer-encoding: chunked');
          const payload = frame === 'chunked' ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
          socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]));
        };
        const genlook = createGenlook({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/tryon/v1`, retry: false, requestTimeout: 1_000 });
        const started = Date.now();
        const outcome = await genlook.retrieve('gen_1').then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        await genlook.close();
        expect(Date.now() - started).toBeLessThan(5_000);
        if ('value' in outcome) {
          answered++;
          expect(generationSchema.safeParse(outcome.value).success).toBe(true);
          return;
        }
        expect(outcome.error).toBeInstanceOf(GenlookError);
        const error = outcome.error as GenlookError;
        for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 6 })]) {
          expect(text).not.toContain(KEY);
          expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        }
      }),
      { numRuns: 150 },
    );
    // The generators reach valid answers too, not only errors.
    expect(answered).toBeGreaterThan(0);
  }, 120_000);

  it('a result download saves exactly the image sent (PNG, JPEG, WebP, 2xx, no encoding) or refuses it, within its deadline, inside its folder', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'genlook-rx-wire-'));
    let saves = 0;
    try {
      const type = fc.constantFrom('image/png', 'image/jpeg', 'image/webp', 'image/gif', 'text/html', 'application/octet-stream', 'IMAGE/PNG; charset=x', '');
      const encoding = fc.constantFrom(undefined, 'identity', 'gzip', 'br');
      // Bytes that start as one of the three types (or as none): the download needs them to agree with the content-type.
      const signatures = { 'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]), 'image/webp': Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBP', 'latin1') };
      // Half the bodies start as the type their content-type names (so saves are common, not a 1-in-80
      // draw), the rest as any of the three or none.
      const head = fc.oneof(fc.constant('named' as const), fc.constantFrom(...Object.values(signatures), Buffer.alloc(0)));
      const image = fc.tuple(head, fc.uint8Array({ maxLength: 256 }));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(200, 200, 203, 204, 302, 404, 500), type, encoding, image, framing, fc.stringMatching(/^[a-zA-Z0-9./?%_-]{1,12}$/), async (code, contentType, contentEncoding, [start, rest], frame, id) => {
          const named = signatures[contentType.split(';')[0]!.trim().toLowerCase() as keyof typeof signatures] as Buffer | undefined;
          const body = Buffer.concat([start === 'named' ? (named ?? Buffer.alloc(0)) : start, Buffer.from(rest)]);
          next = (socket) => {
            if (frame === 'nothing') return socket.destroy();
            if (frame === 'garbage') return void socket.end('HTTP/1.1 200\r\n\r\n');
            const lines = [`HTTP/1.1 ${code} X`, `content-type: ${contentType}`, 'connection: close'];
            if (contentEncoding !== undefined) lines.push(`content-encoding: ${contentEncoding}`);
            if (code === 302) lines.push(`location: http://127.0.0.1:${port}/again`);
            if (frame === 'length') lines.push(`content-length: ${body.length}`);
            if (frame === 'wrong-length') lines.push(`content-length: ${body.length + 7}`);
            const payload = frame === 'chunked' ? Buffer.concat([Buffer.from(`transfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : Buffer.concat([Buffer.from('\r\n'), body]);
            socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n`), payload]));
          };
          const started = Date.now();
          const saved = await downloadResult(`http://127.0.0.1:${port}/img`, id, directory, { signal: new AbortController().signal, timeout: 1_000, apiBaseUrl: 'http://127.0.0.1:1/tryon/v1' }).then(
            (path) => path,
            (error: unknown) => (expect(error).toBeInstanceOf(Error), undefined),
          );
          expect(Date.now() - started).toBeLessThan(5_000);
          for (const name of await readdir(directory)) expect(name).not.toMatch(/^\.|\//);
          // Saved exactly when the answer is a whole, non-empty, uncompressed PNG, JPEG or WebP with a
          // 2xx that has a body (a 302 here only ever leads back to itself): a downloader that refuses
          // everything fails here, as one that saves what it should refuse.
          const kind = contentType.split(';')[0]!.trim().toLowerCase();
          const signature = signatures[kind as keyof typeof signatures] as Buffer | undefined;
          const isSaveable =
            (code === 200 || code === 203) &&
            signature !== undefined &&
            body.subarray(0, signature.length).equals(signature) &&
            (contentEncoding === undefined || contentEncoding === 'identity') &&
            (frame === 'length' || frame === 'close' || frame === 'chunked');
          expect(saved !== undefined, `status ${code}, ${contentType}, ${contentEncoding}, ${frame}, ${body.length} bytes`).toBe(isSaveable);
          if (saved === undefined) return;
          saves++;
          expect(saved.startsWith(`${directory}/`)).toBe(true);
          expect(await readFile(saved)).toEqual(body);
        }),
        // A save is about a 1-in-40 draw (120 runs drew none about 1 time in 15): each image type is also
        // tried once as a saveable answer, so `saves` counts at least those whatever the seed.
        {
          numRuns: 120,
          examples: [
            [200, 'image/png', undefined, ['named', Uint8Array.from([1, 2, 3])], 'length', 'a.png'],
            [203, 'image/jpeg', 'identity', ['named', Uint8Array.from([4])], 'chunked', 'b'],
            [200, 'image/webp', undefined, ['named', new Uint8Array(0)], 'close', 'c'],
          ],
        },
      );
      expect(saves).toBeGreaterThanOrEqual(3);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
