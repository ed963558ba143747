import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCapped } from '../http/read-capped.js';
import type { SimulatorStats } from './counters.js';

/** Writes JSON (or a raw string) with a content-length, counting the status. */
export function sendJson(stats: SimulatorStats, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes an API error body `{ code, message, status, ... }` as the real API does. */
export function sendApiError(
  stats: SimulatorStats,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): void {
  sendJson(stats, res, status, { code, message, status, ...extra }, headers);
}

/** Reads a request body up to `limit` bytes. */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return readCapped(req, limit, () => new Error('Body too large'));
}
