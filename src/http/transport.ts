import type { ObservableInput } from 'rxjs';

/** One HTTP request, as the client hands it to a transport. */
export interface TransportRequest {
  method: 'GET' | 'POST';
  /** The absolute URL (or, in browsers with a relative `baseUrl`, a path on the page's origin). */
  url: string;
  /** Lower-case header names. Holds `x-api-key` when the client has a key. */
  headers: Record<string, string>;
  /** A JSON body, for POST. */
  body?: string;
  /** Aborted on unsubscribe, on `requestTimeout`, and on `close()`. */
  signal: AbortSignal;
  /** The client's `requestTimeout`, in ms: a backstop for transports that set socket timeouts. */
  timeout: number;
}

/** What a transport answers: any HTTP status; the client maps it. */
export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The body as text (a transport caps its size). */
  body: string;
}

/**
 * How one HTTP request is made. A transport must not follow redirects, must honour `signal`, and
 * answers every HTTP status (only a failure to get an answer rejects). It may return a Promise or an
 * Observable (e.g. one built on Angular's `HttpClient`, whose unsubscribe cancels the request).
 *
 * @example
 * ```ts
 * const transport: Transport = {
 *   request: async ({ method, url, headers, body, signal }) => {
 *     const res = await fetch(url, { method, headers, body, signal, redirect: 'manual' });
 *     return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
 *   },
 * };
 * ```
 */
export interface Transport {
  request(request: TransportRequest): ObservableInput<TransportResponse>;
  /** Releases connections; called by `genlook.close()`. */
  close?(): Promise<void> | void;
}

/** The default response-size cap of the built-in transports: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024;


/**
 * Set on a transport that removes its abort listener when a request settles (undici's does), so that one
 * `AbortController` can serve a client's successive requests until one is aborted.
 * @internal
 */
export const REUSES_SIGNALS = Symbol.for('genlook-rx.reuses-signals');
