import { describe, expect, it } from 'vitest';
import { GenlookApiError } from '../src/index.js';
import { decodeResponse } from '../src/http/response-decoder.js';

const context = { request: 'GET http://127.0.0.1:1/x', notFoundCode: 'NOT_FOUND', maxRetryAfter: 60_000, secret: undefined };
const asIs = (json: unknown) => ({ success: true as const, data: json });
const decode = (status: number, body = '{"ok":true}') => decodeResponse({ status, headers: {}, body }, asIs, context);
const failure = (status: number): unknown => {
  try {
    return decode(status);
  } catch (error) {
    return error;
  }
};

describe('decodeResponse: where the 2xx range and the redirects begin and end', () => {
  it('200 and 299 are answers: the body is decoded', () => {
    expect(decode(200)).toEqual({ ok: true });
    expect(decode(299)).toEqual({ ok: true });
  });

  it('199 is not an answer, nor a redirect: HTTP_199', () => {
    expect(failure(199)).toBeInstanceOf(GenlookApiError);
    expect(failure(199)).toMatchObject({ status: 199, code: 'HTTP_199' });
  });

  it('300 and 399 are redirects, never followed: UNEXPECTED_REDIRECT', () => {
    expect(failure(300)).toMatchObject({ status: 300, code: 'UNEXPECTED_REDIRECT', serverMessage: 'redirects are not followed' });
    expect(failure(399)).toMatchObject({ status: 399, code: 'UNEXPECTED_REDIRECT' });
    expect(failure(400)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
