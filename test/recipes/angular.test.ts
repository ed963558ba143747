import '@angular/compiler'; // Angular's packages are partially compiled: JIT links HttpClient in plain Node.
import { provideHttpClient, withFetch } from '@angular/common/http';
import { createEnvironmentInjector, type EnvironmentInjector, inject, Injector, provideZonelessChangeDetection, runInInjectionContext, ɵINJECTOR_SCOPE } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { describe, expect, it } from 'vitest';
import { useSimulator, sleep } from '../helpers/simulator.js';
import { provideGenlook, TRY_ON_SERVICE } from './angular-recipe.js';
import { startBackendRoute } from './backend-route.js';

/**
 * The app's root injector, as bootstrapApplication would make it (root scope, zoneless), without a DOM:
 * HttpClient on fetch, and the client pointed at the backend route.
 */
function appInjector(baseUrl: string): EnvironmentInjector {
  const platform = Injector.create({ providers: [] }) as unknown as EnvironmentInjector;
  return createEnvironmentInjector([{ provide: ɵINJECTOR_SCOPE, useValue: 'root' }, provideZonelessChangeDetection(), provideHttpClient(withFetch()), provideGenlook({ baseUrl, pollInterval: 50, rateLimit: false })], platform);
}

describe('Angular 21 recipe (docs/angular.md), in plain Node', () => {
  const sim = useSimulator();

  it('a component signal follows the statuses, through HttpClient, with no key on the browser side', async () => {
    const simulator = await sim.start({ timeScale: 0.1 });
    const backend = await startBackendRoute(simulator);
    const id = simulator.script([{ at: 0, status: 'PENDING' }, { at: 3_000, status: 'PROCESSING' }, { at: 6_000, status: 'COMPLETED' }]);
    const injector = appInjector(`${backend.origin}/api/genlook`);
    try {
      const generation = runInInjectionContext(injector, () => toSignal(inject(TRY_ON_SERVICE).generation$(id)));
      const seen: string[] = [];
      for (let waited = 0; waited < 5_000 && generation()?.status !== 'COMPLETED'; waited += 10) {
        const status = generation()?.status;
        if (status && seen.at(-1) !== status) seen.push(status);
        await sleep(10);
      }
      seen.push(generation()!.status);
      expect(seen).toEqual(['PENDING', 'PROCESSING', 'COMPLETED']);
      expect(generation()?.resultImageUrl).toMatch(/\.png$/);
      expect(backend.seen.requests).toBeGreaterThan(2);
      expect(backend.seen.withKey).toBe(0);
    } finally {
      injector.destroy();
      await backend.close();
    }
  });

  it('destroying the injector unsubscribes and aborts the request in flight', async () => {
    const simulator = await sim.start({ timeScale: 1, faults: { latency: { min: 3_000, max: 3_000 } } });
    const backend = await startBackendRoute(simulator);
    const id = simulator.script([{ at: 0, status: 'PENDING' }]);
    const injector = appInjector(`${backend.origin}/api/genlook`);
    runInInjectionContext(injector, () => toSignal(inject(TRY_ON_SERVICE).generation$(id)));
    await sleep(300);
    expect(simulator.requestsFor(id)).toMatchObject({ requests: 1, concurrent: 1 });
    injector.destroy();
    await sleep(300);
    expect(backend.seen.aborted).toBe(1);
    expect(simulator.requestsFor(id)).toMatchObject({ requests: 1, concurrent: 0, aborted: 1 });
    await backend.close();
  });
});
