import type { Fault } from './faults.js';

/** Request counters of one generation id. */
export interface IdCounters {
  /** Requests received for the id. */
  requests: number;
  /** Requests in progress now. */
  concurrent: number;
  /** The most requests in progress at once (more than 1 means overlapping polls). */
  maxConcurrent: number;
  /** Requests whose client went away before the answer was sent. */
  aborted: number;
  /** Faults injected into this id's requests, by kind. */
  faults: Partial<Record<Fault, number>>;
}

/** Counters of a whole simulator run. */
export interface SimulatorStats {
  /** Every HTTP request received. */
  requests: number;
  /** `GET /generations/{id}` requests. */
  generationRequests: number;
  /** `POST /try-on` and `POST /try-on/sync` requests. */
  createRequests: number;
  /** `POST /try-on/sync` requests (also counted in `createRequests`). */
  syncRequests: number;
  /** `GET /generations` (list) requests. */
  listRequests: number;
  /** API requests the per-key limit let through and counted (every one but those answered 401 or 429). */
  countedRequests: number;
  /** Answers by HTTP status. */
  byStatus: Record<number, number>;
  /** TCP connections accepted. */
  connections: number;
  /** The most TCP connections open at once. */
  maxOpenConnections: number;
  /** Requests aborted by the client before the answer. */
  aborted: number;
  /** The most concurrent requests seen for any single id. */
  maxConcurrentPerId: number;
  /** Faults injected into single reads, by kind. */
  faults: Record<Fault, number>;
  /** Faults injected into list pages (`listFaults`), by kind. */
  listFaults: Record<Fault, number>;
  /** List items left out (`listFaults.omit`) and pages shuffled (`listFaults.reorder`). */
  listItemsOmitted: number;
  listPagesReordered: number;
  /** Result-image downloads, and how many of them carried an `x-api-key` (should be 0). */
  resultDownloads: number;
  resultDownloadsWithKey: number;
  /** Paths that matched no route (a client sent off the API), e.g. from a hostile id. */
  unknownPaths: string[];
  /** Requests and connections dropped by an outage (`simulator.outage`). */
  outageDropped: number;
}

/** Fresh, zeroed stats. */
export function emptyStats(faults: Record<Fault, number>): SimulatorStats {
  return {
    requests: 0,
    generationRequests: 0,
    createRequests: 0,
    syncRequests: 0,
    listRequests: 0,
    countedRequests: 0,
    byStatus: {},
    connections: 0,
    maxOpenConnections: 0,
    aborted: 0,
    maxConcurrentPerId: 0,
    faults,
    listFaults: { ...faults },
    listItemsOmitted: 0,
    listPagesReordered: 0,
    resultDownloads: 0,
    resultDownloadsWithKey: 0,
    unknownPaths: [],
    outageDropped: 0,
  };
}

/** Fresh, zeroed counters for one id. */
export function emptyIdCounters(): IdCounters {
  return { requests: 0, concurrent: 0, maxConcurrent: 0, aborted: 0, faults: {} };
}
