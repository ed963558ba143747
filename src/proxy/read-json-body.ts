import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCappedBytes } from '../internal.js';
import { sendError } from './proxy-answers.js';

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
 * body over the limit (413: a declared length is refused unread, a chunked one as soon as it passes the
 * limit, and no further byte is read) or one that is not JSON (400).
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return Promise.reject(new BodyRefusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'Expected content-type: application/json'));
  const tooLarge = () => new BodyRefusal(413, 'PAYLOAD_TOO_LARGE', `The body is over ${limit} bytes`);
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  // Past the limit nothing more is read (pause, not drain: a sender of 4 GB is not read to its end);
  // `answerUnread` then closes the connection after the 413.
  return readCappedBytes(req, limit, tooLarge, (request) => void request.pause()).then(
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

/**
 * Answers a request whose body was not read to its end (refused before reading it, or past the cap)
 * with `Connection: close`: Node then closes the socket once the answer is sent, instead of reading the
 * rest of the body (of any size, until `requestTimeout`) to keep the connection alive.
 */
export function answerUnread(res: ServerResponse, status: number, code: string, message: string): void {
  sendError(res, status, code, message, { headers: { connection: 'close' } });
}
