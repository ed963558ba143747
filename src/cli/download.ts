import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { isLoopbackHost } from '../client/base-url.js';
import { discard } from '../http/read-capped.js';
import { checkTarget, type ResolvedAddress, type Resolver, systemResolver, type TargetPolicy } from './download-target.js';

const MAX_IMAGE_SIZE = 25 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** Settings of one download. */
export interface DownloadOptions {
  /** Ends the download (Ctrl-C). */
  signal: AbortSignal;
  /** The whole download must end within this many ms (the CLI passes `--timeout`). */
  timeout: number;
  /**
   * The client's `baseUrl`. When its host is loopback (the simulator), result images may be on loopback
   * too, over http:; otherwise only https: to public addresses.
   */
  apiBaseUrl?: string | undefined;
  /** Resolves host names (tests inject one). @default node:dns lookup */
  resolve?: Resolver;
}

/**
 * Saves a result image as `DIR/<id>.<png|jpg|webp>`, and returns the path. A plain GET with no header of
 * ours (the API key is never sent to the image host), up to 3 redirects. Every hop is checked
 * (`checkTarget`): https: only (http: on loopback when the API is on loopback), never https -> http, and
 * the host resolved once to a public address, which is the one connected to (no DNS rebinding).
 * Refused: a non-2xx answer, an empty body, a content-type other than PNG, JPEG or WebP or bytes that do
 * not start as that type, a compressed encoding (no decompression, so no bomb), a body past 25 MiB
 * (counted as it streams, so an endless body stops there), and anything not done within `timeout` (a
 * host that drips a byte a second). The file name encodes the id injectively (`a/b` and `a?b` differ);
 * the bytes go to a fresh temporary file, renamed over the target, so a symlink planted at the target is
 * replaced, never written through.
 */
export async function downloadResult(url: string, generationId: string, directory: string, options: DownloadOptions): Promise<string> {
  const timeout = AbortSignal.timeout(options.timeout);
  const policy: TargetPolicy = { allowLoopback: isLoopbackApi(options.apiBaseUrl), resolve: options.resolve ?? systemResolver };
  try {
    return await fetchInto(new URL(url), generationId, directory, AbortSignal.any([options.signal, timeout]), policy);
  } catch (error) {
    if (timeout.aborted && !options.signal.aborted) throw new Error(`Downloading the result did not finish within ${options.timeout} ms`);
    throw error;
  }
}

function isLoopbackApi(baseUrl: string | undefined): boolean {
  if (baseUrl === undefined) return false;
  try {
    return isLoopbackHost(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

async function fetchInto(url: URL, generationId: string, directory: string, deadline: AbortSignal, policy: TargetPolicy): Promise<string> {
  let target = url;
  let previous: URL | undefined;
  for (let redirects = 0; ; redirects++) {
    const dispatcher = pinnedAgent(await checkTarget(target, previous, policy));
    try {
      const response = await request(target, { method: 'GET', signal: deadline, headers: { 'accept-encoding': 'identity' }, dispatcher });
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
        discard(response.body);
        if (redirects === MAX_REDIRECTS) throw new Error(`Downloading the result: more than ${MAX_REDIRECTS} redirects`);
        previous = target;
        target = new URL(location, target);
        continue;
      }
      try {
        return await save(response, generationId, directory);
      } finally {
        discard(response.body);
      }
    } finally {
      void dispatcher.destroy().catch(() => undefined);
    }
  }
}

/**
 * A one-hop agent whose every connection goes to `resolved`, the address `checkTarget` approved: the host
 * name still names the request (Host, TLS server name and certificate check) but is not resolved again.
 */
function pinnedAgent(resolved: ResolvedAddress): Agent {
  const pinned = (_hostname: string, options: { all?: boolean }, callback: (error: Error | null, address: string | ResolvedAddress[], family?: number) => void) =>
    options.all ? callback(null, [resolved]) : callback(null, resolved.address, resolved.family);
  return new Agent({ connect: { lookup: pinned as never } });
}

async function save(response: Awaited<ReturnType<typeof request>>, generationId: string, directory: string): Promise<string> {
  if (response.statusCode < 200 || response.statusCode > 299) throw new Error(`Downloading the result failed with status ${response.statusCode}`);
  const type = String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = EXTENSIONS[type];
  if (extension === undefined) throw new Error(`The result is not an image (content-type ${JSON.stringify(type.slice(0, 60))})`);
  const encoding = String(response.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw new Error(`The result was sent compressed (${JSON.stringify(encoding.slice(0, 30))}): refused`);
  if (Number(response.headers['content-length']) > MAX_IMAGE_SIZE) throw new Error('The result image is larger than 25 MiB');
  await mkdir(directory, { recursive: true });
  const path = join(directory, `${fileNameOf(generationId)}.${extension}`);
  const temporary = join(directory, `.${randomBytes(8).toString('hex')}.part`);
  const file = await open(temporary, 'wx', 0o644);
  try {
    let size = 0;
    // The first bytes are held until they show the type (WebP needs 12), then written with the rest.
    let head: Buffer | undefined = Buffer.alloc(0);
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_IMAGE_SIZE) throw new Error('The result image is larger than 25 MiB');
      if (head === undefined) {
        await file.write(chunk as Buffer);
        continue;
      }
      head = Buffer.concat([head, chunk as Buffer]);
      if (head.length < SNIFF_LENGTH) continue;
      expectBytesOf(type, head);
      await file.write(head);
      head = undefined;
    }
    if (size === 0) throw new Error('The result image is empty');
    if (head !== undefined) {
      expectBytesOf(type, head);
      await file.write(head);
    }
    await file.close();
    await rename(temporary, path);
    return path;
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Bytes needed to tell the three types apart (`RIFF....WEBP`). */
const SNIFF_LENGTH = 12;

/** The type the first bytes show: PNG's 8-byte signature, JPEG's SOI marker, WebP's RIFF header. */
function sniff(head: Buffer): string | undefined {
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** Both must say the same image type: the content-type alone would save a text page as `.png`. */
function expectBytesOf(type: string, head: Buffer): void {
  const sniffed = sniff(head);
  if (sniffed !== type) throw new Error(`The result's bytes are ${sniffed === undefined ? 'not a PNG, JPEG or WebP image' : `${sniffed}, not ${type}`}: refused`);
}

/**
 * An id as a file name, one to one: letters, digits, `_` and `-` as they are, every other byte of its
 * UTF-8 as `%XX` (so no `/`, no leading dot, no two ids alike); a very long one is cut and keeps a
 * hash of the whole id, within the usual 255-byte limit.
 */
export function fileNameOf(id: string): string {
  const encoded = Array.from(Buffer.from(id, 'utf8'), (byte) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  if (encoded.length <= 200) return encoded;
  return `${encoded.slice(0, 180)}~${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}
