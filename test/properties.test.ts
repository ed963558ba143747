import fc from 'fast-check';
import { inspect } from 'node:util';
import { Observable, of, takeUntil, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createGenlook, type Generation, generationSchema, isGenlookError, type Transport, type TransportRequest, type TransportResponse } from '../src/index.js';
import { completed, createTestGenlook, failed, pending } from '../src/testing/index.js';
import { Cadence, DurationModel } from '../src/polling/cadence.js';
import { testScheduler } from './helpers/marbles.js';
import { recordingScheduler } from './helpers/recording-scheduler.js';

const BASE = 'https://api.genlook.app/tryon/v1';

/** Runs `generation$` against `answers` (one per request, the last repeating) for at most 30 virtual minutes. */
function runAgainst(answers: TransportResponse[], retry = { count: 3, maxRetryAfter: 60_000 }) {
  const emitted: Generation[] = [];
  const requests: TransportRequest[] = [];
  let error: unknown;
  let completed = false;
  const scheduler = recordingScheduler();
  testScheduler().run(({ flush }) => {
    const transport: Transport = { request: (request) => (requests.push(request), of(answers[Math.min(requests.length, answers.length) - 1]!)) };
    const genlook = createGenlook({ apiKey: 'gk_prop', baseUrl: BASE, transport, scheduler, retry });
    genlook
      .generation$('gen_1')
      .pipe(takeUntil(timer(30 * 60_000)))
      .subscribe({ next: (value) => emitted.push(value), error: (caught) => (error = caught), complete: () => (completed = true) });
    flush();
  });
  return { emitted, requests, error, completed, delays: scheduler.delays };
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const generationLike = fc.record(
  {
    generationId: fc.oneof(fc.constant('gen_1'), fc.string()),
    status: fc.oneof(fc.constantFrom('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'), fc.string(), fc.integer()),
    resultImageUrl: fc.oneof(fc.webUrl(), fc.constant(null), fc.integer()),
    errorCode: fc.oneof(fc.string(), fc.constant(null)),
    createdAt: fc.oneof(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), fc.integer()),
    updatedAt: fc.constant('2026-01-01T00:00:00Z'),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constantFrom(JSON.stringify(pending('gen_1')), JSON.stringify(pending('gen_1', { status: 'PROCESSING' })), JSON.stringify(completed('gen_1')), JSON.stringify(failed('gen_1', 'E'))),
  jsonValue.map((value) => JSON.stringify(value)),
  generationLike.map((value) => JSON.stringify(value)),
  generationLike.map((value) => JSON.stringify(value).slice(0, 20)),
  fc.string(),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constant(''),
  fc.constant(JSON.stringify({ code: 'RATE_LIMITED', message: 'slow down', status: 429 })),
);
const retryAfter = fc.oneof(
  fc.constant(undefined),
  fc.nat().map(String),
  fc.integer({ min: -1_000_000, max: -1 }).map(String),
  fc.constant('99999999999999999999'),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  fc.string(),
);
const arbitraryResponse = fc.record({
  status: fc.oneof(
    { weight: 4, arbitrary: fc.constant(200) },
    { weight: 2, arbitrary: fc.constantFrom(201, 204, 301, 302, 400, 401, 402, 403, 404, 408, 429, 500, 502, 503) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 599 }) },
  ),
  body,
  retryAfter,
});
const validResponse = fc.record({
  status: fc.constant(200),
  body: fc.constantFrom(JSON.stringify(pending('gen_1')), JSON.stringify(pending('gen_1', { status: 'PROCESSING' })), JSON.stringify(pending('gen_1', { status: 'NEW_STATUS' })), JSON.stringify(completed('gen_1'))),
  retryAfter: fc.constant(undefined),
});
// Half valid answers, so that runs reach completion and steady polling as well as every error path.
const response = fc.oneof(validResponse, arbitraryResponse);
const toResponse = ({ status, body: text, retryAfter: after }: { status: number; body: string; retryAfter: string | undefined }): TransportResponse => ({
  status,
  headers: after === undefined ? {} : { 'retry-after': after },
  body: text,
});

describe('properties: arbitrary responses', () => {
  it('only ever produce valid generations or typed errors, never a hang, never a timer outside its clamps', () => {
    const endings = { completed: 0, errored: 0, polling: 0 };
    fc.assert(
      fc.property(fc.array(response, { minLength: 1, maxLength: 8 }), (answers) => {
        const run = runAgainst(answers.map(toResponse));
        endings[run.error !== undefined ? 'errored' : run.emitted.at(-1)?.status === 'COMPLETED' ? 'completed' : 'polling']++;
        for (const value of run.emitted) expect(generationSchema.safeParse(value).success).toBe(true);
        if (run.error !== undefined) {
          expect(isGenlookError(run.error)).toBe(true);
          expect(run.error).not.toBeInstanceOf(TypeError);
        }
        // Ended (completed or errored), or still polling a valid non-terminal generation at the normal cadence.
        if (!run.completed && run.error === undefined) expect(run.emitted.length).toBeGreaterThan(0);
        for (const delay of run.delays) {
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(60_000 + 500);
        }
        // Never a hot loop: at most one request per virtual second on average over 30 minutes.
        expect(run.requests.length).toBeLessThanOrEqual(30 * 60);
      }),
      { numRuns: 300 },
    );
    // The generators reach every ending, not only errors.
    expect(endings.completed).toBeGreaterThan(0);
    expect(endings.polling).toBeGreaterThan(0);
    expect(endings.errored).toBeGreaterThan(0);
  });
});

describe('properties: arbitrary ids', () => {
  it('are refused before any request, or sent percent-encoded as one segment under /generations/', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('..', '.', '../account', '%2e%2e', 'a/../../b', '\r\n', '?x', '#y')), (id) => {
        const seen: string[] = [];
        const transport: Transport = { request: (request) => (seen.push(request.url), of({ status: 404, headers: {}, body: '' })) };
        let caught: unknown;
        testScheduler().run(({ flush }) => {
          createGenlook({ apiKey: 'gk_prop', baseUrl: BASE, transport, retry: false }).generation$(id).subscribe({ error: (e) => (caught = e) });
          flush();
        });
        if (seen.length === 0) {
          expect(caught).toMatchObject({ code: 'INVALID_ID' });
          return;
        }
        const url = new URL(seen[0]!);
        expect(url.origin + url.pathname.slice(0, '/tryon/v1/generations/'.length)).toBe(`${BASE}/generations/`);
        const segment = url.pathname.slice('/tryon/v1/generations/'.length);
        expect(segment).not.toContain('/');
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
        expect(decodeURIComponent(segment)).toBe(id);
      }),
      { numRuns: 500 },
    );
  });
});

describe('properties: arbitrary status sequences', () => {
  const statuses = fc.array(fc.oneof(fc.constantFrom('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'), fc.constantFrom('QUEUED', 'UPSCALING', 'pending')), { minLength: 1, maxLength: 12 });

  it('emit exactly the distinct-status rule and end only on a terminal status', () => {
    fc.assert(
      fc.property(statuses, (sequence) => {
        const emitted: string[] = [];
        let error: unknown;
        let completed = false;
        testScheduler().run(({ flush }) => {
          const answer = (count: number) => {
            const status = sequence[Math.min(count, sequence.length) - 1]!;
            return status === 'COMPLETED' ? pending('gen_1', { status, resultImageUrl: 'https://x/y.png' }) : pending('gen_1', { status, errorCode: status === 'FAILED' ? 'E' : undefined });
          };
          const { genlook } = createTestGenlook({ rateLimit: false, timelines: { gen_1: ({ count }) => answer(count) } });
          genlook
            .generation$('gen_1')
            .pipe(takeUntil(timer(sequence.length * 2_000 + 10_000)))
            .subscribe({ next: (value) => emitted.push(value.status), error: (caught) => (error = caught), complete: () => (completed = true) });
          flush();
        });
        const end = sequence.findIndex((status) => status === 'COMPLETED' || status === 'FAILED');
        const seen = end === -1 ? sequence : sequence.slice(0, end + 1);
        // The model of the rule: a status passes when it differs from the last passed and, if known, is
        // not earlier than any known status passed before (PENDING < PROCESSING < COMPLETED/FAILED).
        const rank = (status: string) => ({ PENDING: 0, PROCESSING: 1, COMPLETED: 2, FAILED: 2 })[status];
        const expected: string[] = [];
        let highest = -1;
        for (const status of seen) {
          const known = rank(status);
          if (status === expected.at(-1) || (known !== undefined && known < highest)) continue;
          if (known !== undefined) highest = known;
          if (status !== 'FAILED') expected.push(status);
        }
        expect(emitted).toEqual(expected);
        if (end === -1) {
          expect(error).toBeUndefined();
          expect(completed).toBe(true); // only through takeUntil: the stream itself never ended
        } else if (sequence[end] === 'COMPLETED') expect(completed).toBe(true);
        else expect(error).toMatchObject({ code: 'GENERATION_FAILED' });
      }),
      { numRuns: 300 },
    );
  });
});

describe('properties: the API key', () => {
  const key = fc.stringMatching(/^gk_[A-Za-z0-9]{8,40}$/);
  const hostile = fc.constantFrom('network', 'echo401', 'echoBody', 'echoSchema', 'echo5xx', 'echoId', 'throwSync');

  it('never appears in any error message, stack, toString, JSON or inspect', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(key, hostile, async (apiKey, kind) => {
        runs++;
        const request = (req: TransportRequest): Promise<TransportResponse> | Observable<TransportResponse> => {
          switch (kind) {
            case 'network':
              return Promise.reject(Object.assign(new Error(`ECONNRESET while sending ${JSON.stringify(req.headers)}`), { code: 'ECONNRESET' }));
            case 'echo401':
              return Promise.resolve({ status: 401, headers: {}, body: JSON.stringify({ code: 'INVALID_API_KEY', message: `bad key ${apiKey}`, status: 401 }) });
            case 'echoBody':
              return Promise.resolve({ status: 200, headers: {}, body: `not json ${apiKey}` });
            case 'echoSchema':
              return Promise.resolve({ status: 200, headers: {}, body: JSON.stringify({ generationId: apiKey }) });
            case 'echo5xx':
              return Promise.resolve({ status: 503, headers: { 'x-key': apiKey }, body: JSON.stringify({ code: apiKey, message: apiKey, status: 503 }) });
            case 'echoId':
              return Promise.resolve({ status: 200, headers: {}, body: JSON.stringify(pending(apiKey)) });
            default:
              throw new Error(`sync failure with ${apiKey}`);
          }
        };
        const genlook = createGenlook({ apiKey, baseUrl: BASE, retry: false, transport: { request } });
        const error = await genlook.retrieve('gen_1').catch((caught: unknown) => caught);
        expect(isGenlookError(error)).toBe(true);
        for (const text of [String(error), (error as Error).message, (error as Error).stack, JSON.stringify(error), inspect(error, { depth: 8, showHidden: true })]) {
          expect(text).not.toContain(apiKey);
        }
      }),
      { numRuns: 200 },
    );
    expect(runs).toBe(200);
  });
});

describe('pollInterval is a floor (the adaptive cadence only stretches gaps)', () => {
  const STATUSES = ['PENDING', 'PROCESSING', 'QUEUED'] as const;

  it('the cadence never waits less than pollInterval after a pending answer, whatever it learned and however old the generation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 200_000 }), { maxLength: 40 }),
        fc.array(fc.record({ status: fc.constantFrom(...STATUSES), age: fc.integer({ min: -60_000, max: 3_600_000 }) }), { minLength: 1, maxLength: 30 }),
        (pollInterval, gapIntervals, durations, answers) => {
          const cadence = new Cadence(new DurationModel());
          for (const duration of durations) cadence.model.observe(duration);
          const now = 10_000_000;
          for (const { status, age } of answers) {
            const stamp = new Date(now - age).toISOString();
            const answer: Generation = { ...pending('g1'), status, createdAt: stamp, updatedAt: stamp };
            const options = { pollInterval, maxGap: pollInterval * gapIntervals, isAdaptive: true };
            expect(cadence.delayAfter(answer, options, now)).toBeGreaterThanOrEqual(pollInterval);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('no id is read more often than once per pollInterval: every request starts at least pollInterval after the previous answer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 3_000 }),
        fc.array(fc.record({ status: fc.constantFrom(...STATUSES), latency: fc.integer({ min: 0, max: 2_000 }) }), { minLength: 2, maxLength: 12 }),
        (pollInterval, script) => {
          testScheduler().run(({ flush }) => {
            let sent = 0;
            const { genlook, requests } = createTestGenlook({
              pollInterval,
              rateLimit: false,
              latency: () => script[Math.min(sent++, script.length - 1)]!.latency,
              // Created at virtual time 0: the adaptive cadence is on (its clock is the test's).
              timelines: { g1: ({ count }) => ({ ...pending('g1'), status: script[Math.min(count - 1, script.length - 1)]!.status, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() }) },
            });
            genlook.generation$('g1').pipe(takeUntil(timer(12 * (4 * pollInterval + 2_000)))).subscribe();
            flush();
            for (let index = 1; index < requests.length; index++) {
              expect(requests[index]!.sentAt - requests[index - 1]!.answeredAt!).toBeGreaterThanOrEqual(pollInterval);
            }
            expect(requests.length).toBeGreaterThan(1);
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
