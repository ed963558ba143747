import { HttpErrorResponse, type HttpClient, type HttpHeaders, type HttpResponse } from '@angular/common/http';
import { catchError, map, type Observable, of, throwError } from 'rxjs';
import type { Transport, TransportResponse } from '../internal.js';

/** Response headers as genlook-rx reads them: lower-case names. */
function headersOf(headers: HttpHeaders): Record<string, string | undefined> {
  return Object.fromEntries(headers.keys().map((name) => [name.toLowerCase(), headers.get(name) ?? undefined]));
}

/** An error body as text, as the client's decoder expects it (HttpClient may have parsed it already). */
function textOf(body: unknown): string {
  if (typeof body === 'string') return body;
  return body === null || body === undefined ? '' : JSON.stringify(body);
}

/**
 * genlook-rx's requests made by Angular's `HttpClient`: the app's interceptors apply, and unsubscribing
 * (a component going away) cancels the request. `provideGenlook()` uses it; call it yourself only to
 * build a client by hand.
 *
 * Every HTTP answer comes back as a response (HttpClient turns a non-2xx one into an error; the client
 * wants the status and body to map them to its typed errors); only a failure to get an answer (status 0:
 * network, CORS, abort) stays an error.
 *
 * @example
 * ```ts
 * const genlook = createGenlook({ baseUrl: '/api/genlook', transport: httpClientTransport(inject(HttpClient)) });
 * ```
 */
export function httpClientTransport(http: HttpClient): Transport {
  return {
    request: ({ method, url, headers, body }): Observable<TransportResponse> =>
      http.request(method, url, { body, headers, observe: 'response', responseType: 'text' }).pipe(
        map((response: HttpResponse<string>) => ({ status: response.status, headers: headersOf(response.headers), body: response.body ?? '' })),
        catchError((error: unknown) =>
          error instanceof HttpErrorResponse && error.status !== 0
            ? of<TransportResponse>({ status: error.status, headers: headersOf(error.headers), body: textOf(error.error) })
            : throwError(() => error),
        ),
      ),
  };
}
