import type { IncomingMessage, ServerResponse } from 'node:http';
import { listGenerations, readGeneration } from './generation-routes.js';
import { sendApiError } from './http-answers.js';
import { renderPng } from './png.js';
import { RateWindow } from './rate-window.js';
import type { SimulatorContext } from './simulator-context.js';
import { createTryOn } from './try-on-routes.js';

/** An API route: its method, and what it does for an authenticated, counted request. */
type Route = (context: SimulatorContext, req: IncomingMessage, res: ServerResponse, apiKey: string, match: RegExpExecArray) => void | Promise<void>;

const ROUTES: Array<{ method: string; path: RegExp; run: Route }> = [
  { method: 'GET', path: /^\/tryon\/v1\/generations\/([^/]+)$/, run: (context, _req, res, apiKey, match) => readGeneration(context, res, apiKey, decodeURIComponent(match[1]!)) },
  { method: 'GET', path: /^\/tryon\/v1\/generations$/, run: (context, req, res, apiKey) => listGenerations(context, req, res, apiKey) },
  { method: 'POST', path: /^\/tryon\/v1\/try-on$/, run: (context, req, res, apiKey) => createTryOn(context, req, res, apiKey, 'create') },
  { method: 'POST', path: /^\/tryon\/v1\/try-on\/sync$/, run: (context, req, res, apiKey) => createTryOn(context, req, res, apiKey, 'sync') },
];

/**
 * The simulator's request handler: CORS when asked, result images, then for the API the key (401/403
 * as the real API), the per-key rate limit (429 `RATE_LIMITED`, with `Retry-After` unless turned off),
 * and the routes. No request can bring the host process down: a malformed path (`%ff`) is a 400, and
 * anything a route throws is a 500.
 */
export function createRequestHandler(context: SimulatorContext): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, stats } = context;
  const keys = new Set([config.apiKey, ...config.otherApiKeys]);
  const rateWindow = config.rateLimit ? new RateWindow(config.rateLimit.requestsPerMinute, config.rateLimit.windowMs) : undefined;

  const route = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    if (config.cors) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', 'x-api-key, content-type, accept');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const result = /^\/results\/([^/]+)\.png$/.exec(path);
    if (req.method === 'GET' && result) return sendResult(context, req, res, decodeURIComponent(result[1]!));
    const matches = ROUTES.filter((candidate) => candidate.path.test(path));
    if (matches.length === 0) {
      if (stats.unknownPaths.length < 100) stats.unknownPaths.push(`${req.method} ${path}`);
      return sendApiError(stats, res, 404, 'NOT_FOUND', `No route for ${req.method} ${path}`);
    }
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') return sendApiError(stats, res, 401, 'MISSING_API_KEY', 'Missing x-api-key header');
    if (!keys.has(key)) return sendApiError(stats, res, 401, 'INVALID_API_KEY', 'Invalid API key');
    const verdict = rateWindow?.take(key, Date.now());
    if (verdict && !verdict.allowed) {
      const headers: Record<string, string> = config.rateLimit && config.rateLimit.retryAfter ? { 'retry-after': String(Math.max(1, Math.ceil(verdict.waitMs / 1000))) } : {};
      return sendApiError(stats, res, 429, 'RATE_LIMITED', `Rate limit exceeded: ${config.rateLimit && config.rateLimit.requestsPerMinute} requests per window`, {}, headers);
    }
    stats.countedRequests++;
    const matched = matches.find((candidate) => candidate.method === req.method);
    if (matched === undefined) return sendApiError(stats, res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`);
    return matched.run(context, req, res, key, matched.path.exec(path)!);
  };

  const fail = (res: ServerResponse, error: unknown) => {
    if (res.headersSent) return void res.destroy();
    const malformed = error instanceof URIError;
    sendApiError(stats, res, malformed ? 400 : 500, malformed ? 'VALIDATION_FAILED' : 'INTERNAL', malformed ? 'Malformed percent-encoding in the path' : 'Simulator error');
  };

  return (req, res) => {
    if (Date.now() < context.outageUntil) {
      stats.outageDropped++;
      return void req.socket.destroy();
    }
    stats.requests++;
    res.on('close', () => {
      if (!res.writableFinished) stats.aborted++;
    });
    try {
      const pending = route(req, res);
      if (pending) pending.catch((error: unknown) => fail(res, error));
    } catch (error) {
      fail(res, error);
    }
  };
}

/** `GET /results/{id}.png`: a small real PNG; no key needed (downloads that carried one are counted). */
function sendResult(context: SimulatorContext, req: IncomingMessage, res: ServerResponse, id: string): void {
  const { stats, generations } = context;
  stats.resultDownloads++;
  if (req.headers['x-api-key'] !== undefined) stats.resultDownloadsWithKey++;
  const generation = generations.get(id);
  if (generation === undefined) return sendApiError(stats, res, 404, 'NOT_FOUND', 'No such result');
  const png = renderPng(generation.createdAt % 251);
  stats.byStatus[200] = (stats.byStatus[200] ?? 0) + 1;
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
}

