import { lastValueFrom, type Observable, of, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createGenlook, GenerationFailedError, GenlookApiError, type Generation, type Transport } from '../src/index.js';
import { completed, failed, pending, processing } from '../src/testing/index.js';

/** An EventSource the test drives by hand: what a browser's would dispatch for the proxy's stream. */
class ScriptedEventSource {
  static made: ScriptedEventSource[] = [];
  readyState = 0;
  closed = false;
  private readonly listeners = new Map<string, Array<(event: { data?: unknown }) => void>>();
  constructor(readonly url: string) {
    ScriptedEventSource.made.push(this);
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  dispatch(type: string, data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    for (const listener of this.listeners.get(type) ?? []) listener({ data: data === undefined ? undefined : JSON.stringify(data) });
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    for (const listener of this.listeners.get('error') ?? []) listener({});
  }
}

const transportAnswering = (generation: Generation): Transport & { calls: number } => {
  const transport = {
    calls: 0,
    request: () => {
      transport.calls++;
      return of({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(generation) });
    },
  };
  return transport;
};

describe('the browser client on a genlook-rx/proxy event stream (eventStream)', () => {
  const global = globalThis as { EventSource?: unknown };
  afterEach(() => {
    delete global.EventSource;
    ScriptedEventSource.made = [];
  });
  // On Node a relative baseUrl needs a transport, which turns 'auto' off: these clients say eventStream:
  // true (test/browser/browser.test.ts runs 'auto' in Chromium). The transport answers only fallbacks.
  const unused = transportAnswering(pending('unused'));
  const client = (options: Parameters<typeof createGenlook>[0] = {}) => {
    global.EventSource = ScriptedEventSource;
    return createGenlook({ baseUrl: '/api/genlook', rateLimit: false, pollInterval: 10, cadence: 'fixed', transport: unused, eventStream: true, ...options });
  };
  const collect = (stream: Observable<Generation>) => lastValueFrom(stream.pipe(toArray())).then((values) => ({ values }), (error: unknown) => ({ error }));

  it('follows status events, then the end: the completed generation, and closes the stream', async () => {
    const genlook = client();
    const done = collect(genlook.generation$('gen_1'));
    const [source] = ScriptedEventSource.made;
    expect(source!.url).toBe('/api/genlook/generations/gen_1/events');
    source!.dispatch('open');
    source!.dispatch('status', pending('gen_1'));
    source!.dispatch('status', processing('gen_1'));
    // A stale or repeated status, and one about another id, are not emitted.
    source!.dispatch('status', pending('gen_1'));
    source!.dispatch('status', processing('gen_2'));
    source!.dispatch('health', { status: 'retrying', since: 1, code: 'NETWORK_ERROR' });
    source!.dispatch('end', { outcome: 'completed', generation: completed('gen_1') });
    expect(await done).toEqual({ values: [pending('gen_1'), processing('gen_1'), completed('gen_1')] });
    expect(source!.closed).toBe(true);
    await genlook.close();
  });

  it("a failed end is GenerationFailedError with the server's code; an error end is a GenlookApiError with the proxy's code", async () => {
    const genlook = client();
    const failedRun = collect(genlook.generation$('gen_1'));
    ScriptedEventSource.made[0]!.dispatch('open');
    ScriptedEventSource.made[0]!.dispatch('end', { outcome: 'failed', generation: failed('gen_1', 'PRODUCT_IMAGE_FETCH_FAILED', 'no image') });
    const { error } = (await failedRun) as { error: GenerationFailedError };
    expect(error).toBeInstanceOf(GenerationFailedError);
    expect(error.errorCode).toBe('PRODUCT_IMAGE_FETCH_FAILED');
    const errorRun = collect(genlook.generation$('gen_2'));
    ScriptedEventSource.made[1]!.dispatch('open');
    ScriptedEventSource.made[1]!.dispatch('end', { outcome: 'error', error: { status: 404, code: 'GENERATION_NOT_FOUND', message: 'No such generation' } });
    const apiError = ((await errorRun) as { error: GenlookApiError }).error;
    expect(apiError).toBeInstanceOf(GenlookApiError);
    expect(apiError).toMatchObject({ status: 404, code: 'GENERATION_NOT_FOUND' });
    await genlook.close();
  });

  it('a reconnect in progress (CONNECTING) is left to the EventSource; unsubscribing closes it', async () => {
    const genlook = client();
    const seen: string[] = [];
    const watching = genlook.generation$('gen_1').subscribe({ next: (generation) => seen.push(generation.status), error: () => seen.push('error') });
    const [source] = ScriptedEventSource.made;
    source!.dispatch('open');
    source!.dispatch('status', pending('gen_1'));
    source!.fail(0);
    expect(source!.closed).toBe(false);
    expect(seen).toEqual(['PENDING']);
    watching.unsubscribe();
    expect(source!.closed).toBe(true);
    await genlook.close();
  });

  it('no event stream at the baseUrl (closed before it opened): the id is polled instead, and the next id is polled at once', async () => {
    const transport = transportAnswering(completed('gen_1'));
    const genlook = client({ transport });
    const first = collect(genlook.generation$('gen_1'));
    ScriptedEventSource.made[0]!.fail(2);
    expect(await first).toEqual({ values: [completed('gen_1')] });
    expect(transport.calls).toBe(1);
    await collect(genlook.generation$('gen_1'));
    expect(ScriptedEventSource.made).toHaveLength(1);
    expect(transport.calls).toBe(2);
    await genlook.close();
  });

  it("is off where it cannot apply: an absolute baseUrl, a custom transport, eventStream: false, or no EventSource", async () => {
    const transport = transportAnswering(completed('gen_1'));
    for (const options of [{ baseUrl: 'http://127.0.0.1:1/tryon/v1', apiKey: 'gk_test_1', transport, eventStream: 'auto' as const }, { transport, eventStream: 'auto' as const }, { transport, eventStream: false as const }]) {
      const genlook = client(options);
      expect(await collect(genlook.generation$('gen_1'))).toEqual({ values: [completed('gen_1')] });
      await genlook.close();
    }
    delete global.EventSource;
    const genlook = createGenlook({ baseUrl: '/api/genlook', rateLimit: false, transport, eventStream: true });
    expect(await collect(genlook.generation$('gen_1'))).toEqual({ values: [completed('gen_1')] });
    expect(ScriptedEventSource.made).toHaveLength(0);
    expect(() => createGenlook({ eventStream: 'yes' as never })).toThrow(/^Expected `eventStream` to be true, false or 'auto', got /);
    await genlook.close();
  });
});
