import type { IncomingMessage, ServerResponse } from 'node:http';
import { type TryOnRequest, tryOnRequestSchema, validate } from '../internal.js';
import { serveEventStream } from './event-stream.js';
import { refusalOf, sendError, sendFailure, sendJson } from './proxy-answers.js';
import type { ProxyAccess, ProxyErrorContext, ResolvedProxyOptions } from './proxy-options.js';
import { generationBody, safeText } from './proxy-text.js';
import { answerUnread, BodyRefusal, readJsonBody } from './read-json-body.js';
import { ReadTimedOut, singleFlightReads } from './single-flight-reads.js';

/** One request being answered: what every route needs of it. */
export interface ProxyExchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** Aborted when the browser goes away before the answer. */
  signal: AbortSignal;
}

/** The three routes of the proxy, over its options. */
export interface ProxyRoutes {
  read(exchange: ProxyExchange, id: string): Promise<void>;
  events(exchange: ProxyExchange, id: string): Promise<void>;
  create(exchange: ProxyExchange): Promise<void>;
  /** Answers 500 without detail and tells `onError`. */
  fail(exchange: ProxyExchange, error: unknown, stage: ProxyErrorContext['stage']): void;
}

/** Builds the routes; each checks `authorize` first (its `caller` or `callerOf`'s counts for fairness). */
export function proxyRoutes(options: ResolvedProxyOptions): ProxyRoutes {
  const { genlook, authorize, callerOf, onCreated, onError } = options;
  const reads = singleFlightReads(genlook, options);

  const fail = ({ req, res }: ProxyExchange, error: unknown, stage: ProxyErrorContext['stage']) => {
    try {
      onError(error, { stage, request: req });
    } catch {
      // a reporter that throws must not take the answer with it
    }
    sendError(res, 500, 'PROXY_ERROR', 'Internal error', req.method === 'POST' ? { headers: { connection: 'close' } } : {});
  };

  /**
   * The caller if `authorize` allows `access`, else `undefined` once refused (403) or failed (500). A
   * POST whose body is still unread is answered with `Connection: close`, so it is never read.
   */
  const allowed = async (exchange: ProxyExchange, access: ProxyAccess, bodyUnread: boolean): Promise<string | undefined> => {
    let verdict: unknown;
    try {
      verdict = await authorize(access);
    } catch (error) {
      fail(exchange, error, 'authorize');
      return undefined;
    }
    const grant = verdict === true || (typeof verdict === 'object' && verdict !== null && typeof (verdict as { caller?: unknown }).caller === 'string');
    if (!grant) {
      const message = access.action === 'read' ? 'You may not see this generation' : 'You may not create a try-on';
      if (bodyUnread) answerUnread(exchange.res, 403, 'FORBIDDEN', message);
      else sendError(exchange.res, 403, 'FORBIDDEN', message);
      return undefined;
    }
    if (exchange.signal.aborted) return undefined;
    return verdict === true ? (access.caller ?? exchange.req.socket?.remoteAddress ?? 'unknown') : (verdict as { caller: string }).caller;
  };

  /** `callerOf(request)`, or `null` when it threw (answered 500). */
  const callerOfRequest = (exchange: ProxyExchange): string | undefined | null => {
    if (callerOf === undefined) return undefined;
    try {
      const caller = callerOf(exchange.req);
      return typeof caller === 'string' ? caller : undefined;
    } catch (error) {
      fail(exchange, error, 'callerOf');
      return null;
    }
  };

  return {
    fail,
    async read(exchange, id) {
      const caller = callerOfRequest(exchange);
      if (caller === null) return;
      const allowedCaller = await allowed(exchange, { action: 'read', generationId: id, request: exchange.req, caller }, false);
      if (allowedCaller === undefined) return;
      const { res } = exchange;
      const subscription = reads(id, allowedCaller).subscribe({
        next: (generation) => sendJson(res, 200, generationBody(generation)),
        error: (error: unknown) => {
          if (error instanceof ReadTimedOut) {
            return sendError(res, 503, 'PROXY_BUSY', 'Too many reads are waiting; try again later', { headers: { 'retry-after': String(error.retryAfterSeconds) } });
          }
          if (refusalOf(error).body.status === 500) return fail(exchange, error, 'internal');
          sendFailure(res, error);
        },
      });
      exchange.signal.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
    },
    async events(exchange, id) {
      const caller = callerOfRequest(exchange);
      if (caller === null) return;
      if ((await allowed(exchange, { action: 'read', generationId: id, request: exchange.req, caller }, false)) === undefined) return;
      const header = exchange.req.headers['last-event-id'];
      const lastEventId = typeof header === 'string' && header !== '' ? header : undefined;
      serveEventStream(exchange.res, genlook.generation$(id), lastEventId, { ...options, health$: genlook.health$, onUnexpected: (error) => onError(error, { stage: 'internal', request: exchange.req }) });
    },
    async create(exchange) {
      const { req, res, signal } = exchange;
      const caller = callerOfRequest(exchange);
      if (caller === null) return;
      if ((await allowed(exchange, { action: 'create', request: req, caller }, true)) === undefined) return;
      let body: unknown;
      try {
        body = await readJsonBody(req, options.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyRefusal)) throw error;
        return error.status === 400 ? sendError(res, 400, error.code, error.message) : answerUnread(res, error.status, error.code, error.message);
      }
      const checked = validate(tryOnRequestSchema, body);
      if (!checked.success) return sendError(res, 400, 'VALIDATION_FAILED', 'Invalid try-on request', { details: refusalDetails(checked.issues) });
      const tryOn: TryOnRequest = checked.data;
      if ((await allowed(exchange, { action: 'create-body', tryOn, request: req, caller }, false)) === undefined) return;
      const created = await genlook.createTryOn(tryOn, { signal });
      try {
        await onCreated?.(created, req);
      } catch (error) {
        return fail(exchange, error, 'onCreated');
      }
      sendJson(res, 200, { generationId: created.generationId, status: created.status, productExternalId: created.productExternalId });
    },
  };
}

/** Validation issues as error details, made safe like every other text the browser gets. */
function refusalDetails(issues: ReadonlyArray<{ path: string; message: string }>) {
  return issues.slice(0, 20).map((issue) => ({ path: safeText(issue.path), message: safeText(issue.message) }));
}
