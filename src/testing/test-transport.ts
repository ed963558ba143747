import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import type { Generation, Transport, TransportRequest, TransportResponse } from '../internal.js';

/** A raw HTTP answer, for errors and malformed bodies. */
export interface HttpAnswer {
  status: number;
  /** A string is sent as is; anything else as JSON. @default '' */
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the server answers: a generation (200 JSON) or a raw HTTP answer. */
export type ServerAnswer = Generation | HttpAnswer;

/** From `at` ms (virtual time since the transport was made) on, the server answers `answer`. */
export interface TimelineStep {
  at: number;
  answer: ServerAnswer;
}

/** A generation's server-side history, or a function of the request count and the time. */
export type Timeline = readonly TimelineStep[] | ((context: { now: number; count: number }) => ServerAnswer);

/** One request the test transport received. */
export interface RecordedRequest {
  method: 'GET' | 'POST';
  url: string;
  /** The generation id for `GET /generations/{id}`, decoded. */
  generationId: string | undefined;
  headers: Record<string, string>;
  body: string | undefined;
  /** Virtual time the request was sent. */
  sentAt: number;
  /** Virtual time the answer was delivered, if it was. */
  answeredAt: number | undefined;
  /** The status answered, if it was. */
  status: number | undefined;
  /**
   * True when the request's `signal` fired before the answer: the client aborted it (unsubscribed while
   * it was in flight, `requestTimeout`, or `close()`), as a real server would see the connection go.
   */
  aborted: boolean;
  /** Virtual time the signal fired, if it did before the answer. */
  abortedAt: number | undefined;
}

/** Settings of `createTestTransport`. */
export interface TestTransportOptions {
  /** Server history per generation id; other ids get 404 `GENERATION_NOT_FOUND`. */
  timelines?: Record<string, Timeline>;
  /** Virtual time from request to answer, in ms. @default 0 */
  latency?: number | ((request: RecordedRequest) => number);
  /** Answers `POST /try-on`. @default 404 */
  onCreate?: (body: unknown, request: RecordedRequest) => ServerAnswer;
  /** @default asyncScheduler (virtual inside TestScheduler.run) */
  scheduler?: SchedulerLike;
  /**
   * Virtual ms after which a request stops the run with an error that says how to bound the stream: a
   * poll that never ends would otherwise make `TestScheduler`'s synchronous flush loop forever (no test
   * timeout can fire during it). `Infinity` turns it off. @default 3600000 (one virtual hour)
   */
  horizon?: number;
}

/** The default `horizon`: one virtual hour. */
const DEFAULT_HORIZON = 60 * 60 * 1000;

/** A transport that answers in RxJS virtual time, recording each request. */
export interface TestTransport extends Transport {
  readonly requests: RecordedRequest[];
  /** Requests for one generation id. */
  requestsFor(id: string): RecordedRequest[];
  /** Changes or adds a generation's timeline. */
  setTimeline(id: string, timeline: Timeline): void;
}

/**
 * A `Transport` for tests: answers from per-id timelines after `latency` virtual ms, as an
 * Observable on the scheduler (so `TestScheduler` drives it synchronously), and records every request.
 */
export function createTestTransport(options: TestTransportOptions = {}): TestTransport {
  const { latency = 0, onCreate, scheduler = asyncScheduler, horizon = DEFAULT_HORIZON } = options;
  if (!(horizon > 0)) throw new TypeError(`Expected \`horizon\` to be a positive number of virtual ms, got ${String(horizon)}`);
  const timelines = new Map(Object.entries(options.timelines ?? {}));
  const origin = scheduler.now();
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();

  const answerFor = (record: RecordedRequest, now: number): ServerAnswer => {
    if (record.method === 'POST') {
      return onCreate ? onCreate(record.body === undefined ? undefined : JSON.parse(record.body), record) : { status: 404, body: { code: 'NOT_FOUND', message: 'Not found', status: 404 } };
    }
    const id = record.generationId;
    const timeline = id === undefined ? undefined : timelines.get(id);
    if (timeline === undefined) return { status: 404, body: { code: 'GENERATION_NOT_FOUND', message: 'Generation not found', status: 404 } };
    const count = (counts.get(id!) ?? 0) + 1;
    counts.set(id!, count);
    if (typeof timeline === 'function') return timeline({ now, count });
    let answer: ServerAnswer | undefined;
    for (const step of timeline) if (step.at <= now) answer = step.answer;
    return answer ?? { status: 404, body: { code: 'GENERATION_NOT_FOUND', message: 'Generation not found yet', status: 404 } };
  };

  return {
    requests,
    requestsFor: (id) => requests.filter((request) => request.generationId === id),
    setTimeline: (id, timeline) => void timelines.set(id, timeline),
    request(request: TransportRequest) {
      return new Observable<TransportResponse>((subscriber) => {
        const match = /\/generations\/([^/?#]+)$/.exec(new URL(request.url, 'http://relative.test').pathname);
        const record: RecordedRequest = {
          method: request.method,
          url: request.url,
          generationId: match ? decodeURIComponent(match[1]!) : undefined,
          headers: request.headers,
          body: request.body,
          sentAt: scheduler.now() - origin,
          answeredAt: undefined,
          status: undefined,
          aborted: false,
          abortedAt: undefined,
        };
        requests.push(record);
        if (record.sentAt > horizon) {
          // Thrown from a scheduled action: TestScheduler's flush stops and rethrows it (an error sent to
          // the subscriber would only be retried).
          const error = new Error(runawayMessage(record, horizon));
          return scheduler.schedule(() => {
            throw error;
          });
        }
        const answer = toResponse(answerFor(record, record.sentAt));
        const delay = typeof latency === 'function' ? latency(record) : latency;
        // An abort is what the signal says, not an unsubscription: a client that stopped listening
        // without aborting would leave a real request running, and a test must see that.
        const { signal } = request;
        const onAbort = () => {
          record.aborted = true;
          record.abortedAt = scheduler.now() - origin;
          timer.unsubscribe();
        };
        const timer = scheduler.schedule(() => {
          signal.removeEventListener('abort', onAbort);
          record.answeredAt = scheduler.now() - origin;
          record.status = answer.status;
          subscriber.next(answer);
          subscriber.complete();
        }, delay);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
        return () => timer.unsubscribe();
      });
    },
  };
}

function runawayMessage(record: RecordedRequest, horizon: number): string {
  const what = record.generationId === undefined ? `${record.method} ${record.url}` : `a poll of '${record.generationId}'`;
  return (
    `genlook-rx/testing: ${what} went out at ${record.sentAt} virtual ms, past the test horizon (${horizon} ms): a stream that never ends is being flushed. ` +
    "Bound it: an unsubscription marble ('^ 9999ms !'), takeUntil(timer(...)), take(n), or a timeline that reaches COMPLETED or FAILED; or raise the `horizon` option."
  );
}

function toResponse(answer: ServerAnswer): TransportResponse {
  if ('generationId' in answer) return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) };
  const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = value;
  return { status: answer.status, headers, body };
}
