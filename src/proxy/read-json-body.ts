import type { IncomingMessage } from 'node:http';

/** Why a request body was refused: the HTTP status, code and message to answer. */
export class BodyRefusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

/**
 * Reads a JSON request body of at most `limit` bytes: a `BodyRefusal` for another content type (415), a
 * body over the limit (413, reading stops at once) or one that is not JSON (400).
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return Promise.reject(new BodyRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Expected content-type: application/json'));
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new BodyRefusal(413, 'PAYLOAD_TOO_LARGE', `The body is over ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (refusal: BodyRefusal) => {
      req.removeAllListeners('data');
      req.resume();
      reject(refusal);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(new BodyRefusal(413, 'PAYLOAD_TOO_LARGE', `The body is over ${limit} bytes`));
      chunks.push(chunk);
    });
    req.on('error', () => reject(new BodyRefusal(400, 'INVALID_BODY', 'The body could not be read')));
    req.on('end', () => {
      if (size > limit) return;
      try {
        resolve(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))));
      } catch {
        reject(new BodyRefusal(400, 'INVALID_JSON', 'The body is not valid JSON'));
      }
    });
  });
}
