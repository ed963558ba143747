/** What `readCapped` reads: a Node stream of Buffers (an `IncomingMessage`, an undici body). */
interface ByteStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  once(event: 'end', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  destroy(): unknown;
}

/**
 * Reads a stream as UTF-8 text, up to `limit` bytes: past it, the stream is destroyed and the promise
 * rejects with `tooLarge()`. Used by the transport (response bodies) and the simulator (request bodies).
 */
export async function readCapped(stream: ByteStream, limit: number, tooLarge: () => Error): Promise<string> {
  return (await readCappedBytes(stream, limit, tooLarge)).toString('utf8');
}

/**
 * Reads a stream's bytes, up to `limit`: past it, `stop(stream)` (by default, destroy it; a server that
 * still answers the request drains it instead) and the promise rejects with `tooLarge()`.
 */
export function readCappedBytes<S extends ByteStream>(stream: S, limit: number, tooLarge: () => unknown, stop: (stream: S) => void = (it) => it.destroy()): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) {
        stop(stream);
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, size)));
    stream.once('error', reject);
  });
}

/**
 * Drops a response body that will not be read. undici's body emits `RequestAbortedError` when destroyed
 * unread; with no listener, that error would take the process down.
 */
export function discard(stream: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  stream.on('error', () => {});
  stream.destroy();
}
