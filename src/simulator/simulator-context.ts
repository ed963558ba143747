import type { SimulatorStats } from './counters.js';
import type { FaultAnswers } from './fault-answers.js';
import type { FaultPicker } from './faults.js';
import type { GenerationStore } from './generation-store.js';
import type { ResolvedSimulatorOptions } from './simulator-options.js';

/** What the simulator's routes share. */
export interface SimulatorContext {
  config: ResolvedSimulatorOptions;
  generations: GenerationStore;
  stats: SimulatorStats;
  /** Faults of `GET /generations/{id}`. */
  faults: FaultPicker;
  /** Delayed answers (latency, stalls, sync holds), cancelled when their client goes away. */
  delayed: FaultAnswers;
  /** Faults of `GET /generations` (the list), from their own seeded generator. */
  listFaults: FaultPicker;
  /** The list's delayed answers and faults (its own stall length and 429 burst settings). */
  listDelayed: FaultAnswers;
  /** Credits left per key. */
  credits: Map<string, number>;
  /** The next created try-on's duration, in ms before time scaling. */
  nextDuration: () => number;
  /** Until when (epoch ms) every connection and request is dropped: a full outage (`simulator.outage`). */
  outageUntil: number;
}

/** The API's path prefix. */
export const PREFIX = '/tryon/v1';
