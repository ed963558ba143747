import { discard, readCapped } from './read-capped.js';
import { Agent, type Dispatcher } from 'undici';
import { ResponseTooLargeError } from './response-too-large-error.js';
import { DEFAULT_MAX_RESPONSE_SIZE, type Transport, type TransportResponse } from './transport.js';

/** Settings of the Node transport. */
export interface UndiciTransportOptions {
  /** Most sockets open to the API at once (keep-alive, reused). @default 64 */
  connections?: number;
  /** Largest response body read, in bytes. @default 1048576 */
  maxResponseSize?: number;
  /** How long an idle keep-alive socket is kept, in ms. @default 10000 */
  keepAliveTimeout?: number;
  /** An undici dispatcher to use instead of the transport's own Agent (e.g. a `MockAgent` in tests). */
  dispatcher?: Dispatcher;
}

/**
 * The Node transport, a client's default there (src/http/default-transport.ts): one keep-alive undici
 * `Agent` per client, redirects never followed (a 3xx is answered as it is), the body always read to the
 * end (or destroyed past `maxResponseSize`), `signal` honoured. Not exported by the root entry, whose
 * browser build must hold no undici.
 * @internal
 */
export function undiciTransport(options: UndiciTransportOptions = {}): Transport {
  const { connections = 64, maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE, keepAliveTimeout = 10_000 } = options;
  const agent: Dispatcher = options.dispatcher ?? new Agent({ connections, keepAliveTimeout, pipelining: 1 });
  return {
    async request({ method, url, headers, body, signal, timeout }): Promise<TransportResponse> {
      const { origin, path } = splitUrl(url);
      const response = await agent.request({
        origin,
        path,
        method,
        headers,
        body,
        signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const declared = Number(response.headers['content-length']);
      if (declared > maxResponseSize) {
        discard(response.body);
        throw new ResponseTooLargeError(response.statusCode, maxResponseSize);
      }
      const flat: Record<string, string | undefined> = {};
      for (const name in response.headers) {
        const value = response.headers[name];
        flat[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      // A declared length within the cap (the usual case) is read in one go; otherwise the cap is counted.
      const text = declared >= 0 ? await response.body.text() : await readCapped(response.body, maxResponseSize, () => new ResponseTooLargeError(response.statusCode, maxResponseSize));
      return { status: response.statusCode, headers: flat, body: text };
    },
    async close() {
      // A dispatcher the caller passed in is theirs to close.
      if (options.dispatcher === undefined) await agent.close();
    },
  };
}


/** `origin` and `path` of an absolute http(s) URL; a plain split where the URL is simple (parsing one per request shows in profiles). */
export function splitUrl(url: string): { origin: string; path: string } {
  const start = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : -1;
  const slash = start === -1 ? -1 : url.indexOf('/', start);
  if (slash !== -1 && !/[?#@\\]/.test(url.slice(0, slash))) return { origin: url.slice(0, slash), path: url.slice(slash) };
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}
