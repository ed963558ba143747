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
  /** The HTTP status; `0` for a redirect whose status the runtime hides (a browser's `opaqueredirect`). */
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The body as text (a transport caps its size). */
  body: string;
}

/**
 * How one HTTP request is made. A transport must not follow redirects (it answers the 3xx, or status
 * 0 where the runtime hides a redirect's status), must honour `signal`, and answers every HTTP status
 * (only a failure to get an answer rejects). It may return a Promise or an
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
 * The status a transport answers for a redirect whose status the runtime hides (`fetch` with
 * `redirect: 'manual'` in a browser gives an `opaqueredirect` response of status 0).
 */
export const OPAQUE_REDIRECT_STATUS = 0;
