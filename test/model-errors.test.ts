import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  GenerationFailedError,
  GenerationTimeoutError,
  GenlookApiError,
  GenlookConfigError,
  GenlookError,
  GenlookNetworkError,
  GenlookResponseError,
  GenlookValidationError,
  isGenlookError,
  isTransientError,
} from '../src/index.js';
import { failed } from '../src/testing/index.js';

// The error classes on their own: names, messages, brands, toJSON and util.inspect, exactly. The
// end-to-end suites see these through a client; here each field and rule is pinned so that a change to
// one of them fails a test (docs/reliability.md, "Mutation testing").

const api = (overrides: Partial<ConstructorParameters<typeof GenlookApiError>[0]> = {}) =>
  new GenlookApiError({ status: 404, code: 'GENERATION_NOT_FOUND', serverMessage: 'No such generation', request: 'GET /generations/gen_1', ...overrides });

/** `value instanceof type`, for a list of classes TypeScript cannot type as one. */
const isInstance = (type: unknown, value: unknown): boolean => (type as { [Symbol.hasInstance]: (value: unknown) => boolean })[Symbol.hasInstance](value);

const every = (): Array<[string, GenlookError]> => [
  ['GenlookError', new GenlookError('plain', { code: 'UNKNOWN' })],
  ['GenerationFailedError', new GenerationFailedError(failed('gen_1', 'NO_PERSON_DETECTED', 'No person'))],
  ['GenerationTimeoutError', new GenerationTimeoutError({ generationId: 'gen_1', timeout: 500, lastStatus: 'PENDING' })],
  ['GenlookApiError', api()],
  ['GenlookNetworkError', new GenlookNetworkError({ message: 'Request failed: ECONNRESET', request: 'GET /generations/gen_1' })],
  ['GenlookResponseError', new GenlookResponseError({ message: 'Invalid response', status: 200, request: 'GET /generations/gen_1', body: '{' })],
  ['GenlookConfigError', new GenlookConfigError('closed', 'CLIENT_CLOSED')],
  ['GenlookValidationError', new GenlookValidationError('bad id', 'INVALID_ID')],
];

describe('each error class', () => {
  it.each(every())('%s has its own name, is a GenlookError and an Error', (name, error) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(GenlookError);
    expect(error).toBeInstanceOf(Error);
    expect(isGenlookError(error)).toBe(true);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it('is an instance of its own class only, not of a sibling', () => {
    const classes = [GenerationFailedError, GenerationTimeoutError, GenlookApiError, GenlookNetworkError, GenlookResponseError, GenlookConfigError, GenlookValidationError];
    for (const [name, error] of every()) {
      for (const type of classes) expect([name, type.name, isInstance(type, error)]).toEqual([name, type.name, type.name === name]);
    }
  });

  it('answers instanceof for a copy of another build by its Symbol.for brand, and not for look-alikes', () => {
    const foreign = Object.assign(new Error('from the CJS build'), { code: 'NETWORK_ERROR' });
    Object.defineProperty(foreign, Symbol.for('genlook-rx.error'), { value: true });
    Object.defineProperty(foreign, Symbol.for('genlook-rx.error.GenlookNetworkError'), { value: true });
    expect(foreign).toBeInstanceOf(GenlookError);
    expect(foreign).toBeInstanceOf(GenlookNetworkError);
    expect(foreign).not.toBeInstanceOf(GenlookApiError);
    expect(isGenlookError(foreign)).toBe(true);
    expect(isTransientError(foreign)).toBe(true);

    expect(Object.assign(new Error('x'), { code: 'NETWORK_ERROR' })).not.toBeInstanceOf(GenlookError);
    const truthy = new Error('brand not true');
    Object.defineProperty(truthy, Symbol.for('genlook-rx.error'), { value: 1 });
    expect(truthy).not.toBeInstanceOf(GenlookError);
    expect(null).not.toBeInstanceOf(GenlookError);
    expect(undefined).not.toBeInstanceOf(GenlookError);
    expect('GenlookError').not.toBeInstanceOf(GenlookError);
    const branded = () => undefined;
    Object.defineProperty(branded, Symbol.for('genlook-rx.error'), { value: true });
    expect(branded).not.toBeInstanceOf(GenlookError);
  });

  it('every class answers instanceof for its instances from another copy of the package, by its own Symbol.for name', () => {
    for (const [name, error] of every()) {
      // What a CJS copy's instance of `name` carries: the base brand and that class's `genlook-rx.error.<name>` brand.
      const foreign = Object.assign(new Error(error.message), { code: error.code });
      Object.defineProperty(foreign, Symbol.for('genlook-rx.error'), { value: true });
      if (name !== 'GenlookError') Object.defineProperty(foreign, Symbol.for(`genlook-rx.error.${name}`), { value: true });
      const type = { GenerationFailedError, GenerationTimeoutError, GenlookApiError, GenlookNetworkError, GenlookResponseError, GenlookConfigError, GenlookValidationError, GenlookError }[name];
      expect([name, isInstance(type, foreign), isInstance(GenlookError, foreign)]).toEqual([name, true, true]);
    }
  });

  it('keeps ordinary prototype instanceof for a subclass of a user that has no brand of its own', () => {
    class AppError extends GenlookApiError {}
    const mine = new AppError({ status: 500, code: 'SERVER_ERROR', request: 'GET /x' });
    expect(mine).toBeInstanceOf(AppError);
    expect(mine).toBeInstanceOf(GenlookApiError);
    expect(mine).toBeInstanceOf(GenlookError);
    expect(api()).not.toBeInstanceOf(AppError);
    // Another copy's brand alone does not make an instance of a class without a brand of its own.
    const foreign = new Error('x');
    Object.defineProperty(foreign, Symbol.for('genlook-rx.error.GenlookApiError'), { value: true });
    expect(foreign).toBeInstanceOf(GenlookApiError);
    expect(foreign).not.toBeInstanceOf(AppError);
  });

  it('isGenlookError asks for a string code too', () => {
    const noCode = new Error('x');
    Object.defineProperty(noCode, Symbol.for('genlook-rx.error'), { value: true });
    expect(isGenlookError(noCode)).toBe(false);
    expect(isGenlookError(new Error('x'))).toBe(false);
  });

  it('isTransientError: network errors, 408, 429 and 5xx only', () => {
    const transient = (status: number) => isTransientError(api({ status, code: `HTTP_${status}` }));
    expect([400, 401, 402, 403, 404, 407, 408, 409, 429, 499, 500, 501, 503, 599].map(transient)).toEqual([
      false, false, false, false, false, false, true, false, true, false, true, true, true, true,
    ]);
    expect(isTransientError(new GenlookNetworkError({ message: 'x', request: 'GET /' }))).toBe(true);
    expect(isTransientError(new GenlookResponseError({ message: 'x', status: 200, request: 'GET /', body: '' }))).toBe(false);
    expect(isTransientError(new Error('x'))).toBe(false);
    // Only a GenlookApiError's status counts: another library's error with a 5xx or 429 status is not ours to retry.
    expect(isTransientError(Object.assign(new Error('upstream'), { status: 503 }))).toBe(false);
    expect(isTransientError(new GenlookResponseError({ message: 'x', status: 502, request: 'GET /', body: '' }))).toBe(false);
  });
});

describe('messages', () => {
  it('GenerationFailedError joins the code and the message, and leaves out what is missing', () => {
    expect(new GenerationFailedError(failed('gen_1', 'NO_PERSON_DETECTED', 'No person in the photo')).message).toBe('Generation gen_1 failed: NO_PERSON_DETECTED: No person in the photo');
    const only = (errorCode: string | undefined, errorMessage: string | undefined) =>
      new GenerationFailedError({ ...failed('gen_2', 'X', 'Y'), errorCode, errorMessage } as never).message;
    expect(only('E', undefined)).toBe('Generation gen_2 failed: E');
    expect(only(undefined, 'went wrong')).toBe('Generation gen_2 failed: went wrong');
    expect(only(undefined, undefined)).toBe('Generation gen_2 failed');
    expect(only('', '')).toBe('Generation gen_2 failed');
    const error = new GenerationFailedError(failed('gen_3', 'BAD\nCODE', 'line\u0007bell'));
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.errorCode).toBe('BAD\\u{a}CODE');
    expect(error.errorMessage).toBe('line\\u{7}bell');
    expect(error.generationId).toBe('gen_3');
    expect(error.code).toBe('GENERATION_FAILED');
  });

  it('GenerationTimeoutError says the id, the timeout and the last status, or what is missing', () => {
    const error = new GenerationTimeoutError({ generationId: 'gen_1', timeout: 500, lastStatus: 'PROCESSING' });
    expect(error.message).toBe('Generation gen_1 did not finish within 500 ms (last status PROCESSING)');
    expect(error).toMatchObject({ code: 'GENERATION_TIMEOUT', generationId: 'gen_1', timeout: 500, lastStatus: 'PROCESSING' });
    const none = new GenerationTimeoutError({ generationId: undefined, timeout: 30000, lastStatus: undefined });
    expect(none.message).toBe('Generation (unknown) did not finish within 30000 ms (no status received)');
    expect(none.generationId).toBeUndefined();
    expect(none.lastStatus).toBeUndefined();
    const hostile = new GenerationTimeoutError({ generationId: 'gen\n1', timeout: 1, lastStatus: 'PEND\rING' });
    expect(hostile.message).toBe('Generation gen\\u{a}1 did not finish within 1 ms (last status PEND\\u{d}ING)');
    expect(hostile.lastStatus).toBe('PEND\\u{d}ING');
    expect(hostile.generationId).toBe('gen\n1');
  });

  it('GenlookApiError says the status, the code, the server message and the request', () => {
    expect(api().message).toBe('Request failed with status 404 GENERATION_NOT_FOUND: No such generation (GET /generations/gen_1)');
    expect(api({ serverMessage: undefined }).message).toBe('Request failed with status 404 GENERATION_NOT_FOUND: (GET /generations/gen_1)');
    expect(api({ serverMessage: '' }).message).toBe('Request failed with status 404 GENERATION_NOT_FOUND: (GET /generations/gen_1)');
    const error = api({ code: 'VALIDATION_FAILED', status: 400, serverMessage: 'bad\nthing', details: [{ path: 'a\nb', message: 'm\u0000' }], retryAfter: 3 });
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, serverMessage: 'bad\\u{a}thing', retryAfter: 3, request: 'GET /generations/gen_1' });
    expect(error.details).toEqual([{ path: 'a\\u{a}b', message: 'm\\u{0}' }]);
    expect(api().details).toBeUndefined();
  });

  it('GenlookNetworkError adds the request, and defaults to NETWORK_ERROR, sent', () => {
    const error = new GenlookNetworkError({ message: 'Request failed: ECONNRESET', request: 'GET /generations/gen_1' });
    expect(error.message).toBe('Request failed: ECONNRESET (GET /generations/gen_1)');
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', isNotSent: false, request: 'GET /generations/gen_1' });
    expect(new GenlookNetworkError({ message: 'x', request: 'r', code: 'REQUEST_TIMEOUT', isNotSent: true })).toMatchObject({ code: 'REQUEST_TIMEOUT', isNotSent: true });
  });

  it('GenlookResponseError keeps an excerpt of the body, with the defaults', () => {
    const error = new GenlookResponseError({ message: 'Invalid JSON', status: 200, request: 'GET /generations/gen_1', body: '{"a": 1' });
    expect(error.message).toBe('Invalid JSON (GET /generations/gen_1)');
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, issues: [], excerpt: '{"a": 1', isJson: true, request: 'GET /generations/gen_1' });
    const other = new GenlookResponseError({ message: 'm', status: 502, request: 'r', body: 'k=SECRET', secret: 'SECRET', isJson: false, code: 'RESPONSE_TOO_LARGE', issues: [{ path: 'status', message: 'x' }] });
    expect(other).toMatchObject({ code: 'RESPONSE_TOO_LARGE', isJson: false, issues: [{ path: 'status', message: 'x' }] });
    expect(other.excerpt).not.toContain('SECRET');
  });

  it('GenlookValidationError defaults its details to none', () => {
    expect(new GenlookValidationError('bad', 'INVALID_REQUEST').details).toEqual([]);
    expect(new GenlookValidationError('bad', 'INVALID_REQUEST', [{ path: 'p', message: 'm' }]).details).toEqual([{ path: 'p', message: 'm' }]);
  });
});

describe('toJSON and util.inspect', () => {
  it('toJSON is name, code, message and the own primitive fields, never an object', () => {
    const error = api({ retryAfter: 2, details: [{ path: 'p', message: 'm' }] });
    expect(error.toJSON()).toEqual({
      name: 'GenlookApiError',
      code: 'GENERATION_NOT_FOUND',
      message: 'Request failed with status 404 GENERATION_NOT_FOUND: No such generation (GET /generations/gen_1)',
      status: 404,
      serverMessage: 'No such generation',
      retryAfter: 2,
      request: 'GET /generations/gen_1',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
    const failedError = new GenerationFailedError(failed('gen_1', 'E', 'M'));
    expect(failedError.toJSON()).toEqual({ name: 'GenerationFailedError', code: 'GENERATION_FAILED', message: 'Generation gen_1 failed: E: M', generationId: 'gen_1', errorCode: 'E', errorMessage: 'M' });
    expect(new GenlookError('plain', { code: 'UNKNOWN' }).toJSON()).toEqual({ name: 'GenlookError', code: 'UNKNOWN', message: 'plain' });
  });

  it('toJSON leaves a field that is undefined out, not as a key with no value', () => {
    const bare = api({ serverMessage: undefined });
    expect(bare.toJSON()).toStrictEqual({
      name: 'GenlookApiError',
      code: 'GENERATION_NOT_FOUND',
      message: 'Request failed with status 404 GENERATION_NOT_FOUND: (GET /generations/gen_1)',
      status: 404,
      request: 'GET /generations/gen_1',
    });
    expect(Object.keys(new GenerationTimeoutError({ generationId: undefined, timeout: 5, lastStatus: undefined }).toJSON())).toEqual(['name', 'code', 'message', 'timeout']);
  });

  it('shows a cause: a genlook one whole, a foreign one by name, message and string code, escaped', () => {
    const inner = new GenlookConfigError('closed', 'CLIENT_CLOSED');
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: inner }).toJSON()).toEqual({ name: 'GenlookError', code: 'UNKNOWN', message: 'outer', cause: { name: 'GenlookConfigError', code: 'CLIENT_CLOSED', message: 'closed' } });
    // A genlook cause keeps all its own safe fields, not only a foreign error's name, message and code.
    const apiCause = api({ retryAfter: 2 });
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: apiCause }).toJSON().cause).toStrictEqual(apiCause.toJSON());
    const foreign = Object.assign(new TypeError('bad\nthing'), { code: 'E\u0007X', headers: { authorization: 'Bearer gk_live_x' } });
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: foreign }).toJSON().cause).toEqual({ name: 'TypeError', message: 'bad\\u{a}thing', code: 'E\\u{7}X' });
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: Object.assign(new Error('m'), { code: 42 }) }).toJSON().cause).toEqual({ name: 'Error', message: 'm' });
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: 'text\ncause' }).toJSON().cause).toBe('text\\u{a}cause');
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: 7 }).toJSON().cause).toBe('7');
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: { secret: 'x' } }).toJSON().cause).toBe('[object]');
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: null }).toJSON().cause).toBe('[object]');
    expect('cause' in new GenlookError('outer', { code: 'UNKNOWN' }).toJSON()).toBe(false);
    expect(Object.hasOwn(new GenlookError('outer', { code: 'UNKNOWN' }), 'cause')).toBe(false);
    expect(new GenlookError('outer', { code: 'UNKNOWN', cause: foreign }).cause).toBe(foreign);
  });

  it('util.inspect is the stack and the safe fields, nothing else', () => {
    const error = api();
    expect(inspect(error)).toBe(`${error.stack} {"code":"GENERATION_NOT_FOUND","status":404,"serverMessage":"No such generation","request":"GET /generations/gen_1"}`);
    const plain = new GenlookError('plain', { code: 'UNKNOWN' });
    expect(inspect(plain)).toBe(`${plain.stack} {"code":"UNKNOWN"}`);
    const stackless = new GenlookError('no stack', { code: 'UNKNOWN' });
    Object.defineProperty(stackless, 'stack', { value: undefined });
    expect(inspect(stackless)).toBe('GenlookError: no stack {"code":"UNKNOWN"}');
    const withCause = new GenlookError('outer', { code: 'UNKNOWN', cause: Object.assign(new Error('inner'), { headers: { a: 'b' } }) });
    expect(inspect(withCause, { depth: 5, showHidden: true })).toBe(`${withCause.stack} {"code":"UNKNOWN","cause":{"name":"Error","message":"inner"}}`);
  });

  it('util.inspect shows what a subclass\'s own toJSON gives, and no empty braces when that is nothing past the name and message', () => {
    class QuietError extends GenlookError {
      override toJSON(): Record<string, unknown> {
        return { name: this.name, message: this.message };
      }
    }
    const quiet = new QuietError('hush', { code: 'UNKNOWN' });
    expect(inspect(quiet)).toBe(quiet.stack);
  });
});
