import { afterEach } from 'vitest';
import { createGenlook, type Genlook, type GenlookOptions } from '../../src/index.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';

/**
 * Starts simulators (time scale 0.02: a 10 s try-on takes 200 ms; no rate limit unless asked) and
 * clients (20 ms polls, no budget unless asked) for one test file; all are closed after each test.
 */
export function useSimulator() {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).reverse().map((item) => item.close()));
  });
  return {
    async start(options: SimulatorOptions = {}): Promise<Simulator> {
      const simulator = await startSimulator({ timeScale: 0.02, rateLimit: false, ...options });
      open.push(simulator);
      return simulator;
    },
    client(simulator: Simulator, options: GenlookOptions = {}): Genlook {
      const genlook = createGenlook({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, pollInterval: 20, rateLimit: false, ...options });
      open.unshift(genlook);
      return genlook;
    },
  };
}

/** A valid try-on request; `marker` goes into `externalUserId` (e.g. `sim:fail:CODE`). */
export function tryOnRequest(marker = 'shopper-1') {
  return {
    products: [{ externalId: 'sku-1' }],
    person: { image: { source: { url: 'https://images.example/person.jpg' } } },
    externalUserId: marker,
  };
}

/** Resolves after `ms` of real time (for end-to-end specs only). */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `fact()` holds (checked every 5 ms), or rejects after `within` ms naming it: a test waits
 * for what the server saw, not for a guess at how long it takes on a loaded machine.
 */
export async function until(fact: () => boolean, what: string, within = 10_000): Promise<void> {
  const deadline = Date.now() + within;
  while (!fact()) {
    if (Date.now() > deadline) throw new Error(`Still waiting after ${within} ms for: ${what}`);
    await sleep(5);
  }
}
