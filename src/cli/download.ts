import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { discard } from '../http/read-capped.js';

const MAX_IMAGE_SIZE = 25 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** Settings of one download. */
export interface DownloadOptions {
  /** Ends the download (Ctrl-C). */
  signal: AbortSignal;
  /** The whole download must end within this many ms (the CLI passes `--timeout`). */
  timeout: number;
}

/**
 * Saves a result image as `DIR/<id>.<png|jpg|webp>`, and returns the path. A plain GET with no header of
 * ours (the API key is never sent to the image host), up to 3 redirects, each to http(s). Refused: a
 * non-2xx answer, an empty body, a type other than PNG, JPEG or WebP, a compressed encoding (no decompression, so no
 * bomb), a body past 25 MiB (counted as it streams, so an endless body stops there), and anything not
 * done within `timeout` (a host that drips a byte a second). The file name encodes the id injectively
 * (`a/b` and `a?b` differ); the bytes go to a fresh temporary file, renamed over the target, so a
 * symlink planted at the target is replaced, never written through.
 */
export async function downloadResult(url: string, generationId: string, directory: string, options: DownloadOptions): Promise<string> {
  const timeout = AbortSignal.timeout(options.timeout);
  try {
    return await fetchInto(new URL(url), generationId, directory, AbortSignal.any([options.signal, timeout]));
  } catch (error) {
    if (timeout.aborted && !options.signal.aborted) throw new Error(`Downloading the result did not finish within ${options.timeout} ms`);
    throw error;
  }
}

async function fetchInto(url: URL, generationId: string, directory: string, deadline: AbortSignal): Promise<string> {
  let target = url;
  for (let redirects = 0; ; redirects++) {
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error(`Refusing to download from a ${target.protocol} URL`);
    const response = await request(target, { method: 'GET', signal: deadline, headers: { 'accept-encoding': 'identity' } });
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
      discard(response.body);
      if (redirects === MAX_REDIRECTS) throw new Error(`Downloading the result: more than ${MAX_REDIRECTS} redirects`);
      target = new URL(location, target);
      continue;
    }
    try {
      return await save(response, generationId, directory);
    } finally {
      discard(response.body);
    }
  }
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
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_IMAGE_SIZE) throw new Error('The result image is larger than 25 MiB');
      await file.write(chunk as Buffer);
    }
    if (size === 0) throw new Error('The result image is empty');
    await file.close();
    await rename(temporary, path);
    return path;
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
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
