import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fileNameOf } from '../src/cli/download.js';
import { renderTable } from '../src/cli/table-renderer.js';
import { completed, failed } from '../src/testing/index.js';
import { lines, runCli } from './helpers/cli.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * An API and an image host nobody controls, on 127.0.0.1:0: `GET /tryon/v1/generations/{id}` answers
 * what `generation(id, origin)` says; `GET /img/{name}` what `image(name, res)` does.
 */
async function hostile(generation: (id: string, origin: string) => object, image: (name: string, res: ServerResponse) => void = () => {}): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const api = /^\/tryon\/v1\/generations\/(.+)$/.exec(url.pathname);
    if (api) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(generation(decodeURIComponent(api[1]!), origin)));
    const img = /^\/img\/(.+)$/.exec(url.pathname);
    if (img) return image(img[1]!, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, server };
}

describe('the CLI against a hostile image host and API', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });
  const directory = async () => {
    const path = await mkdtemp(join(tmpdir(), 'genlook-rx-hostile-'));
    cleanup.push(() => rm(path, { recursive: true, force: true }));
    return path;
  };
  const start = async (...args: Parameters<typeof hostile>) => {
    const host = await hostile(...args);
    cleanup.push(() => new Promise((resolve) => (host.server.closeAllConnections(), host.server.close(resolve))));
    return host;
  };
  const watch = (origin: string, ids: string[], more: string[] = []) =>
    runCli(['watch', ...ids, '--interval', '20', '--json', ...more], { GENLOOK_API_KEY: 'gk_hostile', GENLOOK_BASE_URL: `${origin}/tryon/v1` });
  const downloadError = (stdout: string) => lines(stdout).find((event) => event.event === 'error' && event.code === 'DOWNLOAD_FAILED');

  it('refuses a compressed body without inflating it (a gzip bomb: 64 KiB that would inflate to 64 MiB)', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const { origin } = await start((id, at) => completed(id, { resultImageUrl: `${at}/img/bomb` }), (_name, res) => res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb));
    const run = await watch(origin, ['gen_1'], ['--download', await directory()]);
    expect(run.code).toBe(4);
    expect(downloadError(run.stdout)?.message).toMatch(/compressed/);
  }, 30_000);

  it('stops an endless body at 25 MiB, and a dripping host at --timeout', async () => {
    const endless = await start((id, at) => completed(id, { resultImageUrl: `${at}/img/endless` }), (_name, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG); // a PNG's signature, then no end
      const chunk = Buffer.alloc(1024 * 1024);
      const pump = () => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const big = await watch(endless.origin, ['gen_1'], ['--download', await directory()]);
    expect(downloadError(big.stdout)?.message).toMatch(/larger than 25 MiB/);

    const drip = await start((id, at) => completed(id, { resultImageUrl: `${at}/img/drip` }), (_name, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      const timer = setInterval(() => res.write(PNG.subarray(0, 1)), 200);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const slow = await watch(drip.origin, ['gen_1'], ['--download', await directory(), '--timeout', '1500']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(downloadError(slow.stdout)?.message).toMatch(/did not finish within 1500 ms/);
    expect(slow.code).toBe(4);
  }, 60_000);

  it('refuses an answer that is not an image (by its content-type or by its bytes), and saves PNG, JPEG and WebP under their own extension', async () => {
    const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
    const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBP')]);
    const answers: Record<string, [string, Buffer]> = { html: ['text/html', PNG], png: ['image/png', PNG], jpg: ['image/jpeg; charset=binary', JPEG], webp: ['image/webp', WEBP], text: ['image/png', Buffer.from('<html>not an image</html>')] };
    const { origin } = await start((id, at) => completed(id, { resultImageUrl: `${at}/img/${id}` }), (name, res) => res.writeHead(200, { 'content-type': answers[name]![0] }).end(answers[name]![1]));
    const folder = await directory();
    const run = await watch(origin, ['html', 'png', 'jpg', 'webp', 'text'], ['--download', folder]);
    expect(lines(run.stdout).find((event) => event.generationId === 'html' && event.code === 'DOWNLOAD_FAILED')?.message).toMatch(/not an image/);
    // A text body with an image content-type: the bytes say otherwise (issue 21, defect 4).
    expect(lines(run.stdout).find((event) => event.generationId === 'text' && event.code === 'DOWNLOAD_FAILED')?.message).toMatch(/not a PNG, JPEG or WebP/);
    expect((await readdir(folder)).sort()).toEqual(['jpg.jpg', 'png.png', 'webp.webp']);
  }, 30_000);

  it('gives distinct ids distinct files, and replaces a planted symlink instead of writing through it', async () => {
    const { origin } = await start((id, at) => completed(id, { resultImageUrl: `${at}/img/x` }), (_name, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    const folder = await directory();
    const outside = join(await directory(), 'precious.txt');
    await writeFile(outside, 'keep me');
    await symlink(outside, join(folder, `${fileNameOf('a/b')}.png`));
    const run = await watch(origin, ['a/b', 'a?b', '.hidden', 'ünï'], ['--download', folder]);
    expect(run.code).toBe(0);
    expect((await readdir(folder)).sort()).toEqual(['%2Ehidden.png', '%C3%BCn%C3%AF.png', 'a%2Fb.png', 'a%3Fb.png']);
    expect(await readFile(outside, 'utf8')).toBe('keep me');
    expect((await lstat(join(folder, 'a%2Fb.png'))).isSymbolicLink()).toBe(false);
  }, 30_000);

  it('never writes a control character from the server to the terminal (OSC 52, OSC 0, CSI, C1)', async () => {
    const osc52 = '\u001b]52;c;ZXZpbA==\u0007';
    const osc0 = '\u001b]0;pwned\u0007';
    const { origin } = await start((id, at) =>
      id === 'bad'
        ? failed(id, `CODE${osc0}`, `boom ${osc52}\u009b31m`)
        : id === 'weird'
          ? completed(id, { status: `COMPLETED`, resultImageUrl: `${at}/img/x?${osc52}` })
          : { code: `X${osc0}`, message: osc52 },
    );
    const run = await watch(origin, ['bad', 'weird']);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stderr).not.toMatch(CONTROL);
    // The safe form, escaped where the generation was decoded (issue 21, defect 1), is what the CLI shows.
    expect(lines(run.stdout).find((event) => event.event === 'failed')?.errorCode).toBe('CODE\\u{1b}]0;pwned\\u{7}');

    const table = renderTable([{ generationId: `id${osc0}`, status: `S${osc52}`, startedAt: 0, endedAt: 1, detail: `d\u009b2J`, outcome: 'failed' }], { now: 1, tick: 0, color: true });
    expect(table.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(CONTROL);
  }, 30_000);
});
