import { serverText } from '../server-text.js';
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
  /** The last status seen before the timeout (in its safe form, controls escaped), or `undefined` if none arrived. */
  readonly lastStatus: string | undefined;

  constructor(options: { generationId: string | undefined; timeout: number; lastStatus: string | undefined }) {
    // A status is server text: decoded safe already (`generation-shape.ts`), escaped again for one built by hand.
    const lastStatus = options.lastStatus === undefined ? undefined : serverText(options.lastStatus, undefined);
    const seen = lastStatus === undefined ? 'no status received' : `last status ${lastStatus}`;
    super(
      `Generation ${options.generationId === undefined ? '(unknown)' : serverText(options.generationId, undefined)} did not finish within ${options.timeout} ms (${seen})`,
      { code: 'GENERATION_TIMEOUT' },
    );
    this.generationId = options.generationId;
    this.timeout = options.timeout;
    this.lastStatus = lastStatus;
  }
}
