import { HttpClient } from '@angular/common/http';
import { DestroyRef, type EnvironmentProviders, inject, InjectionToken, makeEnvironmentProviders } from '@angular/core';
import { createGenlook, type Genlook, type GenlookOptions } from '../internal.js';
import { httpClientTransport } from './http-client-transport.js';

/** The app's one Genlook client, as `provideGenlook()` provides it: `inject(GENLOOK)`. */
export const GENLOOK = new InjectionToken<Genlook>('GENLOOK');

/** Settings of `provideGenlook`: the client's options, without a key (none belongs in a browser) or a transport (HttpClient's). */
export type ProvideGenlookOptions = Omit<GenlookOptions, 'transport' | 'apiKey'>;

/**
 * Provides the app's Genlook client (`GENLOOK`), made on Angular's `HttpClient` (so `provideHttpClient()`
 * must be provided too) and closed when its injector is destroyed (the app, or a route's injector).
 * Give it a relative `baseUrl`: your backend's route (`genlook-rx/proxy`), which adds the API key on the
 * server, so no key ever reaches the browser.
 *
 * @example
 * ```ts
 * export const appConfig: ApplicationConfig = {
 *   providers: [provideHttpClient(withFetch()), provideGenlook({ baseUrl: '/api/genlook' })],
 * };
 * ```
 */
export function provideGenlook(options: ProvideGenlookOptions): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: GENLOOK,
      useFactory: (): Genlook => {
        const genlook = createGenlook({ ...options, transport: httpClientTransport(inject(HttpClient)) });
        inject(DestroyRef).onDestroy(() => void genlook.close());
        return genlook;
      },
    },
  ]);
}
