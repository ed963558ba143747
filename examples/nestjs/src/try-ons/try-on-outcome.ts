import { GatewayTimeoutException, HttpException, type MessageEvent } from '@nestjs/common';
import { GenerationFailedError, GenerationTimeoutError, GenlookApiError, isGenlookError } from 'genlook-rx';

/**
 * What a browser may be told of an error: the typed error's `code` and a fixed line, never its message
 * (which names the upstream request) or its stack.
 */
export function publicError(error: unknown): { code: string; message: string } {
  if (error instanceof GenlookApiError && error.status === 404) return { code: error.code, message: 'No such generation' };
  if (error instanceof GenerationTimeoutError) return { code: error.code, message: 'The try-on took too long' };
  if (isGenlookError(error)) return { code: error.code, message: 'The try-on could not be followed' };
  return { code: 'UNEXPECTED_ERROR', message: 'Something went wrong' };
}

/** The last event of a stream: how it ended (a FAILED try-on with the server's `errorCode`). */
export function endEvent(error: unknown): MessageEvent {
  if (error instanceof GenerationFailedError) {
    return { type: 'end', data: { outcome: 'failed', generationId: error.generationId, errorCode: error.errorCode, errorMessage: error.errorMessage } };
  }
  return { type: 'end', data: { outcome: 'error', ...publicError(error) } };
}

/** The HTTP answer of a try-on that did not complete: 422 with the server's `errorCode` when it FAILED. */
export function outcomeException(error: unknown): HttpException {
  if (error instanceof GenerationFailedError) {
    return new HttpException({ generationId: error.generationId, status: 'FAILED', errorCode: error.errorCode, errorMessage: error.errorMessage }, 422);
  }
  if (error instanceof GenerationTimeoutError) return new GatewayTimeoutException(publicError(error));
  if (error instanceof GenlookApiError && error.status < 500 && error.status !== 401) return new HttpException({ ...publicError(error), message: error.serverMessage ?? 'Refused' }, error.status);
  return new HttpException(publicError(error), 502);
}
