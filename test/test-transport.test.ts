import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { completed, createTestGenlook, createTestTransport, pending } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const get = (signal: AbortSignal) => ({ method: 'GET' as const, url: 'https://api.genlook.test/tryon/v1/generations/g1', headers: {}, signal, timeout: 10_000 });

describe('genlook-rx/testing: the test transport records what a server would see', () => {
  it('a request is aborted when its signal fires, at that virtual time, and its answer is never delivered', () => {
    testScheduler().run(({ flush }) => {
      const transport = createTestTransport({ latency: 1_000, timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
      const controller = new AbortController();
      const answers: unknown[] = [];
      from(transport.request(get(controller.signal))).subscribe((answer) => answers.push(answer));
      flush();
      expect(transport.requests[0]).toMatchObject({ aborted: false, answeredAt: 1_000 });

      const second = new AbortController();
      from(transport.request(get(second.signal))).subscribe((answer) => answers.push(answer));
      second.abort();
      flush();
      expect(transport.requests[1]).toMatchObject({ aborted: true, abortedAt: 1_000, answeredAt: undefined, status: undefined });
      expect(answers).toHaveLength(1);
    });
  });

  it('a subscriber that leaves without aborting the signal leaves the request not aborted (a real one would still run)', () => {
    testScheduler().run(({ flush }) => {
      const transport = createTestTransport({ latency: 1_000, timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
      from(transport.request(get(new AbortController().signal))).subscribe().unsubscribe();
      flush();
      expect(transport.requests[0]).toMatchObject({ aborted: false, abortedAt: undefined, answeredAt: undefined });
    });
  });

  it("the client's unsubscribe fires the signal of the poll in flight (src/http/exchange.ts aborts it)", () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const { genlook, requests } = createTestGenlook({ cadence: 'fixed', latency: 1_000, timelines: { g1: [{ at: 0, answer: pending('g1') }] } });
      // Polls at 0 (answered at 1000) and 3000, in flight when the subscriber leaves at 3501 ('^' is frame 0).
      expectObservable(genlook.generation$('g1'), '^ 3500ms !').toBe('1000ms p', { p: pending('g1') });
      flush();
      expect(requests.map((request) => [request.sentAt, request.aborted, request.abortedAt])).toEqual([
        [0, false, undefined],
        [3_000, true, 3_501],
      ]);
    });
  });

  it('requestTimeout fires the signal of a request the server does not answer in time', () => {
    testScheduler().run(({ flush }) => {
      const { genlook, requests } = createTestGenlook({ retry: false, requestTimeout: 500, latency: 2_000, timelines: { g1: [{ at: 0, answer: completed('g1') }] } });
      genlook.generation$('g1').subscribe({ error: () => undefined });
      flush();
      expect(requests).toMatchObject([{ sentAt: 0, aborted: true, abortedAt: 500, answeredAt: undefined }]);
    });
  });
});

describe('genlook-rx/testing: payloads dated on the virtual clock', () => {
  it('the factories date a generation at virtual time 0, so the test client runs the adaptive cadence production runs', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      expect(pending('g1')).toMatchObject({ createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() });
      const { genlook, requests } = createTestGenlook({ timelines: { g1: [{ at: 0, answer: pending('g1') }, { at: 5_000, answer: completed('g1') }] } });
      // The TSDoc example of createTestGenlook: a young PENDING is next polled at 6774, not at 2000.
      expectObservable(genlook.generation$('g1')).toBe('p 6773ms (c|)', { p: pending('g1'), c: completed('g1') });
      flush();
      expect(requests.map((request) => request.sentAt)).toEqual([0, 6_774]);
    });
  });
});
