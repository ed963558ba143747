import type { IncomingMessage, ServerResponse } from 'node:http';
import { callable, describe, type Generation, type Genlook, nonEmptyString, positiveInteger, type TryOnCreated, type TryOnRequest } from '../internal.js';
import { sendError, sendFailure, sendJson } from './proxy-answers.js';
import { BodyRefusal, readJsonBody } from './read-json-body.js';

/** What a browser asks of the proxy, for `authorize` to allow or refuse. */
export type ProxyAccess = { action: 'read'; generationId: string; request: IncomingMessage } | { action: 'create'; tryOn: TryOnRequest; request: IncomingMessage };

/** Settings of `createGenlookProxy`. */
export interface GenlookProxyOptions {
  /** The server-side client: its key, its budget (every browser's read passes it) and its retry policy. */
  genlook: Genlook;
  /**
   * Which user may see which generation (and, with `allowCreate`, create): `true` lets the request
   * through, `false` answers 403 `FORBIDDEN`. Required: without it anyone who reaches the route reads
   * every generation of the account whose id they know. `() => true` says so knowingly (a demo).
   */
  authorize: (access: ProxyAccess) => boolean | Promise<boolean>;
  /** Also forward `POST /try-on` (the body checked against the try-on schema first; each one costs a credit). @default false */
  allowCreate?: boolean;
  /** Called after a try-on was created, e.g. to record which user owns the new id for `authorize`. */
  onCreated?: (created: TryOnCreated, request: IncomingMessage) => void | Promise<void>;
  /**
   * The path the proxy is served under, stripped before routing, for a plain `node:http` server
   * (`'/api/genlook'`). Express and Nest strip the mount path of `app.use('/api/genlook', proxy)`
   * themselves: leave it empty there. @default ''
   */
  basePath?: string;
  /** The largest `POST /try-on` body accepted, in bytes. @default 65536 */
  maxBodyBytes?: number;
}

/** A request handler for `node:http`, Express and Nest (`app.use`). */
export type GenlookProxy = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const GENERATION_PATH = /^\/generations\/([^/]+)$/;

/**
 * The backend route a browser app talks to instead of Genlook: it forwards `GET /generations/{id}`
 * (and, with `allowCreate`, `POST /try-on`), adds the API key server-side through `genlook`, asks
 * `authorize` first, and answers everything else 404 or 405 without forwarding it. What reaches the
 * browser is the validated generation, or an error body as Genlook's (code, message, status, details),
 * never an upstream URL, a stack or the key. A browser that goes away aborts its upstream request.
 *
 * @example
 * ```ts
 * const genlook = createGenlook({ apiKey: process.env.GENLOOK_API_KEY });
 * app.use('/api/genlook', createGenlookProxy({ genlook, authorize: ({ request }) => isSignedIn(request) }));
 * ```
 */
export function createGenlookProxy(options: GenlookProxyOptions): GenlookProxy {
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected proxy options to be an object, got ${describe(options)}`);
  const { genlook, allowCreate = false } = options;
  if (typeof genlook?.retrieve !== 'function' || typeof genlook.createTryOn !== 'function') throw new TypeError(`Expected \`genlook\` to be a client made by createGenlook, got ${describe(genlook)}`);
  const authorize = callable<GenlookProxyOptions['authorize']>('authorize', options.authorize);
  const onCreated = options.onCreated === undefined ? undefined : callable<NonNullable<GenlookProxyOptions['onCreated']>>('onCreated', options.onCreated);
  const basePath = options.basePath === undefined || options.basePath === '' ? '' : nonEmptyString('basePath', options.basePath).replace(/\/+$/, '');
  const maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes ?? 65_536);

  const read = async (id: string, req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => {
    if (!(await authorize({ action: 'read', generationId: id, request: req }))) return sendError(res, 403, 'FORBIDDEN', 'You may not see this generation');
    const generation: Generation = await genlook.retrieve(id, { signal });
    const { generationId, status, resultImageUrl, errorCode, errorMessage, createdAt, updatedAt } = generation;
    sendJson(res, 200, { generationId, status, resultImageUrl, errorCode, errorMessage, createdAt, updatedAt });
  };
  const create = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => {
    const tryOn = (await readJsonBody(req, maxBodyBytes)) as TryOnRequest;
    if (!(await authorize({ action: 'create', tryOn, request: req }))) return sendError(res, 403, 'FORBIDDEN', 'You may not create a try-on');
    const created = await genlook.createTryOn(tryOn, { signal });
    await onCreated?.(created, req);
    sendJson(res, 200, { generationId: created.generationId, status: created.status, productExternalId: created.productExternalId });
  };

  return (req, res, next) => {
    const path = routePath(req.url ?? '/', basePath);
    if (path === undefined) return next ? next() : sendError(res, 404, 'NOT_FOUND', 'Not found');
    const generation = GENERATION_PATH.exec(path);
    const route = generation ? 'read' : path === '/try-on' && allowCreate ? 'create' : undefined;
    if (route === undefined) return sendError(res, 404, 'NOT_FOUND', 'Not found');
    const method = route === 'read' ? 'GET' : 'POST';
    if (req.method !== method) return sendError(res, 405, 'METHOD_NOT_ALLOWED', `Only ${method} here`, { headers: { allow: method } });
    let id = '';
    if (generation) {
      try {
        id = decodeURIComponent(generation[1]!);
      } catch {
        return sendError(res, 400, 'VALIDATION_FAILED', 'Invalid generation id');
      }
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const work = route === 'read' ? read(id, req, res, controller.signal) : create(req, res, controller.signal);
    work.catch((error: unknown) => {
      if (controller.signal.aborted) return;
      if (error instanceof BodyRefusal) return sendError(res, error.status, error.code, error.message);
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
