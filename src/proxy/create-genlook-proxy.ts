import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateGenerationId } from '../internal.js';
import { refusalOf, sendError, sendFailure } from './proxy-answers.js';
import { type GenlookProxyOptions, resolveProxyOptions } from './proxy-options.js';
import { type ProxyExchange, proxyRoutes } from './proxy-routes.js';

/** A request handler for `node:http`, Express and Nest (`app.use`). */
export type GenlookProxy = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const GENERATION_PATH = /^\/generations\/([^/]+)(\/events)?$/;

/**
 * The backend route a browser app talks to instead of Genlook: it forwards `GET /generations/{id}`,
 * serves `GET /generations/{id}/events` (server-sent events fed by the client's one shared poll of the
 * id, however many browsers watch it) and, with `allowCreate`, `POST /try-on`; it adds the API key
 * server-side through `genlook` and answers everything else 404 or 405 without forwarding it. The id
 * is checked before `authorize` is asked, `authorize` before a body is read. Concurrent reads of one
 * id cost one upstream request, reads are shared fairly between callers and bounded in time (503 with
 * `Retry-After` past `maxWait`). What reaches the browser is the generation with its server text made
 * safe, or an error body as Genlook's (code, message, status, details), never an upstream URL, a stack
 * or the key. A browser that goes away aborts its upstream request. See docs/proxy.md.
 *
 * @example
 * ```ts
 * const genlook = createGenlook({ apiKey: process.env.GENLOOK_API_KEY });
 * app.use('/api/genlook', createGenlookProxy({ genlook, authorize: ({ request }) => isSignedIn(request) }));
 * ```
 */
export function createGenlookProxy(options: GenlookProxyOptions): GenlookProxy {
  const resolved = resolveProxyOptions(options);
  const { basePath, allowCreate } = resolved;
  const routes = proxyRoutes(resolved);

  return (req, res, next) => {
    const path = routePath(req.url ?? '/', basePath);
    if (path === undefined) return next ? next() : sendError(res, 404, 'NOT_FOUND', 'Not found');
    const generation = GENERATION_PATH.exec(path);
    const route = generation ? (generation[2] ? 'events' : 'read') : path === '/try-on' && allowCreate ? 'create' : undefined;
    if (route === undefined) return sendError(res, 404, 'NOT_FOUND', 'Not found');
    const method = route === 'create' ? 'POST' : 'GET';
    if (req.method !== method) return sendError(res, 405, 'METHOD_NOT_ALLOWED', `Only ${method} here`, { headers: { allow: method } });
    let id = '';
    if (generation) {
      try {
        id = decodeURIComponent(generation[1]!);
      } catch {
        return sendError(res, 400, 'VALIDATION_FAILED', 'Invalid generation id');
      }
      // Checked before `authorize` is asked: a hook never sees a NUL, a bidi override or a 5,000-character id.
      const invalid = validateGenerationId(id);
      if (invalid) return sendFailure(res, invalid);
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const exchange: ProxyExchange = { req, res, signal: controller.signal };
    const work = route === 'create' ? routes.create(exchange) : routes[route](exchange, id);
    work.catch((error: unknown) => {
      if (controller.signal.aborted) return;
      if (res.headersSent) return void res.destroy();
      if (refusalOf(error).body.status === 500) return routes.fail(exchange, error, 'internal');
      sendFailure(res, error);
    });
  };
}

/** The path after `basePath` (normalised: `..` and `.` resolved, the query dropped), or `undefined` when the request is not under it. */
function routePath(url: string, basePath: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://proxy.invalid').pathname;
  } catch {
    return undefined;
  }
  if (basePath === '') return pathname;
  if (pathname === basePath) return '/';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}
