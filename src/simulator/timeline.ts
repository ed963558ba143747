/** One step of a generation's scripted history, at `at` ms (simulated time) after its creation. */
export interface TimelineStep {
  at: number;
  status: string;
  errorCode?: string;
  errorMessage?: string;
}

/** The outcome a generation is scripted to reach. */
export type ScriptedOutcome = { status: 'COMPLETED' } | { status: 'FAILED'; errorCode: string; errorMessage: string };

/** The default history: PENDING, PROCESSING after 2 s, the outcome after 10 s (before time scaling). */
export function defaultTimeline(outcome: ScriptedOutcome, durationMs = 10_000): TimelineStep[] {
  return [{ at: 0, status: 'PENDING' }, { at: Math.min(2_000, durationMs / 5), status: 'PROCESSING' }, { at: durationMs, ...outcome }];
}

/** The step in force `elapsed` ms after creation (the last one whose `at` has passed). */
export function stepAt(timeline: readonly TimelineStep[], elapsed: number): { step: TimelineStep; index: number } {
  let index = 0;
  for (let next = 1; next < timeline.length && timeline[next]!.at <= elapsed; next++) index = next;
  return { step: timeline[index]!, index };
}

/**
 * The documented convention that picks a try-on's outcome from its request:
 * - a product or person image URL on a host ending in `.invalid` (e.g. `https://unreachable.invalid/x.png`)
 *   fails with `PRODUCT_IMAGE_FETCH_FAILED` (`PERSON_IMAGE_FETCH_FAILED` for the person);
 * - an `externalUserId` or product `externalId` of the form `sim:fail:CODE` fails with `CODE`;
 * - `sim:slow` anywhere in those doubles the duration;
 * - anything else completes.
 */
export function outcomeOf(request: {
  products: ReadonlyArray<{ externalId?: string | undefined; images?: ReadonlyArray<{ source: { url?: string } | { fileKey?: string } }> | undefined }>;
  person: { image: { source: { url?: string } | { id?: string } | { fileKey?: string } } };
  externalUserId?: string | undefined;
}): { outcome: ScriptedOutcome; slow: boolean } {
  const markers = [request.externalUserId, ...request.products.map((product) => product.externalId)].filter((marker): marker is string => typeof marker === 'string');
  const slow = markers.some((marker) => marker.includes('sim:slow'));
  for (const marker of markers) {
    const match = /sim:fail:([A-Z0-9_]+)/.exec(marker);
    if (match) return { outcome: { status: 'FAILED', errorCode: match[1]!, errorMessage: `Simulated failure ${match[1]}` }, slow };
  }
  const isUnreachable = (source: object) => 'url' in source && typeof source.url === 'string' && hostOf(source.url).endsWith('.invalid');
  if (request.products.some((product) => product.images?.some((image) => isUnreachable(image.source)))) {
    return { outcome: { status: 'FAILED', errorCode: 'PRODUCT_IMAGE_FETCH_FAILED', errorMessage: 'Could not fetch the product image' }, slow };
  }
  if (isUnreachable(request.person.image.source)) {
    return { outcome: { status: 'FAILED', errorCode: 'PERSON_IMAGE_FETCH_FAILED', errorMessage: 'Could not fetch the person image' }, slow };
  }
  return { outcome: { status: 'COMPLETED' }, slow };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
