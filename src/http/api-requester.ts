import { type Observable, type SchedulerLike, throwError } from 'rxjs';
import { GenlookConfigError } from '../model/errors/genlook-config-error.js';
import { generationPath } from '../model/generation-id.js';
import { type GenerationList, parseGenerationList as decodeGenerationList } from '../model/generation-list.js';
import { parseGeneration } from '../model/generation-shape.js';
import { parseTryOnCreated as decodeTryOnCreated } from '../model/created-shape.js';
import { type Generation, syncPendingSchema, type TryOnCreated, type TryOnRequest } from '../model/schemas.js';
import { validate } from '../model/validate.js';
import { createDefaultTransport } from './default-transport.js';
import { type Exchange, type ExchangeContext, exchange$ } from './exchange.js';
import type { BodyParser } from './response-decoder.js';
import type { Transport } from './transport.js';

/** The public API's origin: the one place a key is always needed. */
export const GENLOOK_ORIGIN = 'https://api.genlook.app';

/** What the requester of a client needs (already validated). */
export interface RequesterConfig {
  apiKey: string | undefined;
  baseUrl: string;
  isRelativeBaseUrl: boolean;
  requestTimeout: number;
  /** The caller's transport; the default one (undici on Node, fetch elsewhere) is made at the first request. */
  transport: Transport | undefined;
  scheduler: SchedulerLike;
  maxRetryAfter: number;
  /** Told how each request ended (see `ExchangeContext.report`). */
  report?: (error: unknown) => void;
}

/** What `POST /try-on/sync` gives: the generation when it ended during the hold, or its id to poll. */
export type SyncCreation = { generation: Generation } | { generationId: string };

/** The HTTP edge of a client: each method is one request per subscription, decoded into a value or a typed error. */
export interface ApiRequester {
  /** `GET /generations/{id}`; the id must already be valid. */
  generation$(id: string): Observable<Generation>;
  /** `GET /generations?limit=&cursor=`: one page of the account's generations, newest first (what sweeps read). */
  list$(query: { limit: number; cursor: string | undefined }): Observable<GenerationList>;
  /** `POST /try-on` with an already validated body. */
  create$(request: TryOnRequest): Observable<TryOnCreated>;
  /**
   * `POST /try-on/sync` with an already validated body: held by the server until the try-on ends (its
   * generation) or for up to 90 s (its id, to poll), timed by `holdTimeout` instead of `requestTimeout`.
   */
  createAndWait$(request: TryOnRequest, holdTimeout: number): Observable<SyncCreation>;
  /** Aborts requests in flight and closes the transport. */
  close(): Promise<void>;
}

/**
 * Builds the requester of a client: the key check, URLs always under `baseUrl`, the key only in
 * `x-api-key`, and each request as a lean Observable (`exchange$`).
 */
export function createApiRequester(config: RequesterConfig): ApiRequester {
  const { apiKey, baseUrl, requestTimeout } = config;
  let transport = config.transport;
  const context: ExchangeContext = { transport: () => (transport ??= createDefaultTransport()), scheduler: config.scheduler, apiKey, maxRetryAfter: config.maxRetryAfter, inflight: new Set(), report: config.report ?? (() => {}) };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  const postHeaders = { ...headers, 'content-type': 'application/json' };
  // A key is needed to talk to Genlook itself. A relative baseUrl is the app's own backend, which adds it;
  // a custom transport (an Angular HttpClient with interceptors, say) may add its own credentials.
  const needsKey = apiKey === undefined && !config.isRelativeBaseUrl && (config.transport === undefined || baseUrl.startsWith(GENLOOK_ORIGIN));

  const send = <T>(exchange: Exchange<T>): Observable<T> =>
    needsKey
      ? throwError(
          () =>
            new GenlookConfigError(
              'No Genlook API key: pass `apiKey` to createGenlook() or set GENLOOK_API_KEY (a relative baseUrl, served by your own backend, needs none)',
              'API_KEY_NOT_CONFIGURED',
            ),
        )
      : exchange$(exchange, context);

  return {
    generation$(id) {
      return send(new GenerationRead(baseUrl, id, headers, requestTimeout));
    },
    list$({ limit, cursor }) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor !== undefined) query.set('cursor', cursor);
      return send<GenerationList>({ method: 'GET', url: `${baseUrl}/generations?${query}`, headers, notFoundCode: 'NOT_FOUND', timeout: requestTimeout, parse: parseGenerationList });
    },
    create$(request) {
      return send<TryOnCreated>({
        method: 'POST',
        url: `${baseUrl}/try-on`,
        headers: postHeaders,
        body: JSON.stringify(request),
        notFoundCode: 'NOT_FOUND',
        timeout: requestTimeout,
        parse: parseTryOnCreated,
      });
    },
    createAndWait$(request, holdTimeout) {
      return send<SyncCreation>({ method: 'POST', url: `${baseUrl}/try-on/sync`, headers: postHeaders, body: JSON.stringify(request), notFoundCode: 'NOT_FOUND', timeout: holdTimeout, parse: parseSyncCreation });
    },
    async close() {
      for (const controller of context.inflight) controller.abort();
      context.inflight.clear();
      await transport?.close?.();
    },
  };
}

/**
 * A generation, which must be the one asked for: a 2xx body about another generation is as wrong as a
 * malformed one. Its `generationId` is then the id string the client already holds, not a copy per answer.
 */
const parseGenerationOf: BodyParser<Generation> = (json, _status, id, secret) => {
  const parsed = parseGeneration(json, secret);
  if (!parsed.success) return parsed;
  if (parsed.data.generationId === id) {
    parsed.data.generationId = id;
    return parsed;
  }
  return { success: false, issues: [{ path: 'generationId', message: `the response is about generation ${JSON.stringify(parsed.data.generationId)}, not ${JSON.stringify(id)}` }] };
};

/**
 * The read of one generation: made once per watched id and sent at every poll, so a client watching
 * 10,000 ids holds 10,000 of these for the whole watch. Its URL is made per request instead of held
 * (an absolute URL is an 80-byte string a watch), and an answer's `generationId` is the id string the
 * client already holds, not a copy per answer (the retained heap per id: docs/benchmarks.md).
 */
class GenerationRead implements Exchange<Generation> {
  constructor(
    private readonly baseUrl: string,
    readonly expectedId: string,
    readonly headers: Record<string, string>,
    readonly timeout: number,
  ) {}

  get method(): 'GET' {
    return 'GET';
  }
  get url(): string {
    return `${this.baseUrl}${generationPath(this.expectedId)}`;
  }
  get notFoundCode(): string {
    return 'GENERATION_NOT_FOUND';
  }
  get parse(): BodyParser<Generation> {
    return parseGenerationOf;
  }
}

const parseTryOnCreated: BodyParser<TryOnCreated> = (json, _status, _expectedId, secret) => decodeTryOnCreated(json, secret);
const parseGenerationList: BodyParser<GenerationList> = (json, _status, _expectedId, secret) => decodeGenerationList(json, secret);

/**
 * The answer of `POST /try-on/sync`. 202: `{ generationId }`, to poll. 200: `{ generationId, resultImageUrl }`
 * when it completed (Genlook's documented answer), made into a `COMPLETED` generation whose `createdAt`
 * and `updatedAt` are the client's clock at the answer (the answer holds no timestamps); a body that has
 * a `status` is read as a generation (a FAILED one, which Genlook does not document: assumed to come so).
 */
const parseSyncCreation: BodyParser<SyncCreation> = (json, status, _expectedId, secret) => {
  if (status === 202) {
    const pending = validate(syncPendingSchema, json);
    return pending.success ? { success: true, data: { generationId: pending.data.generationId } } : pending;
  }
  const now = new Date().toISOString();
  const body = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const candidate = 'status' in body ? { createdAt: now, updatedAt: now, ...body } : { generationId: body.generationId, status: 'COMPLETED', resultImageUrl: body.resultImageUrl, createdAt: now, updatedAt: now };
  const parsed = parseGeneration(candidate, secret);
  return parsed.success ? { success: true, data: { generation: parsed.data } } : parsed;
};
