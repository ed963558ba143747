import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadResult } from '../src/cli/download.js';
import { checkTarget, isPublicAddress, type Resolver } from '../src/cli/download-target.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const PUBLIC_API = 'https://api.genlook.app/tryon/v1';
const NOT_PUBLIC = ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '::', '::1', 'fd00::1', 'fc12::5', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '224.0.0.1', '255.255.255.255'];

describe('where --download may fetch from (issue 21, defect 4)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  /** An image host on `host`:0 that records every request and answers with `handler`. */
  async function imageHost(handler: (req: IncomingMessage, res: ServerResponse, port: number) => void, host = '127.0.0.1') {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} host=${req.headers.host}`);
      handler(req, res, (server.address() as AddressInfo).port);
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    cleanup.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))));
    return { port: (server.address() as AddressInfo).port, seen };
  }
  async function folder() {
    const path = await mkdtemp(join(tmpdir(), 'genlook-rx-download-'));
    cleanup.push(() => rm(path, { recursive: true, force: true }));
    return path;
  }
  const download = async (url: string, options: { apiBaseUrl?: string; resolve?: Resolver } = {}) =>
    downloadResult(url, 'gen_1', await folder(), { signal: new AbortController().signal, timeout: 5_000, ...options }).then(
      (path) => ({ path, error: undefined }),
      (error: Error) => ({ path: undefined, error }),
    );

  it('refuses plain http: and loopback targets unless the API itself is on loopback, and sends them nothing', async () => {
    const host = await imageHost((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    for (const url of [`http://127.0.0.1:${host.port}/img`, `http://localhost:${host.port}/img`, `https://127.0.0.1:${host.port}/img`, `https://[::1]:${host.port}/img`]) {
      const { error } = await download(url, { apiBaseUrl: PUBLIC_API });
      expect(error?.message, url).toMatch(/plain http|not a public address/);
    }
    expect(host.seen).toEqual([]);
    // The simulator: API and images on loopback.
    const { path } = await download(`http://127.0.0.1:${host.port}/img`, { apiBaseUrl: `http://127.0.0.1:${host.port}/tryon/v1` });
    expect(await readFile(path!)).toEqual(PNG);
  });

  it.each(NOT_PUBLIC)('refuses a name that resolves to %s (checked on the resolved address, nothing sent)', async (address) => {
    const asked: string[] = [];
    const resolve: Resolver = async (hostname) => (asked.push(hostname), [{ address, family: address.includes(':') ? 6 : 4 }]);
    const { error } = await download('https://images.example/result.png?sig=abc', { apiBaseUrl: PUBLIC_API, resolve });
    expect(error?.message).toMatch(/resolves to .*not a public address/);
    expect(error?.message).not.toContain('sig=abc');
    expect(asked).toEqual(['images.example']);
  });

  it('refuses a name with any non-public address among its answers', async () => {
    const resolve: Resolver = async () => [{ address: '93.184.215.14', family: 4 }, { address: '127.0.0.1', family: 4 }];
    expect((await download('https://images.example/x.png', { apiBaseUrl: PUBLIC_API, resolve })).error?.message).toMatch(/not a public address/);
  });

  it('connects to the address it resolved and checked, once per hop: a second answer (DNS rebinding) is never asked for', async () => {
    const host = await imageHost((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG), '127.0.0.2');
    const answers = ['127.0.0.2', '10.0.0.1'];
    let calls = 0;
    const resolve: Resolver = async () => [{ address: answers[Math.min(calls++, 1)]!, family: 4 }];
    const { path, error } = await download(`http://localhost:${host.port}/img`, { apiBaseUrl: 'http://localhost:1/tryon/v1', resolve });
    expect(error).toBeUndefined();
    expect(await readFile(path!)).toEqual(PNG);
    expect(calls).toBe(1);
    // Reached on 127.0.0.2 (where nothing else listens), under its own name.
    expect(host.seen).toEqual([`GET /img host=localhost:${host.port}`]);
  });

  it('checks every redirect: a 302 to 0.0.0.0, a private or a link-local address is refused before anything is sent there', async () => {
    for (const location of ['http://0.0.0.0:PORT/admin/delete-all', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/admin', 'https://192.168.0.1/', 'file:///etc/passwd']) {
      const host = await imageHost((req, res, port) => (req.url === '/img' ? res.writeHead(302, { location: location.replace('PORT', String(port)) }).end() : res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)));
      const { error } = await download(`http://127.0.0.1:${host.port}/img`, { apiBaseUrl: `http://127.0.0.1:${host.port}/tryon/v1` });
      expect(error, location).toBeInstanceOf(Error);
      expect(host.seen.filter((line) => line.includes('/admin'))).toEqual([]);
    }
  });

  it('never follows https: to http:', async () => {
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    await expect(checkTarget(new URL('http://127.0.0.1:8/x'), new URL('https://127.0.0.1:9/y'), { allowLoopback: true, resolve })).rejects.toThrow(/https: to http:/);
    await expect(checkTarget(new URL('https://127.0.0.1:8/x'), new URL('https://127.0.0.1:9/y'), { allowLoopback: true, resolve })).resolves.toMatchObject({ address: '127.0.0.1' });
  });

  it('tells public addresses from the others', () => {
    for (const address of NOT_PUBLIC) expect(isPublicAddress(address), address).toBe(false);
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '172.32.0.1', '100.128.0.1']) expect(isPublicAddress(address), address).toBe(true);
  });

  it('requires the bytes and the content-type to agree: a text body sent as image/png is not saved as .png', async () => {
    const bodies: Record<string, [string, Buffer]> = {
      html: ['image/png', Buffer.from('<html><script>alert(1)</script></html>')],
      jpegAsPng: ['image/png', JPEG],
      short: ['image/png', PNG.subarray(0, 5)],
      png: ['image/png', PNG],
      jpeg: ['image/jpeg', JPEG],
      webp: ['image/webp', WEBP],
    };
    const host = await imageHost((req, res) => {
      const [type, body] = bodies[req.url!.slice(1)]!;
      res.writeHead(200, { 'content-type': type }).end(body);
    });
    const directory = await folder();
    const api = `http://127.0.0.1:${host.port}/tryon/v1`;
    const outcome: Record<string, string> = {};
    for (const name of Object.keys(bodies)) {
      outcome[name] = await downloadResult(`http://127.0.0.1:${host.port}/${name}`, name, directory, { signal: new AbortController().signal, timeout: 5_000, apiBaseUrl: api }).then(
        () => 'saved',
        (error: Error) => error.message,
      );
    }
    expect(outcome).toMatchObject({ png: 'saved', jpeg: 'saved', webp: 'saved' });
    expect(outcome.html).toMatch(/not a PNG, JPEG or WebP/);
    expect(outcome.jpegAsPng).toMatch(/image\/jpeg, not image\/png/);
    expect(outcome.short).toMatch(/not a PNG, JPEG or WebP/);
    expect((await readdir(directory)).sort()).toEqual(['jpeg.jpg', 'png.png', 'webp.webp']);
  });
});
