import { BadRequestException, GatewayTimeoutException, HttpException } from '@nestjs/common';
import { GenerationFailedError, GenerationTimeoutError, GenlookApiError, GenlookValidationError } from '../internal.js';
import { publicError } from './public-error.js';

/**
 * The HTTP answer of a create-and-wait (`genlook.tryOn$` or `waitFor`) that did not complete, as a Nest
 * exception to throw from a handler:
 * - a request body that fails the try-on schema (`GenlookValidationError`, before any credit is spent):
 *   400 `{ code: 'INVALID_REQUEST', message, details: [{ path, message }] }`;
 * - a FAILED try-on: 422 `{ generationId, status: 'FAILED', errorCode, errorMessage }` (the server's code);
 * - the wait's `timeout`: 504; an API refusal below 500 (not 401, the server's own key): its status with the
 *   API's message; anything else: 502. None carries a typed error's `message`, a stack or the key.
 *
 * @example
 * ```ts
 * @Post()
 * async create(@Body() body: unknown) {
 *   try {
 *     return await lastValueFrom(this.genlook.tryOn$(body as TryOnRequest).pipe(last()));
 *   } catch (error) {
 *     throw tryOnException(error);
 *   }
 * }
 * ```
 */
export function tryOnException(error: unknown): HttpException {
  if (error instanceof GenlookValidationError) {
    return new BadRequestException({ code: error.code, message: 'Invalid try-on request', details: error.details.map(({ path, message }) => ({ path, message })) });
  }
  if (error instanceof GenerationFailedError) {
    return new HttpException({ generationId: error.generationId, status: 'FAILED', errorCode: error.errorCode, errorMessage: error.errorMessage }, 422);
  }
  if (error instanceof GenerationTimeoutError) return new GatewayTimeoutException(publicError(error));
  if (error instanceof GenlookApiError && error.status < 500 && error.status !== 401) {
    return new HttpException({ ...publicError(error), message: error.serverMessage ?? 'Refused' }, error.status);
  }
  return new HttpException(publicError(error), 502);
}
