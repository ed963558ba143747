import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_IMAGE_SIZE = 25 * 1024 * 1024;

/**
 * Saves a result image as `DIR/<id>.<ext>`. A plain GET with no headers of ours: the API key is never
 * sent to the image host. Refuses non-http(s) URLs, non-2xx answers and bodies over 25 MiB.
 */
export async function downloadResult(url: string, generationId: string, directory: string, signal?: AbortSignal): Promise<string> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error(`Refusing to download from ${target.protocol} URL`);
  const response = await fetch(target, { redirect: 'follow', signal });
  if (!response.ok) throw new Error(`Downloading the result failed with status ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (Number(response.headers.get('content-length')) > MAX_IMAGE_SIZE) throw new Error('Result image is larger than 25 MiB');
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_IMAGE_SIZE) throw new Error('Result image is larger than 25 MiB');
  const extension = type.includes('jpeg') ? 'jpg' : type.includes('webp') ? 'webp' : 'png';
  await mkdir(directory, { recursive: true });
  const safeName = generationId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const path = join(directory, `${safeName}.${extension}`);
  await writeFile(path, body);
  return path;
}
