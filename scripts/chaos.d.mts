export const FAULT_MIX: { serverError: number; reset: number; malformed: number; stall: number; stale: number; rateLimitBurst: number; burstLength: number; burstRetryAfter: boolean };
export interface ChaosSummary {
  generations: number;
  seconds: number;
  requests: number;
  faultsInjected: number;
  faults: Record<'none' | 'serverError' | 'reset' | 'malformed' | 'truncated' | 'stall' | 'rateLimited' | 'stale', number>;
  /** Sweeps of the list, the faults injected into them, and the items they left out. */
  listRequests: number;
  listFaults: ChaosSummary['faults'];
  listItemsOmitted: number;
  /** Requests and connections the outage dropped. */
  outageDropped: number;
  /** Statuses emitted although older than one emitted before for the same id. */
  staleEmissions: number;
  /** With `eventStreams`: what the browsers on the proxy's event stream saw across its restart. */
  eventStreams: { streams: number; restarts: number; restartedAtMs: number[]; openAtRestart: number; events: number; reconnects: number; repeated: number; outOfOrder: number; wrongOrMissingOutcome: number };
  maxConcurrentPerId: number;
  outcomes: { completed: number; failedAsScripted: number; invalidResponse: number; transientExhausted: number; mismatched: number; otherErrors: number };
  mismatches: unknown[];
  heapStartMb: number;
  heapBeforeReleaseMb: number;
}
export function runChaos(options?: {
  generations?: number;
  waves?: number;
  waveMs?: number;
  seed?: number;
  minMs?: number;
  maxMs?: number;
  requestTimeout?: number;
  invalidBodies?: boolean;
  outage?: { atMs: number; durationMs: number };
  eventStreams?: { count: number; lastsMs: number; restartAtMs: number };
  log?: (line: string) => void;
}): Promise<ChaosSummary>;
