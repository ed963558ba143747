import { ResponseTooLargeError } from './response-too-large-error.js';
import { DEFAULT_MAX_RESPONSE_SIZE, OPAQUE_REDIRECT_STATUS, type Transport, type TransportResponse } from './transport.js';

/** Settings of the fetch transport. */
export interface FetchTransportOptions {
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Largest response body read, in bytes. @default 1048576 */
  maxResponseSize?: number;
}

/**
 * The browser and edge-runtime transport, on `fetch`: redirects not followed (`redirect: 'manual'`; a
 * redirect is answered as its 3xx, or as status 0 where the runtime hides it), `signal` honoured, the
 * body read through a size cap.
 *
 * @example
 * ```ts
 * const genlook = createGenlook({ baseUrl: '/api/genlook', transport: fetchTransport() });
 * ```
 */
export function fetchTransport(options: FetchTransportOptions = {}): Transport {
  const { maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE } = options;
  return {
    async request({ method, url, headers, body, signal }): Promise<TransportResponse> {
      const run = options.fetch ?? globalThis.fetch;
      const response = await run(url, { method, headers, body, signal, redirect: 'manual', credentials: 'same-origin' });
      // A browser hides a refused redirect behind an `opaqueredirect` answer of status 0: it is answered
      // as that status, which the client reads as the redirect it is (UNEXPECTED_REDIRECT, not retried),
      // as it reads the 3xx that Node's fetch and the undici transport show.
      if (response.type === 'opaqueredirect') return { status: OPAQUE_REDIRECT_STATUS, headers: {}, body: '' };
      const flat: Record<string, string | undefined> = {};
      response.headers.forEach((value, name) => {
        flat[name.toLowerCase()] = value;
      });
      return { status: response.status, headers: flat, body: await readText(response, maxResponseSize) };
    },
  };
}

async function readText(response: Response, limit: number): Promise<string> {
  if (Number(response.headers.get('content-length')) > limit) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(response.status, limit);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ResponseTooLargeError(response.status, limit);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
