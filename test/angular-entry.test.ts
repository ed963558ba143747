// genlook-rx/angular in plain Node: Angular's real HttpClient on its testing backend (no DOM, no TestBed),
// in an environment injector that stands for the app's. The entry's own code is compiled AOT by the app;
// here @angular/compiler is loaded for Angular's partially compiled classes (HttpClient).
import '@angular/compiler';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { ApplicationRef, createEnvironmentInjector, type EnvironmentInjector, Injector, provideZonelessChangeDetection, runInInjectionContext, signal, ɵINJECTOR_SCOPE } from '@angular/core';
import { afterEach, describe, expect, it } from 'vitest';
import { GenerationFailedError, GenlookApiError } from '../src/index.js';
import { GENLOOK, generationResource, provideGenlook } from '../src/angular/index.js';
import { completed, failed, pending } from '../src/testing/index.js';

let injector: EnvironmentInjector | undefined;
afterEach(() => {
  if (injector && !injector.destroyed) injector.destroy();
  injector = undefined;
});

/** The app's injector with genlook-rx/angular provided, polling every 10 ms so that a test waits little. */
function app() {
  injector = createEnvironmentInjector(
    [{ provide: ɵINJECTOR_SCOPE, useValue: 'root' }, provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideGenlook({ baseUrl: '/api/genlook', pollInterval: 10 })],
    // A plain injector as the parent (the platform's place): createEnvironmentInjector only asks it for tokens.
    Injector.create({ providers: [] }) as unknown as EnvironmentInjector,
  );
  const http = injector.get(HttpTestingController);
  const tick = () => injector!.get(ApplicationRef).tick();
  /** The next request the client sends: waits for that fact (a poll is due 10 ms or more after an answer). */
  const nextRequest = async (): Promise<TestRequest> => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      tick();
      const [request] = http.match(() => true);
      if (request) return request;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the client sent no request');
  };
  /** Lets the answer reach the resource's signals. */
  const settle = async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      tick();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  return { injector, http, nextRequest, settle, run: <T>(make: () => T) => runInInjectionContext(injector!, make) };
}

describe('genlook-rx/angular', () => {
  it('generationResource follows a generation: loading, then each status as value(), requests on HttpClient without a key', async () => {
    const { nextRequest, settle, run } = app();
    const generation = run(() => generationResource(() => 'gen_1'));
    const first = await nextRequest();
    expect(first.request.url).toBe('/api/genlook/generations/gen_1');
    expect(first.request.headers.has('x-api-key')).toBe(false);
    expect(generation.status()).toBe('loading');
    first.flush(JSON.stringify(pending('gen_1')));
    await settle();
    expect(generation.value()?.status).toBe('PENDING');
    (await nextRequest()).flush(JSON.stringify(completed('gen_1')));
    await settle();
    expect(generation.value()?.resultImageUrl).toBe(completed('gen_1').resultImageUrl);
  });

  it('a FAILED try-on is error(), a GenerationFailedError with the server\'s code; a 404 answer is a typed API error, not an HttpErrorResponse', async () => {
    const { nextRequest, settle, run } = app();
    const id = signal('gen_1');
    const generation = run(() => generationResource(id));
    (await nextRequest()).flush(JSON.stringify(failed('gen_1', 'PERSON_NOT_DETECTED')));
    await settle();
    expect(generation.error()).toBeInstanceOf(GenerationFailedError);
    expect((generation.error() as GenerationFailedError).errorCode).toBe('PERSON_NOT_DETECTED');
    id.set('gen_2');
    await settle();
    const missing = await nextRequest();
    expect(missing.request.url).toBe('/api/genlook/generations/gen_2');
    missing.flush(JSON.stringify({ code: 'GENERATION_NOT_FOUND', message: 'No generation gen_2' }), { status: 404, statusText: 'Not Found' });
    await settle();
    expect(generation.error()).toBeInstanceOf(GenlookApiError);
    expect((generation.error() as GenlookApiError).code).toBe('GENERATION_NOT_FOUND');
  });

  it('no id, no request: the resource is idle', async () => {
    const { http, settle, run } = app();
    const generation = run(() => generationResource(() => undefined));
    await settle();
    expect(generation.status()).toBe('idle');
    http.verify();
  });

  it('destroying the injector cancels the request in flight and closes the client', async () => {
    const { injector, nextRequest, run } = app();
    run(() => generationResource(() => 'gen_1'));
    const inFlight = await nextRequest();
    const genlook = injector.get(GENLOOK);
    injector.destroy();
    expect(inFlight.cancelled).toBe(true);
    await expect(genlook.retrieve('gen_1')).rejects.toMatchObject({ code: expect.any(String) });
  });
});
