import { fetchTransport } from './fetch-transport.js';
import type { Transport } from './transport.js';

/** The transport a client gets when none is given, in browsers and edge runtimes: fetch. */
export function createDefaultTransport(): Transport {
  return fetchTransport();
}
