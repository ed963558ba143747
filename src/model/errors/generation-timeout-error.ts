import { GenlookError } from './genlook-error.js';

/**
 * The generation did not reach a terminal status within the `timeout` given to `generation$`,
 * `waitFor` or `timeoutGeneration`. The job may still finish on Genlook's side. `code`: `GENERATION_TIMEOUT`.
 */
export class GenerationTimeoutError extends GenlookError<'GENERATION_TIMEOUT'> {
  static override readonly brand: symbol = Symbol.for('genlook-rx.error.GenerationTimeoutError');
  override name = 'GenerationTimeoutError';
  /** The generation watched, when known. */
  readonly generationId: string | undefined;
  /** The time allowed, in milliseconds. */
  readonly timeout: number;
  /** The last status seen before the timeout, or `undefined` if none arrived. */
  readonly lastStatus: string | undefined;

  constructor(options: { generationId: string | undefined; timeout: number; lastStatus: string | undefined }) {
    const seen = options.lastStatus === undefined ? 'no status received' : `last status ${options.lastStatus}`;
    super(
      `Generation ${options.generationId ?? '(unknown)'} did not finish within ${options.timeout} ms (${seen})`,
      { code: 'GENERATION_TIMEOUT' },
    );
    this.generationId = options.generationId;
    this.timeout = options.timeout;
    this.lastStatus = options.lastStatus;
  }
}
