import { describe, expect, it } from 'vitest';
import { GenlookApiError, GenlookError, GenlookNetworkError, GenlookResponseError } from '../src/index.js';
import { toNetworkError } from '../src/http/network-error.js';
import { ResponseTooLargeError } from '../src/http/response-too-large-error.js';

const KEY = 'gk_test_network_error_key';
const REQUEST = 'GET http://127.0.0.1:1/generations/g1';
const FRAME = '    at connect (node:net:1:1)';

/** What a transport failure becomes (a plain network error unless stated). */
function convert(error: unknown, options: { aborted?: boolean; apiKey?: string | undefined } = {}): GenlookNetworkError {
  const result = toNetworkError(error, REQUEST, 'apiKey' in options ? options.apiKey : KEY, options.aborted ?? false);
  expect(result).toBeInstanceOf(GenlookNetworkError);
  return result as GenlookNetworkError;
}

/** An error whose stack is exactly its header and `frames` (no frame of this test file, whose path is not under control). */
function withStack<E extends Error>(error: E, frames: string[] = [FRAME]): E {
  error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
  return error;
}

function safe(message = 'connect failed'): Error {
  return withStack(new Error(message));
}

/** A chain of `length` safe errors through `cause`; the first is returned. */
function chain(length: number, top: (cause: Error | undefined) => Error = (cause) => withStack(new Error('link 0', cause ? { cause } : undefined))): Error {
  let cause: Error | undefined;
  for (let index = length - 1; index >= 1; index--) cause = withStack(new Error(`link ${index}`, cause ? { cause } : undefined));
  return top(cause);
}

/** The `cause` links of `error`, itself first. */
function links(error: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let current = error; current !== undefined; current = (current as Error).cause) seen.push(current);
  return seen;
}

describe('toNetworkError: which failures are not sent', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])('%s on the error itself: isNotSent', (code) => {
    const error = Object.assign(safe(), { code });
    expect(convert(error).isNotSent).toBe(true);
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'econnrefused', ''])('%s: not isNotSent', (code) => {
    expect(convert(Object.assign(safe(), { code })).isNotSent).toBe(false);
  });

  it('no code anywhere: not isNotSent, and the message has no code', () => {
    const error = chain(3);
    const result = convert(error);
    expect(result.isNotSent).toBe(false);
    expect(result.message).toBe(`Request failed: link 0 (${REQUEST})`);
  });

  it.each([1, 2, 3])('the code on the cause at depth %i is found (isNotSent, and in the message)', (depth) => {
    const error = chain(depth + 1);
    Object.assign(links(error)[depth] as Error, { code: 'ECONNREFUSED' });
    const result = convert(error);
    expect(result.isNotSent).toBe(true);
    expect(result.message).toBe(`Request failed: ECONNREFUSED link 0 (${REQUEST})`);
  });

  it('a code at depth 4 (the fifth link) is not looked at', () => {
    const error = chain(6);
    Object.assign(links(error)[4] as Error, { code: 'ECONNREFUSED' });
    const result = convert(error);
    expect(result.isNotSent).toBe(false);
    expect(result.message).toBe(`Request failed: link 0 (${REQUEST})`);
  });

  it('the nearest string code wins; a non-string code is skipped', () => {
    const inner = Object.assign(safe('inner'), { code: 'ENOTFOUND' });
    const outer = Object.assign(withStack(new Error('outer', { cause: inner })), { code: 42 });
    const result = convert(outer);
    expect(result.isNotSent).toBe(true);
    expect(result.message).toBe(`Request failed: ENOTFOUND outer (${REQUEST})`);
    const nearest = Object.assign(withStack(new Error('outer', { cause: inner })), { code: 'ECONNRESET' });
    expect(convert(nearest).isNotSent).toBe(false);
  });

  it('a thrown plain object with a code: its code counts', () => {
    const result = convert({ code: 'EAI_AGAIN' });
    expect(result.isNotSent).toBe(true);
    expect(result.message).toBe(`Request failed: EAI_AGAIN [object Object] (${REQUEST})`);
  });
});

describe('toNetworkError: the message', () => {
  it('failed, with a code: "Request failed: CODE message"', () => {
    const result = convert(Object.assign(safe('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    expect(result.message).toBe(`Request failed: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1 (${REQUEST})`);
    expect(result.code).toBe('NETWORK_ERROR');
    expect(result.request).toBe(REQUEST);
  });

  it('aborted, with and without a code: "Request aborted: ..."', () => {
    expect(convert(safe('This operation was aborted'), { aborted: true }).message).toBe(`Request aborted: This operation was aborted (${REQUEST})`);
    expect(convert(Object.assign(safe('gone'), { code: 'UND_ERR_ABORTED' }), { aborted: true }).message).toBe(`Request aborted: UND_ERR_ABORTED gone (${REQUEST})`);
  });

  it('the key and control characters are taken out of the code and of the message', () => {
    const error = Object.assign(withStack(new Error(`bad ${KEY}\u001b[2J`)), { code: `E_${KEY}` });
    expect(convert(error).message).toBe(`Request failed: E_[redacted] bad [redacted]\\u{1b}[2J (${REQUEST})`);
  });

  it('a thrown non-error: its text', () => {
    expect(convert(`refused ${KEY}`).message).toBe(`Request failed: refused [redacted] (${REQUEST})`);
    expect(convert(undefined).message).toBe(`Request failed: undefined (${REQUEST})`);
  });
});

describe('toNetworkError: errors that are already typed', () => {
  it('a GenlookError is returned as it is', () => {
    const typed = new GenlookApiError({ status: 500, code: 'SERVER_ERROR', serverMessage: 'boom', request: REQUEST });
    expect(toNetworkError(typed, 'POST elsewhere', KEY, true)).toBe(typed);
    const network = new GenlookNetworkError({ message: 'x', request: REQUEST, code: 'REQUEST_TIMEOUT' });
    expect(toNetworkError(network, REQUEST, KEY, false)).toBe(network);
  });

  it('a ResponseTooLargeError becomes a GenlookResponseError RESPONSE_TOO_LARGE', () => {
    const result = toNetworkError(new ResponseTooLargeError(200, 1024), REQUEST, KEY, false);
    expect(result).toBeInstanceOf(GenlookResponseError);
    expect(result).not.toBeInstanceOf(GenlookNetworkError);
    const response = result as GenlookResponseError;
    expect(response.code).toBe('RESPONSE_TOO_LARGE');
    expect(response.status).toBe(200);
    expect(response.message).toBe(`Response body exceeds 1024 bytes (${REQUEST})`);
    expect(response.request).toBe(REQUEST);
    expect(response.excerpt).toBe('');
    expect(response.cause).toBeUndefined();
  });

  it('ResponseTooLargeError itself: its name and message', () => {
    const error = new ResponseTooLargeError(503, 77);
    expect(error.name).toBe('ResponseTooLargeError');
    expect(error.message).toBe('Response body exceeds 77 bytes');
    expect(error.status).toBe(503);
    expect(error.limit).toBe(77);
  });
});

describe('toNetworkError: a safe chain is the cause as it is', () => {
  it('a plain error', () => {
    const error = safe();
    expect(convert(error).cause).toBe(error);
  });

  it('an error whose stack V8 wrote (newlines in the stack are allowed)', () => {
    const error = new Error('connect failed');
    expect(error.stack).toContain('\n');
    expect(convert(error).cause).toBe(error);
  });

  it('an error with no stack', () => {
    const error = new Error('no stack');
    error.stack = undefined;
    expect(convert(error).cause).toBe(error);
  });

  it('an error with a safe string code', () => {
    const error = Object.assign(safe(), { code: 'ECONNREFUSED' });
    expect(convert(error).cause).toBe(error);
  });

  it('a chain of 8 safe links (the deepest kept)', () => {
    const error = chain(8);
    expect(convert(error).cause).toBe(error);
  });

  it('an AggregateError of safe errors, with a safe cause', () => {
    const error = withStack(new AggregateError([safe('a'), safe('b')], 'all failed', { cause: safe('why') }));
    expect(convert(error).cause).toBe(error);
  });

  it('with no key configured, text that would only be unsafe with one', () => {
    const error = safe(`mentions ${KEY}`);
    expect(convert(error, { apiKey: undefined }).cause).toBe(error);
  });
});

describe('toNetworkError: an unsafe chain is rebuilt from safe copies', () => {
  /** The cause, asserted to be a copy and not `original`. */
  function copyOf(original: unknown, options?: { aborted?: boolean; apiKey?: string | undefined }): Error {
    const cause = convert(original, options).cause;
    expect(cause).not.toBe(original);
    expect(cause).toBeInstanceOf(Error);
    return cause as Error;
  }

  it('the key in the message', () => {
    const error = withStack(new Error(`key ${KEY}`), [FRAME]);
    const copy = copyOf(error);
    expect(copy.message).toBe('key [redacted]');
    expect(copy.name).toBe('Error');
    expect(copy.stack).toBe(`Error: key [redacted]\n${FRAME}`);
    expect(Object.hasOwn(copy, 'cause')).toBe(false);
    expect(Object.hasOwn(copy, 'code')).toBe(false);
  });

  it('the key in the message only (a stack that does not show it)', () => {
    const error = new Error(`key ${KEY}`);
    error.stack = `Error: hidden\n${FRAME}`;
    expect(copyOf(error).message).toBe('key [redacted]');
  });

  it('a control character in the message only', () => {
    const error = new Error('line\nbreak');
    error.stack = `Error: line\n${FRAME}`;
    const copy = copyOf(error);
    expect(copy.message).toBe('line\\u{a}break');
    expect(copy.stack).toBe(`Error: line\\u{a}break\n${FRAME}`);
  });

  it('the key in the name only', () => {
    const error = safe('plain');
    error.name = `Error_${KEY}`;
    const copy = copyOf(error);
    expect(copy.name).toBe('Error_[redacted]');
    expect(copy.message).toBe('plain');
    expect(copy.stack).toBe(`Error_[redacted]: plain\n${FRAME}`);
  });

  it('a control character in the name only', () => {
    const error = safe('plain');
    error.name = 'Bad\u0007Name';
    expect(copyOf(error).name).toBe('Bad\\u{7}Name');
  });

  it('a name that is not a string', () => {
    const error = safe('plain');
    (error as { name: unknown }).name = 42;
    expect(copyOf(error, { apiKey: undefined }).name).toBe('42');
  });

  it('the key in a frame of the stack only', () => {
    const error = safe('plain');
    error.stack = `Error: plain\n    at ${KEY} (file.js:1:1)\n${FRAME}`;
    const copy = copyOf(error);
    expect(copy.message).toBe('plain');
    expect(copy.stack).toBe(`Error: plain\n    at [redacted] (file.js:1:1)\n${FRAME}`);
  });

  it('a control character (not a newline) in the stack only', () => {
    const error = safe('plain');
    error.stack = `Error: plain\n    at f\u0000 (file.js:1:1)`;
    expect(copyOf(error).stack).toBe('Error: plain\n    at f\\u{0} (file.js:1:1)');
  });

  it('the key in the code only; the copy keeps the code, redacted', () => {
    const error = Object.assign(safe(), { code: `E_${KEY}` });
    const copy = copyOf(error);
    expect((copy as { code?: unknown }).code).toBe('E_[redacted]');
    expect(copy.message).toBe('connect failed');
  });

  it('a code that is not a string: the copy has no code', () => {
    const error = Object.assign(safe(), { code: 42 });
    const copy = copyOf(error);
    expect(Object.hasOwn(copy, 'code')).toBe(false);
  });

  it('an unsafe error keeps its safe string code', () => {
    const error = Object.assign(safe(`key ${KEY}`), { code: 'ECONNRESET' });
    expect((copyOf(error) as { code?: unknown }).code).toBe('ECONNRESET');
  });

  it('the key on a cause: the whole chain is copied, the cause kept (redacted)', () => {
    const inner = Object.assign(safe(`inner ${KEY}`), { code: 'ECONNREFUSED' });
    const outer = withStack(new Error('outer', { cause: inner }));
    const copy = copyOf(outer);
    expect(copy.message).toBe('outer');
    expect(copy.stack).toBe(`Error: outer\n${FRAME}`);
    const cause = copy.cause as Error;
    expect(cause).not.toBe(inner);
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toBe('inner [redacted]');
    expect((cause as { code?: unknown }).code).toBe('ECONNREFUSED');
    expect(cause.stack).toBe(`Error: inner [redacted]\n${FRAME}`);
    expect(Object.hasOwn(cause, 'cause')).toBe(false);
  });

  it('the key at the top: a safe cause is copied too', () => {
    const inner = safe('inner');
    const copy = copyOf(withStack(new Error(`outer ${KEY}`, { cause: inner })));
    expect(copy.cause).not.toBe(inner);
    expect((copy.cause as Error).message).toBe('inner');
  });

  it('the key in the 8th link (depth 7) is still looked at', () => {
    const error = chain(8);
    (links(error)[7] as Error).message = `deep ${KEY}`;
    const copy = copyOf(error);
    const copied = links(copy) as Error[];
    expect(copied).toHaveLength(8);
    expect(copied[7]!.message).toBe('deep [redacted]');
  });

  it('a chain of 9 links: rebuilt, and cut at 8', () => {
    const error = chain(9);
    const copied = links(copyOf(error)) as Error[];
    expect(copied.map((link) => link.message)).toEqual(['link 0', 'link 1', 'link 2', 'link 3', 'link 4', 'link 5', 'link 6', 'link 7']);
    expect(Object.hasOwn(copied[7]!, 'cause')).toBe(false);
  });

  it('a long unsafe chain: cut at 8 links', () => {
    const error = chain(20);
    error.message = `top ${KEY}`;
    const copied = links(copyOf(error)) as Error[];
    expect(copied).toHaveLength(8);
    expect(copied[0]!.message).toBe('top [redacted]');
  });

  it('a cycle: dropped from the copy', () => {
    const error = safe('loop');
    Object.assign(error, { cause: error });
    const copy = copyOf(error);
    expect(copy.message).toBe('loop');
    expect(Object.hasOwn(copy, 'cause')).toBe(false);
  });

  it('a longer cycle: dropped where it closes', () => {
    const a = safe('a');
    const b = withStack(new Error('b', { cause: a }));
    Object.assign(a, { cause: b });
    const copy = copyOf(a);
    expect((links(copy) as Error[]).map((link) => link.message)).toEqual(['a', 'b']);
  });

  it('one error met twice (an AggregateError listing it twice): rebuilt, and kept once', () => {
    const shared = safe('shared');
    const error = withStack(new AggregateError([shared, shared], 'twice'));
    const copy = copyOf(error) as AggregateError;
    expect(copy.errors).toHaveLength(1);
    expect((copy.errors[0] as Error).message).toBe('shared');
  });

  it('the key in one of an AggregateError\'s errors: its errors and cause copied, in order', () => {
    const first = Object.assign(safe('first'), { code: 'ECONNREFUSED' });
    const second = safe(`second ${KEY}`);
    const why = safe('why');
    const error = withStack(new AggregateError([first, second], 'all failed', { cause: why }));
    const copy = copyOf(error) as AggregateError;
    expect(copy).toBeInstanceOf(AggregateError);
    expect(copy.name).toBe('AggregateError');
    expect(copy.message).toBe('all failed');
    expect(copy.stack).toBe(`AggregateError: all failed\n${FRAME}`);
    expect(copy.errors).toHaveLength(2);
    const [copiedFirst, copiedSecond] = copy.errors as Error[];
    expect(copiedFirst).not.toBe(first);
    expect(copiedFirst!.message).toBe('first');
    expect((copiedFirst as { code?: unknown }).code).toBe('ECONNREFUSED');
    expect(copiedSecond).not.toBe(second);
    expect(copiedSecond!.message).toBe('second [redacted]');
    expect(copy.cause).not.toBe(why);
    expect((copy.cause as Error).message).toBe('why');
  });

  it('the key in the first of an AggregateError\'s errors (the last safe)', () => {
    const error = withStack(new AggregateError([safe(`first ${KEY}`), safe('second')], 'all failed'));
    const copy = copyOf(error) as AggregateError;
    expect((copy.errors as Error[]).map((inner) => inner.message)).toEqual(['first [redacted]', 'second']);
    expect(Object.hasOwn(copy, 'cause')).toBe(false);
  });

  it('the key in an AggregateError\'s cause only', () => {
    const error = withStack(new AggregateError([safe('a')], 'all failed', { cause: safe(`why ${KEY}`) }));
    const copy = copyOf(error) as AggregateError;
    expect((copy.cause as Error).message).toBe('why [redacted]');
    expect((copy.errors as Error[]).map((inner) => inner.message)).toEqual(['a']);
  });

  it('an AggregateError\'s non-error entries: a plain object dropped, a string made an Error', () => {
    const error = withStack(new AggregateError([{ code: 'X' }, `text ${KEY}`, null, safe('kept')], `all ${KEY}`));
    const copy = copyOf(error) as AggregateError;
    expect(copy.errors).toHaveLength(3);
    const [text, nothing, kept] = copy.errors as Error[];
    expect(text).toBeInstanceOf(Error);
    expect(text!.message).toBe('text [redacted]');
    expect(nothing!.message).toBe('null');
    expect(kept!.message).toBe('kept');
  });

  it('AggregateErrors nested deeper than 8: cut at 8', () => {
    let error: Error = safe('leaf');
    for (let index = 9; index >= 0; index--) error = withStack(new AggregateError([error], `level ${index}`));
    error.message = `level 0 ${KEY}`;
    let depth = 0;
    for (let current = convert(error).cause as AggregateError | undefined; current !== undefined; current = current.errors[0] as AggregateError | undefined) {
      expect(current).toBeInstanceOf(AggregateError);
      depth++;
    }
    expect(depth).toBe(8);
  });

  it('a safe AggregateError nested 9 deep is rebuilt', () => {
    let error: Error = safe('leaf');
    for (let index = 7; index >= 0; index--) error = withStack(new AggregateError([error], `level ${index}`));
    expect(convert(error).cause).not.toBe(error);
    let eight: Error = safe('leaf');
    for (let index = 6; index >= 0; index--) eight = withStack(new AggregateError([eight], `level ${index}`));
    expect(convert(eight).cause).toBe(eight);
  });

  it('the stack: only its frames kept, each trimmed, redacted and indented by four spaces', () => {
    const error = new Error(`failed at noon ${KEY}`);
    error.stack = [`Error: failed at noon ${KEY}`, 'extra header line', `\tat one (${KEY}.js:1:1)`, '  at two (b.js:2:2)', 'at three (not a frame)', '        at four (c.js:3:3)'].join('\n');
    const copy = copyOf(error);
    expect(copy.stack).toBe(['Error: failed at noon [redacted]', '    at one ([redacted].js:1:1)', '    at two (b.js:2:2)', '    at four (c.js:3:3)'].join('\n'));
  });

  it('a header line with " at " in it is not a frame', () => {
    const error = new Error(`connect at 127.0.0.1 ${KEY}`);
    error.stack = `Error: connect at 127.0.0.1 ${KEY}\n${FRAME}`;
    expect(copyOf(error).stack).toBe(`Error: connect at 127.0.0.1 [redacted]\n${FRAME}`);
  });

  it('an unsafe error with no stack: the copy has its header only', () => {
    const error = new Error(`key ${KEY}`);
    error.stack = undefined;
    expect(copyOf(error).stack).toBe('Error: key [redacted]');
  });

  it('an unsafe error with a stack that is not a string: the copy has its header only', () => {
    const error = new Error(`key ${KEY}`);
    (error as { stack: unknown }).stack = 7;
    expect(copyOf(error).stack).toBe('Error: key [redacted]');
  });
});

describe('toNetworkError: thrown values that are not errors', () => {
  it('a string becomes an Error of its text (redacted)', () => {
    const cause = convert(`refused ${KEY}`).cause;
    expect(cause).toBeInstanceOf(Error);
    expect((cause as Error).message).toBe('refused [redacted]');
  });

  it('a safe string too (never the string itself)', () => {
    const cause = convert('refused').cause;
    expect(cause).toBeInstanceOf(Error);
    expect((cause as Error).message).toBe('refused');
  });

  it('null, undefined and a number become Errors of their text', () => {
    expect((convert(null).cause as Error).message).toBe('null');
    expect((convert(undefined).cause as Error).message).toBe('undefined');
    expect((convert(7).cause as Error).message).toBe('7');
  });

  it('a plain object: no cause', () => {
    const result = convert({ message: 'not an error', code: 'ECONNRESET' });
    expect(result.cause).toBeUndefined();
    expect(Object.hasOwn(result, 'cause')).toBe(false);
  });

  it('an error-like object with a cause: not kept', () => {
    const fake = { name: 'Error', message: 'fake', stack: 'Error: fake', cause: safe() };
    expect(convert(fake).cause).toBeUndefined();
  });

  it('the result is never a GenlookError other than a network one for a foreign error', () => {
    const result = toNetworkError(safe(), REQUEST, KEY, false);
    expect(result).toBeInstanceOf(GenlookError);
    expect(result).not.toBeInstanceOf(GenlookResponseError);
  });
});
