import type { IncomingMessage } from 'node:http';
import { callable, describe, type Genlook, nonEmptyString, positive, positiveInteger, type TryOnCreated, type TryOnRequest } from '../internal.js';
import { reportToConsole } from './proxy-text.js';

/**
 * What a browser asks of the proxy, for `authorize` to allow or refuse. `caller` is what `callerOf`
 * said of the request (when given).
 * - `read`: `GET /generations/{id}` or its event stream (asked once per stream); the id is already valid.
 * - `create`: `POST /try-on`, asked before its body is read (may this user create at all?).
 * - `create-body`: the same request once its body passed the try-on schema (may this user create this?).
 */
export type ProxyAccess =
  | { action: 'read'; generationId: string; request: IncomingMessage; caller: string | undefined }
  | { action: 'create'; request: IncomingMessage; caller: string | undefined }
  | { action: 'create-body'; tryOn: TryOnRequest; request: IncomingMessage; caller: string | undefined };

/** An `authorize` answer that allows and names the caller its fair share is counted by (e.g. the user's id). */
export interface ProxyGrant {
  caller: string;
}

/** Where the proxy met an error it cannot show the browser, for `onError`. */
export interface ProxyErrorContext {
  /** `authorize`, `callerOf` or `onCreated` threw; `internal`: anything else unexpected. */
  stage: 'authorize' | 'callerOf' | 'onCreated' | 'internal';
  request: IncomingMessage;
}

/** Settings of `createGenlookProxy`. */
export interface GenlookProxyOptions {
  /** The server-side client: its key, its budget (every browser's read passes it) and its retry policy. */
  genlook: Genlook;
  /**
   * Which user may see which generation (and, with `allowCreate`, create): `true` or a `ProxyGrant`
   * lets the request through, `false` answers 403 `FORBIDDEN`. Required: without it anyone who reaches
   * the route reads every generation of the account whose id they know. `() => true` says so knowingly
   * (a demo). A hook that throws is answered 500 and reported to `onError`.
   */
  authorize: (access: ProxyAccess) => boolean | ProxyGrant | Promise<boolean | ProxyGrant>;
  /**
   * Who is asking, for the fair share of reads (e.g. the signed-in user's id from a session cookie).
   * A `caller` returned by `authorize` wins over it. @default the client's IP address
   */
  callerOf?: (request: IncomingMessage) => string | undefined;
  /** Also forward `POST /try-on` (the body checked against the try-on schema first; each one costs a credit). @default false */
  allowCreate?: boolean;
  /** Called after a try-on was created, e.g. to record which user owns the new id for `authorize`. */
  onCreated?: (created: TryOnCreated, request: IncomingMessage) => void | Promise<void>;
  /**
   * Told of every error the browser is answered 500 for without detail (a hook that threw, a bug).
   * @default `console.error` of the error, with anything like an API key redacted
   */
  onError?: (error: unknown, context: ProxyErrorContext) => void;
  /**
   * The path the proxy is served under, stripped before routing, for a plain `node:http` server
   * (`'/api/genlook'`). Express and Nest strip the mount path of `app.use('/api/genlook', proxy)`
   * themselves: leave it empty there. @default ''
   */
  basePath?: string;
  /** The largest `POST /try-on` body accepted, in bytes; past it, 413 and the connection is closed. @default 65536 */
  maxBodyBytes?: number;
  /** Upstream reads of plain GETs in flight at once, shared fairly (round robin) between callers. @default 4 */
  concurrentReads?: number;
  /** The longest a plain GET waits for its answer (in the fair queue, the budget, upstream) before a 503 with `Retry-After`, in ms. @default 10000 */
  maxWait?: number;
  /** The event stream's keepalive comment interval, in ms. @default 15000 */
  keepaliveInterval?: number;
  /** The reconnect delay an `EventSource` is told (`retry:`), in ms. @default 3000 */
  reconnectDelay?: number;
  /** The most bytes an event stream may have waiting for a browser that does not read; past it, the stream is dropped. @default 65536 */
  maxBufferedBytes?: number;
}

/** The options checked, with defaults. */
export interface ResolvedProxyOptions {
  genlook: Genlook;
  authorize: GenlookProxyOptions['authorize'];
  callerOf: GenlookProxyOptions['callerOf'];
  allowCreate: boolean;
  onCreated: GenlookProxyOptions['onCreated'];
  onError: NonNullable<GenlookProxyOptions['onError']>;
  basePath: string;
  maxBodyBytes: number;
  concurrentReads: number;
  maxWait: number;
  keepaliveInterval: number;
  reconnectDelay: number;
  maxBufferedBytes: number;
}

/** Checks the options once (a `TypeError` names the bad one) and applies the defaults. */
export function resolveProxyOptions(options: GenlookProxyOptions): ResolvedProxyOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected proxy options to be an object, got ${describe(options)}`);
  const { genlook } = options;
  if (typeof genlook?.retrieve !== 'function' || typeof genlook.createTryOn !== 'function' || typeof genlook.generation$ !== 'function') {
    throw new TypeError(`Expected \`genlook\` to be a client made by createGenlook, got ${describe(genlook)}`);
  }
  const optional = <T extends (...args: never[]) => unknown>(name: string, value: unknown) => (value === undefined ? undefined : callable<T>(name, value));
  if (options.allowCreate !== undefined && typeof options.allowCreate !== 'boolean') throw new TypeError(`Expected \`allowCreate\` to be a boolean, got ${describe(options.allowCreate)}`);
  return {
    genlook,
    authorize: callable<GenlookProxyOptions['authorize']>('authorize', options.authorize),
    callerOf: optional<NonNullable<GenlookProxyOptions['callerOf']>>('callerOf', options.callerOf),
    allowCreate: options.allowCreate ?? false,
    onCreated: optional<NonNullable<GenlookProxyOptions['onCreated']>>('onCreated', options.onCreated),
    onError: optional<NonNullable<GenlookProxyOptions['onError']>>('onError', options.onError) ?? reportToConsole,
    basePath: options.basePath === undefined || options.basePath === '' ? '' : nonEmptyString('basePath', options.basePath).replace(/\/+$/, ''),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes ?? 65_536),
    concurrentReads: positiveInteger('concurrentReads', options.concurrentReads ?? 4),
    maxWait: positive('maxWait', options.maxWait ?? 10_000),
    keepaliveInterval: positive('keepaliveInterval', options.keepaliveInterval ?? 15_000),
    reconnectDelay: positiveInteger('reconnectDelay', options.reconnectDelay ?? 3_000),
    maxBufferedBytes: positiveInteger('maxBufferedBytes', options.maxBufferedBytes ?? 65_536),
  };
}
