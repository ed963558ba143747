// The code of docs/angular.md, as an app would write it (tokens and factories, no decorators needed).
import { HttpClient, HttpErrorResponse, type HttpResponse } from '@angular/common/http';
import { DestroyRef, inject, InjectionToken, type Provider } from '@angular/core';
import { catchError, map, type Observable, of, throwError } from 'rxjs';
import { createGenlook, type Generation, type Genlook, type GenlookOptions, type Transport, type TransportResponse } from '../../src/index.js';

/** A genlook-rx Transport on Angular's HttpClient: interceptors apply, unsubscribe cancels the request. */
export function httpClientTransport(http: HttpClient): Transport {
  const flatten = (response: { headers: { keys(): string[]; get(name: string): string | null } }) =>
    Object.fromEntries(response.headers.keys().map((name) => [name.toLowerCase(), response.headers.get(name) ?? undefined]));
  return {
    request: ({ method, url, headers, body }): Observable<TransportResponse> =>
      http.request(method, url, { body, headers, observe: 'response', responseType: 'text' }).pipe(
        map((response: HttpResponse<string>) => ({ status: response.status, headers: flatten(response), body: response.body ?? '' })),
        // HttpClient turns non-2xx answers into errors; genlook-rx wants every HTTP answer back.
        catchError((error: unknown) =>
          error instanceof HttpErrorResponse && error.status !== 0
            ? of({ status: error.status, headers: flatten(error), body: typeof error.error === 'string' ? error.error : JSON.stringify(error.error ?? '') })
            : throwError(() => error),
        ),
      ),
  };
}

/** The client and the service, provided app-wide: `bootstrapApplication(App, { providers: [provideHttpClient(withFetch()), provideGenlook({ baseUrl: '/api/genlook' })] })`. */
export const GENLOOK = new InjectionToken<Genlook>('GENLOOK');
export const TRY_ON_SERVICE = new InjectionToken<TryOnService>('TRY_ON_SERVICE');

/** A service exposing generations to components. */
export interface TryOnService {
  generation$(id: string): Observable<Generation>;
}

/** Point `baseUrl` at your backend's route: the key stays on the server. */
export function provideGenlook(options: GenlookOptions): Provider[] {
  return [
    {
      provide: GENLOOK,
      useFactory: () => {
        const genlook = createGenlook({ ...options, transport: httpClientTransport(inject(HttpClient)) });
        inject(DestroyRef).onDestroy(() => void genlook.close());
        return genlook;
      },
    },
    {
      provide: TRY_ON_SERVICE,
      useFactory: (): TryOnService => {
        const genlook = inject(GENLOOK);
        return { generation$: (id) => genlook.generation$(id, { timeout: 120_000 }) };
      },
    },
  ];
}
