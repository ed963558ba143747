import type { Transport } from './transport.js';
import { undiciTransport } from './undici-transport.js';

/** The transport a client gets when none is given: undici on Node (the browser build swaps in fetch). */
export function createDefaultTransport(): Transport {
  return undiciTransport();
}
