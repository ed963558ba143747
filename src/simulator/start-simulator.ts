import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tryOnRequestSchema } from '../model/schemas.js';
import { validate } from '../model/validate.js';
import { emptyIdCounters, emptyStats, type IdCounters, type SimulatorStats } from './counters.js';
import { createFaultAnswers } from './fault-answers.js';
import { FaultPicker } from './faults.js';
import { GenerationStore } from './generation-store.js';
import { readBody, sendApiError, sendJson } from './http-answers.js';
import { renderPng } from './png.js';
import { RateWindow } from './rate-window.js';
import { resolveSimulatorOptions, type SimulatorOptions } from './simulator-options.js';
import { defaultTimeline, outcomeOf, type TimelineStep } from './timeline.js';

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
  /** Counters of one id. */
  requestsFor(id: string): IdCounters;
  /** Counters of the whole run. */
  stats(): SimulatorStats;
  /** Requests served on each connection so far. */
  requestsPerConnection(): number[];
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

const PREFIX = '/tryon/v1';

/**
 * Starts a local Genlook-compatible API on 127.0.0.1 (port 0 by default): `GET /generations/{id}`,
 * `POST /try-on`, and the result images, with auth, a per-key rate limit, credits, scripted
 * timelines, seeded fault injection and request counters. See docs/simulator.md.
 *
 * @example
 * ```ts
 * const simulator = await startSimulator({ timeScale: 0.1 });
 * const genlook = createGenlook({ baseUrl: simulator.baseUrl, apiKey: simulator.apiKey });
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const config = resolveSimulatorOptions(options);
  const keys = new Set([config.apiKey, ...config.otherApiKeys]);
  const generations = new GenerationStore(config.timeScale);
  const credits = new Map<string, number>();
  const faults = new FaultPicker(config.faults);
  const stats = emptyStats(faults.injected);
  const rateWindow = config.rateLimit ? new RateWindow(config.rateLimit.requestsPerMinute, config.rateLimit.windowMs) : undefined;
  const connectionRequests = new Map<Socket, number>();
  const delayed = createFaultAnswers(stats, config.faults);
  const send = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => sendJson(stats, res, status, body, headers);
  const apiError = (res: ServerResponse, status: number, code: string, message: string, extra?: Record<string, unknown>, headers?: Record<string, string>) =>
    sendApiError(stats, res, status, code, message, extra, headers);

  const handleGeneration = (res: ServerResponse, apiKey: string, rawId: string) => {
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      return apiError(res, 400, 'VALIDATION_FAILED', 'Malformed generation id');
    }
    stats.generationRequests++;
    const generation = generations.get(id);
    const counters = generation?.counters ?? emptyIdCounters();
    counters.requests++;
    counters.concurrent++;
    counters.maxConcurrent = Math.max(counters.maxConcurrent, counters.concurrent);
    stats.maxConcurrentPerId = Math.max(stats.maxConcurrentPerId, counters.maxConcurrent);
    res.on('close', () => {
      counters.concurrent--;
      if (!res.writableFinished) counters.aborted++;
    });
    const { fault, latency } = faults.next();
    if (fault !== 'none') counters.faults[fault] = (counters.faults[fault] ?? 0) + 1;
    const answer = () => {
      if (generation === undefined) return apiError(res, 404, 'GENERATION_NOT_FOUND', `Generation ${id} not found`);
      if (generation.apiKey !== apiKey) return apiError(res, 403, 'FORBIDDEN', 'This generation belongs to another account');
      const { body, changedAt } = generations.view(generation, Date.now());
      send(res, 200, body, { 'x-simulator-status-changed-at': String(changedAt) });
    };
    delayed.later(latency, () => delayed.inject(fault, res, answer), res);
  };

  const handleCreate = async (req: IncomingMessage, res: ServerResponse, apiKey: string) => {
    stats.createRequests++;
    let json: unknown;
    try {
      json = JSON.parse(await readBody(req));
    } catch {
      return apiError(res, 400, 'VALIDATION_FAILED', 'Body is not valid JSON', { details: [{ path: '', message: 'Invalid JSON' }] });
    }
    const parsed = validate(tryOnRequestSchema, json);
    if (!parsed.success) return apiError(res, 400, 'VALIDATION_FAILED', 'Request validation failed', { details: parsed.issues });
    const left = credits.get(apiKey) ?? config.credits;
    if (left <= 0) return apiError(res, 402, 'INSUFFICIENT_CREDITS', 'No credits left on this account');
    credits.set(apiKey, left - 1);
    const { outcome, slow } = outcomeOf(parsed.data);
    const productExternalId = parsed.data.products[0]?.externalId;
    const id = generations.add(apiKey, defaultTimeline(outcome, config.generationDuration * (slow ? 2 : 1)), undefined, productExternalId);
    send(res, 200, { generationId: id, status: 'PENDING', productExternalId });
  };

  const server = createServer((req, res) => {
    stats.requests++;
    if (req.socket) connectionRequests.set(req.socket, (connectionRequests.get(req.socket) ?? 0) + 1);
    res.on('close', () => {
      if (!res.writableFinished) stats.aborted++;
    });
    if (config.cors) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', 'x-api-key, content-type, accept');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const result = /^\/results\/([^/]+)\.png$/.exec(path);
    if (req.method === 'GET' && result) {
      stats.resultDownloads++;
      if (req.headers['x-api-key'] !== undefined) stats.resultDownloadsWithKey++;
      const generation = generations.get(decodeURIComponent(result[1]!));
      if (generation === undefined) return apiError(res, 404, 'NOT_FOUND', 'No such result');
      const png = renderPng(generation.createdAt % 251);
      stats.byStatus[200] = (stats.byStatus[200] ?? 0) + 1;
      return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
    }
    const generationMatch = /^\/tryon\/v1\/generations\/([^/]+)$/.exec(path);
    const isCreate = path === `${PREFIX}/try-on`;
    if (!generationMatch && !isCreate) {
      if (stats.unknownPaths.length < 100) stats.unknownPaths.push(`${req.method} ${path}`);
      return apiError(res, 404, 'NOT_FOUND', `No route for ${req.method} ${path}`);
    }
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') return apiError(res, 401, 'MISSING_API_KEY', 'Missing x-api-key header');
    if (!keys.has(key)) return apiError(res, 401, 'INVALID_API_KEY', 'Invalid API key');
    const verdict = rateWindow?.take(key, Date.now());
    if (verdict && !verdict.allowed) {
      const headers: Record<string, string> = config.rateLimit && config.rateLimit.retryAfter ? { 'retry-after': String(Math.max(1, Math.ceil(verdict.waitMs / 1000))) } : {};
      return apiError(res, 429, 'RATE_LIMITED', 'Rate limit exceeded: 100 requests per minute', {}, headers);
    }
    if (generationMatch && req.method === 'GET') return handleGeneration(res, key, generationMatch[1]!);
    if (isCreate && req.method === 'POST') return void handleCreate(req, res, key);
    return apiError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`);
  });
  let open = 0;
  server.on('connection', (socket) => {
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
    script: (timeline, scriptOptions = {}) => generations.add(scriptOptions.apiKey ?? config.apiKey, timeline, scriptOptions.id),
    generation: (id) => {
      const generation = generations.get(id);
      return generation && generations.view(generation, Date.now()).body;
    },
    outcomeOf: (id) => generations.get(id)?.timeline.at(-1),
    requestsFor: (id) => {
      const counters = generations.get(id)?.counters ?? emptyIdCounters();
      return { ...counters, faults: { ...counters.faults } };
    },
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus }, faults: { ...stats.faults }, unknownPaths: [...stats.unknownPaths] }),
    requestsPerConnection: () => [...connectionRequests.values()],
    close: () =>
      new Promise<void>((resolve) => {
        delayed.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
