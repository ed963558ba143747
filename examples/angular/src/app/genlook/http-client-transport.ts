import { HttpClient, HttpErrorResponse, HttpHeaders, HttpResponse } from '@angular/common/http';
import type { Transport, TransportResponse } from 'genlook-rx';
import { catchError, map, type Observable, of, throwError } from 'rxjs';

/** Response headers as genlook-rx reads them: lower-case names. */
function headersOf(headers: HttpHeaders): Record<string, string | undefined> {
  return Object.fromEntries(headers.keys().map((name) => [name.toLowerCase(), headers.get(name) ?? undefined]));
}

/**
 * genlook-rx's requests on Angular's `HttpClient`: your interceptors apply, and unsubscribing (the
 * component going away) cancels the request.
 */
export function httpClientTransport(http: HttpClient): Transport {
  return {
    request: ({ method, url, headers, body }): Observable<TransportResponse> =>
      http.request(method, url, { body, headers, observe: 'response', responseType: 'text' }).pipe(
        map((response: HttpResponse<string>) => ({ status: response.status, headers: headersOf(response.headers), body: response.body ?? '' })),
        // HttpClient turns a non-2xx answer into an error; genlook-rx wants every HTTP answer back.
        catchError((error: unknown) =>
          error instanceof HttpErrorResponse && error.status !== 0
            ? of({ status: error.status, headers: headersOf(error.headers), body: typeof error.error === 'string' ? error.error : JSON.stringify(error.error ?? '') })
            : throwError(() => error),
        ),
      ),
  };
}
