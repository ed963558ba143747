import { asyncScheduler } from 'rxjs';
import { createGenlook, type Genlook, type GenlookOptions } from '../internal.js';
import { createTestTransport, type TestTransport, type TestTransportOptions } from './test-transport.js';

/** Settings of `createTestGenlook`: the client's options (but `transport`) and the test server's. */
export interface TestGenlookOptions extends Omit<GenlookOptions, 'transport'>, Omit<TestTransportOptions, 'scheduler'> {}

/** A client wired to a `TestTransport`, and the transport, whose `requests` a test asserts on. */
export interface TestGenlook {
  genlook: Genlook;
  transport: TestTransport;
  /** Every request so far (the transport's log). */
  requests: TestTransport['requests'];
}

/**
 * A real client (real polling, budget, retry, timeout, sharing and cadence logic) whose server is a set
 * of per-id timelines answered in RxJS virtual time. Defaults: key `gk_test`, retries without jitter
 * (deterministic marbles), the production cadence (the factories date generations at virtual time 0, so
 * the adaptive cadence sees their true age; `cadence: 'fixed'` polls every `pollInterval`), and a
 * horizon of one virtual hour: a request past it stops the run with an error that says how to bound the
 * stream (instead of a flush that never returns).
 *
 * @example
 * ```ts
 * testScheduler.run(({ expectObservable }) => {
 *   const { genlook } = createTestGenlook({ timelines: { g1: [{ at: 0, answer: pending('g1') }, { at: 5000, answer: completed('g1') }] } });
 *   // A young PENDING is next polled when an outcome is likely: 6774 virtual ms at the default 2 s.
 *   expectObservable(genlook.generation$('g1')).toBe('p 6773ms (c|)', { p: pending('g1'), c: completed('g1') });
 * });
 * ```
 */
export function createTestGenlook(options: TestGenlookOptions = {}): TestGenlook {
  const { timelines, latency, onCreate, horizon, ...clientOptions } = options;
  const scheduler = clientOptions.scheduler ?? asyncScheduler;
  const transport = createTestTransport({ timelines, latency, onCreate, scheduler, horizon } as TestTransportOptions);
  const genlook = createGenlook({
    apiKey: 'gk_test',
    baseUrl: 'https://api.genlook.test/tryon/v1',
    ...clientOptions,
    retry: clientOptions.retry ?? { jitter: false },
    // Its timelines answer single reads: every watched id is polled on its own, as the marbles say.
    sweeps: clientOptions.sweeps ?? false,
    transport,
  });
  return { genlook, transport, requests: transport.requests };
}

/** The same as `createTestGenlook`, for those who look for "a test client". */
export const createTestClient = createTestGenlook;
