import { classifyStatus } from '../model/generation-status.js';
import { emptyIdCounters, type IdCounters } from './counters.js';
import { stepAt, type TimelineStep } from './timeline.js';

/** A generation as the simulator holds it. */
export interface SimulatedGeneration {
  id: string;
  apiKey: string;
  createdAt: number;
  /** Real ms after creation at which each step starts (already time-scaled). */
  timeline: TimelineStep[];
  productExternalId: string | undefined;
  counters: IdCounters;
}

/** The simulator's generations: creation with a scaled timeline, and the API view of one at a time. */
export class GenerationStore {
  private readonly generations = new Map<string, SimulatedGeneration>();
  private sequence = 0;
  /** Where result images are served, e.g. `http://127.0.0.1:1234`; set once listening. */
  origin = '';

  constructor(private readonly timeScale: number) {}

  /** Adds a generation whose timeline (`at` before scaling) starts now; returns its id. */
  add(apiKey: string, timeline: readonly TimelineStep[], id?: string, productExternalId?: string): string {
    const generationId = id ?? `gen_sim_${(++this.sequence).toString().padStart(6, '0')}`;
    const scaled = timeline.map((step) => ({ ...step, at: step.at * this.timeScale }));
    this.generations.set(generationId, { id: generationId, apiKey, createdAt: Date.now(), timeline: scaled, productExternalId, counters: emptyIdCounters() });
    return generationId;
  }

  get(id: string): SimulatedGeneration | undefined {
    return this.generations.get(id);
  }

  /** The body `GET /generations/{id}` answers at `now`, and when its status last changed. */
  view(generation: SimulatedGeneration, now: number): { body: Record<string, unknown>; changedAt: number } {
    const { step } = stepAt(generation.timeline, now - generation.createdAt);
    const body: Record<string, unknown> = {
      generationId: generation.id,
      status: step.status,
      createdAt: new Date(generation.createdAt).toISOString(),
      updatedAt: new Date(generation.createdAt + step.at).toISOString(),
    };
    const kind = classifyStatus(step.status);
    if (kind === 'completed') body.resultImageUrl = `${this.origin}/results/${encodeURIComponent(generation.id)}.png`;
    if (kind === 'failed') Object.assign(body, { errorCode: step.errorCode, errorMessage: step.errorMessage ?? 'Generation failed' });
    return { body, changedAt: generation.createdAt + step.at };
  }
}
