import { catchError, lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { GenerationFailedError, type Generation } from '../src/index.js';
import { statusRank } from '../src/model/generation-status.js';
import type { Simulator } from '../src/simulator/index.js';
import { until, useSimulator } from './helpers/simulator.js';

const timeline = (index: number) => [
  { at: 0, status: 'PENDING' },
  { at: 2_000 + index * 150, status: 'PROCESSING' },
  index % 4 === 3
    ? { at: 8_000 + index * 400, status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'Could not fetch' }
    : { at: 8_000 + index * 400, status: 'COMPLETED' },
];

/** Follows every id to its end; each stream's statuses (FAILED and error codes as the last entry). */
async function follow(simulator: Simulator, ids: string[], sim: ReturnType<typeof useSimulator>, options = {}) {
  const genlook = sim.client(simulator, { pollInterval: 20, ...options });
  return Promise.all(
    ids.map((id) =>
      lastValueFrom(
        genlook.generation$(id).pipe(
          toArray(),
          catchError((error: unknown) => of([error instanceof GenerationFailedError ? error.generation : ({ status: `error ${(error as { code?: string }).code}` } as Generation)])),
        ),
      ),
    ),
  );
}

/** True when every status is later than the one before (forward only, each once). */
const isForward = (statuses: string[]) => statuses.every((status, index) => index === 0 || (statusRank(status) ?? 0) > (statusRank(statuses[index - 1]!) ?? 0));

describe('sweeps end to end: many ids, one list request, against the simulator', () => {
  const sim = useSimulator();

  it('twelve pending ids are followed mostly by list requests: every outcome seen, with its result or code, forward only', async () => {
    const simulator = await sim.start();
    const ids = Array.from({ length: 12 }, (_, index) => simulator.script(timeline(index)));
    const streams = await follow(simulator, ids, sim);
    for (const [index, statuses] of streams.entries()) {
      const last = statuses.at(-1)!;
      expect(last.status).toBe(simulator.outcomeOf(ids[index]!)!.status);
      if (last.status === 'COMPLETED') expect(last.resultImageUrl).toMatch(/\/results\//);
      else expect(last.errorCode).toBe('PRODUCT_IMAGE_FETCH_FAILED');
      expect(isForward(statuses.map((generation) => generation.status))).toBe(true);
    }
    const stats = simulator.stats();
    expect(stats.listRequests).toBeGreaterThan(0);
    // Per-id polls at this interval would take at least one read per id per 20 ms of its life (hundreds);
    // with sweeps an id costs about its final read, plus its first while it was alone.
    expect(stats.generationRequests).toBeLessThanOrEqual(ids.length * 3);
    expect(stats.requests).toBeLessThan(ids.length * 6);
  });

  it('a list that lags the single read by longer than a try-on, breaks pages, leaves items out and shuffles them: no stale status, no lost outcome', async () => {
    // The list shows each generation as it was 20 s ago (400 ms here): longer than any of these try-ons.
    const simulator = await sim.start({ listLag: 20_000, listFaults: { seed: 5, serverError: 0.15, malformed: 0.1, truncated: 0.05, omit: 0.2, reorder: 0.5 } });
    const ids = Array.from({ length: 12 }, (_, index) => simulator.script(timeline(index)));
    // Watched once every single read says PROCESSING, while the lagging list still says PENDING.
    await until(() => ids.every((id) => simulator.generation(id)?.status !== 'PENDING'), 'every try-on is PROCESSING');
    const streams = await follow(simulator, ids, sim);
    for (const [index, statuses] of streams.entries()) {
      expect(statuses.at(-1)!.status).toBe(simulator.outcomeOf(ids[index]!)!.status);
      expect(isForward(statuses.map((generation) => generation.status))).toBe(true);
    }
    const stats = simulator.stats();
    expect(stats.listFaults.serverError + stats.listFaults.malformed + stats.listFaults.truncated).toBeGreaterThan(0);
    expect(stats.listItemsOmitted).toBeGreaterThan(0);
  });

  it("another account's ids among them are read on their own and answer 403; the others still end by sweeps", async () => {
    const simulator = await sim.start({ otherApiKeys: ['gk_other_account'] });
    const ids = Array.from({ length: 6 }, (_, index) => simulator.script(timeline(index)));
    const foreign = [0, 1].map((index) => simulator.script(timeline(index), { apiKey: 'gk_other_account' }));
    const streams = await follow(simulator, [...ids, ...foreign], sim);
    for (const statuses of streams.slice(ids.length)) expect(statuses.map((generation) => generation.status)).toEqual(['error FORBIDDEN']);
    for (const [index, statuses] of streams.slice(0, ids.length).entries()) expect(statuses.at(-1)!.status).toBe(simulator.outcomeOf(ids[index]!)!.status);
    expect(simulator.stats().listRequests).toBeGreaterThan(0);
  });

  it('sweeps: false polls every id on its own', async () => {
    const simulator = await sim.start();
    const ids = Array.from({ length: 4 }, (_, index) => simulator.script(timeline(index)));
    await follow(simulator, ids, sim, { sweeps: false });
    expect(simulator.stats().listRequests).toBe(0);
  });
});
