import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { emptyIdCounters, emptyStats, type IdCounters, type SimulatorStats } from './counters.js';
import { durationSampler } from './durations.js';
import { createFaultAnswers } from './fault-answers.js';
import { FaultPicker, seededRandom } from './faults.js';
import { GenerationStore } from './generation-store.js';
import { createRequestHandler } from './request-handler.js';
import { PREFIX, type SimulatorContext } from './simulator-context.js';
import { resolveSimulatorOptions, type SimulatorOptions } from './simulator-options.js';
import type { TimelineStep } from './timeline.js';

export type { SimulatedGeneration } from './generation-store.js';

/** A running simulator. */
export interface Simulator {
  /** e.g. `http://127.0.0.1:38211/tryon/v1`: pass it as `baseUrl`. */
  baseUrl: string;
  /** The key it accepts: pass it as `apiKey`. */
  apiKey: string;
  port: number;
  /** Adds a generation with a scripted timeline (`at` in ms before time scaling); returns its id. */
  script(timeline: TimelineStep[], options?: { id?: string; apiKey?: string }): string;
  /** The generation's current state as the API would answer it (`undefined` if unknown). */
  generation(id: string): Record<string, unknown> | undefined;
  /** The final outcome scripted for a generation: its last step. */
  outcomeOf(id: string): TimelineStep | undefined;
  /** When a generation's status last changed, or will change next: epoch ms of each step of its timeline. */
  timelineOf(id: string): Array<{ at: number; status: string }> | undefined;
  /** Counters of one id. */
  requestsFor(id: string): IdCounters;
  /** Counters of the whole run. */
  stats(): SimulatorStats;
  /** Requests served on each connection so far. */
  requestsPerConnection(): number[];
  /**
   * A full outage for `durationMs` (real time, not scaled): every connection and request is dropped (the
   * client sees resets) until it ends; timelines go on meanwhile.
   */
  outage(durationMs: number): void;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * Starts a local Genlook-compatible API on 127.0.0.1 (port 0 by default): `GET /generations/{id}`,
 * `GET /generations`, `POST /try-on`, `POST /try-on/sync`, and the result images, with auth, a per-key
 * rate limit, credits, scripted timelines, seeded durations and fault injection, and request counters.
 * See docs/simulator.md.
 *
 * @example
 * ```ts
 * const simulator = await startSimulator({ timeScale: 0.1 });
 * const genlook = createGenlook({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey });
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const config = resolveSimulatorOptions(options);
  const generations = new GenerationStore(config.timeScale);
  const faults = new FaultPicker(config.faults);
  const stats = emptyStats(faults.injected);
  const delayed = createFaultAnswers(stats, config.faults);
  const listFaults = new FaultPicker(config.listFaults);
  stats.listFaults = listFaults.injected;
  const listDelayed = createFaultAnswers(stats, config.listFaults);
  const nextDuration = durationSampler(config.generationDuration, config.durationSpread, seededRandom(config.seed));
  const context: SimulatorContext = { config, generations, stats, faults, delayed, listFaults, listDelayed, credits: new Map(), nextDuration, outageUntil: 0 };
  const connectionRequests = new Map<Socket, number>();
  const handle = createRequestHandler(context);
  const server = createServer((req, res) => {
    if (req.socket) connectionRequests.set(req.socket, (connectionRequests.get(req.socket) ?? 0) + 1);
    handle(req, res);
  });
  let open = 0;
  server.on('connection', (socket) => {
    if (Date.now() < context.outageUntil) {
      stats.outageDropped++;
      return void socket.destroy();
    }
    stats.connections++;
    stats.maxOpenConnections = Math.max(stats.maxOpenConnections, ++open);
    socket.on('close', () => {
      open--;
      connectionRequests.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  generations.origin = `http://${host}:${port}`;

  return {
    baseUrl: `${generations.origin}${PREFIX}`,
    apiKey: config.apiKey,
    port,
    script: (timeline, scriptOptions = {}) => generations.add(scriptOptions.apiKey ?? config.apiKey, timeline, { id: scriptOptions.id }),
    generation: (id) => {
      const generation = generations.get(id);
      return generation && generations.view(generation, Date.now()).body;
    },
    outcomeOf: (id) => generations.get(id)?.timeline.at(-1),
    timelineOf: (id) => {
      const generation = generations.get(id);
      return generation?.timeline.map((step) => ({ at: generation.createdAt + step.at, status: step.status }));
    },
    requestsFor: (id) => {
      const counters = generations.get(id)?.counters ?? emptyIdCounters();
      return { ...counters, faults: { ...counters.faults } };
    },
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus }, faults: { ...stats.faults }, listFaults: { ...stats.listFaults }, unknownPaths: [...stats.unknownPaths] }),
    requestsPerConnection: () => [...connectionRequests.values()],
    outage: (durationMs) => {
      context.outageUntil = Date.now() + durationMs;
      // Connections open now go too: a client must reconnect, and find the outage.
      for (const socket of connectionRequests.keys()) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        delayed.clear();
        listDelayed.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
