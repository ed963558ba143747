import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { concat, lastValueFrom, NEVER, of, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { type ConnectionHealth, GenerationFailedError, GenerationTimeoutError, GenlookApiError, GenlookValidationError, type Genlook, type Transport } from '../src/index.js';
import { GENLOOK, GenlookModule, generationEvents, InjectGenlook, tryOnException } from '../src/nestjs/index.js';
import { completed, failed, pending, processing } from '../src/testing/index.js';
import { testScheduler } from './helpers/marbles.js';

const eventsOf = (source: Parameters<typeof generationEvents>[0], lastEventId?: string) => lastValueFrom(generationEvents(source, { lastEventId }).pipe(toArray()));
const notFound = new GenlookApiError({ status: 404, code: 'GENERATION_NOT_FOUND', serverMessage: 'No generation gen_1', request: 'GET https://api.genlook.test/tryon/v1/generations/gen_1' });

describe('generationEvents: a generation as @Sse() events', () => {
  it('sends a status event per status with the status as its id, then an end event, then completes', async () => {
    const events = await eventsOf(of(pending('gen_1'), processing('gen_1'), completed('gen_1')));
    expect(events.map(({ type, id }) => [type, id])).toEqual([['status', 'PENDING'], ['status', 'PROCESSING'], ['status', 'COMPLETED'], ['end', 'end']]);
    expect(events.at(-1)!.data).toEqual({ outcome: 'completed', generationId: 'gen_1', resultImageUrl: completed('gen_1').resultImageUrl });
  });

  it('a FAILED try-on is the final end event with the server\'s code, not an error of the stream', async () => {
    const events = await eventsOf(concat(of(pending('gen_1')), throwError(() => new GenerationFailedError(failed('gen_1', 'PERSON_NOT_DETECTED', 'No person')))));
    expect(events.at(-1)).toEqual({ type: 'end', id: 'end', data: { outcome: 'failed', generationId: 'gen_1', errorCode: 'PERSON_NOT_DETECTED', errorMessage: 'No person' } });
  });

  it('any other error is the end event with its code and a fixed line: nothing of the upstream request', async () => {
    const events = await eventsOf(throwError(() => notFound));
    expect(events).toEqual([{ type: 'end', id: 'end', data: { outcome: 'error', code: 'GENERATION_NOT_FOUND', message: 'No such generation' } }]);
    expect(JSON.stringify(events)).not.toContain('genlook.test');
    const other = await eventsOf(throwError(() => new TypeError('boom at /secret/path')));
    expect(other[0]!.data).toEqual({ outcome: 'error', code: 'UNEXPECTED_ERROR', message: 'Something went wrong' });
  });

  it('a resume with Last-Event-ID is not sent a status again; after the end it is sent only the end', async () => {
    const source = () => of(pending('gen_1'), processing('gen_1'), completed('gen_1'));
    expect((await eventsOf(source(), 'PENDING')).map((event) => event.id)).toEqual(['PROCESSING', 'COMPLETED', 'end']);
    expect((await eventsOf(source(), 'COMPLETED')).map((event) => event.id)).toEqual(['end']);
    expect((await eventsOf(source(), 'end')).map((event) => event.id)).toEqual(['end']);
    expect((await eventsOf(source(), 'not-ours')).map((event) => event.id)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED', 'end']);
  });
});

describe('generationEvents: the client health as health events', () => {
  it('sends a health event when the API stops answering and when it answers again (a leading ok is not sent), with the last status as its id', () => {
    testScheduler().run(({ cold, hot, expectObservable }) => {
      const retrying = { status: 'retrying', since: 1_000, code: 'NETWORK_ERROR' } as const;
      const ok = { status: 'ok' } as const;
      const health$ = hot<ConnectionHealth>('a 999ms b 1999ms a', { a: ok, b: retrying });
      const events = generationEvents(cold('a 4999ms b|', { a: pending('gen_1'), b: completed('gen_1') }), { keepAlive: false, health$ });
      expectObservable(events).toBe('p 999ms r 1999ms o 1999ms s (e|)', {
        p: { type: 'status', id: 'PENDING', data: pending('gen_1') },
        r: { type: 'health', id: 'PENDING', data: retrying },
        o: { type: 'health', id: 'PENDING', data: ok },
        s: { type: 'status', id: 'COMPLETED', data: completed('gen_1') },
        e: { type: 'end', id: 'end', data: { outcome: 'completed', generationId: 'gen_1', resultImageUrl: completed('gen_1').resultImageUrl } },
      });
    });
  });
});

describe('generationEvents: keepalives on an idle stream', () => {
  it('sends a keepalive every 15 s while nothing happens, with the last status sent as its id; none after the end', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      // PENDING at once, then nothing for 40 s (a long PENDING, an outage): keepalives at 15 s and 30 s.
      const idle = generationEvents(concat(of(pending('gen_1')), NEVER));
      expectObservable(idle, '^ 40000ms !').toBe('p 14999ms k 14999ms k', {
        p: { type: 'status', id: 'PENDING', data: pending('gen_1') },
        k: { type: 'keepalive', id: 'PENDING', data: '' },
      });
      // Before any status, a keepalive has no id of its own; the end event ends the keepalives too.
      const ending = generationEvents(cold('20000ms a|', { a: completed('gen_1') }), { keepAlive: 15_000 });
      expectObservable(ending).toBe('15000ms k 4999ms s (e|)', {
        k: { type: 'keepalive', data: '' },
        s: { type: 'status', id: 'COMPLETED', data: completed('gen_1') },
        e: { type: 'end', id: 'end', data: { outcome: 'completed', generationId: 'gen_1', resultImageUrl: completed('gen_1').resultImageUrl } },
      });
      expectObservable(generationEvents(concat(of(pending('gen_1')), NEVER), { keepAlive: false }), '^ 40000ms !').toBe('p', { p: { type: 'status', id: 'PENDING', data: pending('gen_1') } });
    });
    expect(() => generationEvents(of(), { keepAlive: -1 })).toThrow('Expected `keepAlive` to be a positive number, got -1');
  });
});

describe('tryOnException: the HTTP answer of a create-and-wait', () => {
  it('400 with the details for a body that fails the schema', () => {
    const exception = tryOnException(new GenlookValidationError('Invalid try-on request: products', 'INVALID_REQUEST', [{ path: 'products', message: 'Too small' }]));
    expect(exception.getStatus()).toBe(400);
    expect(exception.getResponse()).toEqual({ code: 'INVALID_REQUEST', message: 'Invalid try-on request', details: [{ path: 'products', message: 'Too small' }] });
  });

  it("422 with the server's errorCode for a FAILED try-on", () => {
    const exception = tryOnException(new GenerationFailedError(failed('gen_1', 'PERSON_NOT_DETECTED', 'No person')));
    expect(exception.getStatus()).toBe(422);
    expect(exception.getResponse()).toEqual({ generationId: 'gen_1', status: 'FAILED', errorCode: 'PERSON_NOT_DETECTED', errorMessage: 'No person' });
  });

  it('504 for the timeout, the API status for its 4xx (not 401), 502 for the rest; never the upstream request', () => {
    expect(tryOnException(new GenerationTimeoutError({ generationId: 'gen_1', timeout: 1000, lastStatus: 'PENDING' })).getStatus()).toBe(504);
    const refused = tryOnException(new GenlookApiError({ status: 402, code: 'INSUFFICIENT_CREDITS', serverMessage: 'No credits left', request: 'POST https://api.genlook.test/tryon/v1/try-on' }));
    expect([refused.getStatus(), refused.getResponse()]).toEqual([402, { code: 'INSUFFICIENT_CREDITS', message: 'No credits left' }]);
    expect(tryOnException(new GenlookApiError({ status: 401, code: 'UNAUTHORIZED', request: 'POST https://api.genlook.test/x' })).getStatus()).toBe(502);
    expect(tryOnException(new Error('boom')).getStatus()).toBe(502);
    expect(JSON.stringify(tryOnException(notFound).getResponse())).not.toContain('genlook.test');
  });
});

describe('GenlookModule', () => {
  /** A transport that answers nothing and records that the client closed it. */
  const recordingTransport = () => {
    const seen = { closed: 0 };
    const transport: Transport = { request: () => Promise.reject(new Error('no request expected')), close: () => void seen.closed++ };
    return { transport, seen };
  };

  it('forRoot provides one global client, closed when the app closes', async () => {
    const { transport, seen } = recordingTransport();
    @Injectable()
    class Consumer {
      constructor(@InjectGenlook() public readonly genlook: Genlook) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    const app = await Test.createTestingModule({ imports: [GenlookModule.forRoot({ apiKey: 'gk_test_module', baseUrl: 'http://127.0.0.1:9', transport }), FeatureModule] }).compile();
    const genlook = app.get<Genlook>(GENLOOK);
    expect(typeof genlook.generation$).toBe('function');
    expect(app.get(Consumer).genlook).toBe(genlook);
    await app.close();
    expect(seen.closed).toBe(1);
  });

  it('forRootAsync makes the client from other providers', async () => {
    const { transport, seen } = recordingTransport();
    const CONFIG = Symbol('CONFIG');
    @Module({ providers: [{ provide: CONFIG, useValue: { key: 'gk_test_async' } }], exports: [CONFIG] })
    class ConfigModule {}
    const app = await Test.createTestingModule({
      imports: [GenlookModule.forRootAsync({ imports: [ConfigModule], inject: [CONFIG], useFactory: async (config: { key: string }) => ({ apiKey: config.key, baseUrl: 'http://127.0.0.1:9', transport }) })],
    }).compile();
    expect(typeof app.get<Genlook>(GENLOOK).retrieve).toBe('function');
    await app.close();
    expect(seen.closed).toBe(1);
  });
});
