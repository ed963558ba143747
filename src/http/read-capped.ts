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
export function readCapped(stream: ByteStream, limit: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.destroy();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
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
