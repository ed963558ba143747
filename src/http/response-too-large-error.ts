/** Thrown by a built-in transport when a body passes its size cap; the client turns it into a `GenlookResponseError`. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
  constructor(
    readonly status: number,
    readonly limit: number,
  ) {
    super(`Response body exceeds ${limit} bytes`);
  }
}
