import type { IncomingMessage } from 'node:http';
import { readCappedBytes } from '../internal.js';

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
  const tooLarge = () => new BodyRefusal(413, 'PAYLOAD_TOO_LARGE', `The body is over ${limit} bytes`);
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  // Past the limit the request is drained, not destroyed, so that the 413 can still be answered.
  const drain = (request: IncomingMessage) => void request.removeAllListeners('data').resume();
  return readCappedBytes(req, limit, tooLarge, drain).then(
    (bytes) => {
      try {
        return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
      } catch {
        throw new BodyRefusal(400, 'INVALID_JSON', 'The body is not valid JSON');
      }
    },
    (error: unknown) => {
      throw error instanceof BodyRefusal ? error : new BodyRefusal(400, 'INVALID_BODY', 'The body could not be read');
    },
  );
}
