import { type Generation, parseGeneration } from '../internal.js';

/**
 * How far past this host's clock a version may be. Versions are the Redis server's clock in microseconds
 * (`PUBLISH_SCRIPT` in coordinator-scripts.ts); a fleet's hosts keep their clocks within seconds of it
 * (NTP). A version beyond this is not one Redis wrote: accepting it would make every later one look old.
 */
const MAX_VERSION_LEAD_MS = 5 * 60_000;

/** True for a version Redis could have written: a positive safe integer, not past this host's clock by more than 5 minutes. */
export function isPlausibleVersion(version: number, now: number = Date.now()): boolean {
  return Number.isSafeInteger(version) && version > 0 && version <= (now + MAX_VERSION_LEAD_MS) * 1000;
}

/**
 * A stored or published generation, decoded with the parser of an HTTP answer (`parseGeneration`: the
 * same checks, every text field in its safe form); `undefined` if it is not one. Whether it is about the
 * id watched is the caller's check.
 */
export function decodeRelayed(body: string): Generation | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = parseGeneration(json);
  return parsed.success ? parsed.data : undefined;
}
