import { HttpClient } from '@angular/common/http';
import { DestroyRef, inject, InjectionToken, type Provider } from '@angular/core';
import { createGenlook, type Genlook, type GenlookOptions } from 'genlook-rx';
import { httpClientTransport } from './http-client-transport';

/** The app's one Genlook client. */
export const GENLOOK = new InjectionToken<Genlook>('GENLOOK');

/**
 * Provides the client on `HttpClient`, closed with the app. Give it a relative `baseUrl`: your backend's
 * route (genlook-rx/proxy), which adds the API key. No key ever reaches the browser.
 */
export function provideGenlook(options: Omit<GenlookOptions, 'transport' | 'apiKey'>): Provider[] {
  return [
    {
      provide: GENLOOK,
      useFactory: () => {
        const genlook = createGenlook({ ...options, transport: httpClientTransport(inject(HttpClient)) });
        inject(DestroyRef).onDestroy(() => void genlook.close());
        return genlook;
      },
    },
  ];
}
