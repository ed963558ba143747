import { classifyStatus, GENERATION_STATUSES } from '../model/generation-status.js';
import { emptyIdCounters, type IdCounters } from './counters.js';
import { stepAt, type TimelineStep } from './timeline.js';

/** A generation as the simulator holds it. */
export interface SimulatedGeneration {
  id: string;
  apiKey: string;
  /** Creation order (the list endpoint's newest-first order and cursor). */
  sequence: number;
  createdAt: number;
  /** Real ms after creation at which each step starts (already time-scaled). */
  timeline: TimelineStep[];
  productExternalId: string | undefined;
  productDescription: string | null;
  counters: IdCounters;
}

/** A page of `GET /generations`, as the API documents it. */
export interface GenerationListPage {
  items: Array<{ id: string; status: string; productDescription: string | null; generationTimeMs: number | null; createdAt: string; updatedAt: string }>;
  nextCursor: string | null;
  hasMore: boolean;
  count: number;
}

/** The simulator's generations: creation with a scaled timeline, and the API's views of them. */
export class GenerationStore {
  private readonly generations = new Map<string, SimulatedGeneration>();
  private sequence = 0;
  /** Where result images are served, e.g. `http://127.0.0.1:1234`; set once listening. */
  origin = '';

  constructor(private readonly timeScale: number) {}

  /** Adds a generation whose timeline (`at` before scaling) starts now; returns its id. */
  add(apiKey: string, timeline: readonly TimelineStep[], more: { id?: string | undefined; productExternalId?: string | undefined; productDescription?: string | undefined } = {}): string {
    const sequence = ++this.sequence;
    const id = more.id ?? `gen_sim_${sequence.toString().padStart(6, '0')}`;
    const scaled = timeline.map((step) => ({ ...step, at: step.at * this.timeScale }));
    const productDescription = more.productDescription ?? more.productExternalId ?? null;
    this.generations.set(id, { id, apiKey, sequence, createdAt: Date.now(), timeline: scaled, productExternalId: more.productExternalId, productDescription, counters: emptyIdCounters() });
    return id;
  }

  get(id: string): SimulatedGeneration | undefined {
    return this.generations.get(id);
  }

  /** When the generation reaches its terminal status (epoch ms), or `undefined` if its timeline has none. */
  terminalAt(generation: SimulatedGeneration): number | undefined {
    const last = generation.timeline.at(-1)!;
    return classifyStatus(last.status) === 'pending' ? undefined : generation.createdAt + last.at;
  }

  /**
   * The body `GET /generations/{id}` answers at `now`, and when its status last changed; `isStale`, as a
   * replica one step behind would answer (the previous status, when there is one).
   */
  view(generation: SimulatedGeneration, now: number, isStale = false): { body: Record<string, unknown>; changedAt: number } {
    const { index } = stepAt(generation.timeline, now - generation.createdAt);
    const step = generation.timeline[isStale ? Math.max(0, index - 1) : index]!;
    const body: Record<string, unknown> = {
      generationId: generation.id,
      status: step.status,
      createdAt: new Date(generation.createdAt).toISOString(),
      updatedAt: new Date(generation.createdAt + step.at).toISOString(),
    };
    const kind = classifyStatus(step.status);
    if (kind === 'completed') body.resultImageUrl = this.resultUrl(generation);
    if (kind === 'failed') Object.assign(body, { errorCode: step.errorCode, errorMessage: step.errorMessage ?? 'Generation failed' });
    return { body, changedAt: generation.createdAt + step.at };
  }

  resultUrl(generation: SimulatedGeneration): string {
    return `${this.origin}/results/${encodeURIComponent(generation.id)}.png`;
  }

  /**
   * `GET /generations?limit&cursor&status`: the key's generations, newest first, `limit` a page, after the
   * `cursor` of the previous page, optionally of one status; items carry only the documented fields,
   * each as it was `lag` ms ago (a generation created since is listed PENDING, as it was created).
   */
  list(apiKey: string, query: { limit: number; cursor: number | undefined; status: (typeof GENERATION_STATUSES)[number] | undefined }, now: number, lag = 0): GenerationListPage {
    const seenAt = now - lag;
    const items: GenerationListPage['items'] = [];
    let last: number | undefined;
    let hasMore = false;
    for (const generation of [...this.generations.values()].reverse()) {
      if (generation.apiKey !== apiKey || (query.cursor !== undefined && generation.sequence >= query.cursor)) continue;
      const { body } = this.view(generation, Math.max(seenAt, generation.createdAt));
      if (query.status !== undefined && body.status !== query.status) continue;
      if (items.length === query.limit) {
        hasMore = true;
        break;
      }
      const finishedAt = this.terminalAt(generation);
      items.push({
        id: generation.id,
        status: body.status as string,
        productDescription: generation.productDescription,
        generationTimeMs: finishedAt !== undefined && finishedAt <= seenAt ? finishedAt - generation.createdAt : null,
        createdAt: body.createdAt as string,
        updatedAt: body.updatedAt as string,
      });
      last = generation.sequence;
    }
    return { items, nextCursor: hasMore && last !== undefined ? Buffer.from(String(last)).toString('base64url') : null, hasMore, count: items.length };
  }
}
