import type { IncomingMessage, ServerResponse } from 'node:http';
import { GENERATION_STATUSES } from '../model/generation-status.js';
import { emptyIdCounters } from './counters.js';
import type { GenerationListPage } from './generation-store.js';
import { sendApiError, sendJson } from './http-answers.js';
import type { SimulatorContext } from './simulator-context.js';

/** `GET /generations/{id}`: the generation's state now, with the injected faults; counted per id. */
export function readGeneration(context: SimulatorContext, res: ServerResponse, apiKey: string, id: string): void {
  const { generations, stats, faults, delayed } = context;
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
    if (generation === undefined) return sendApiError(stats, res, 404, 'GENERATION_NOT_FOUND', `Generation ${id} not found`);
    if (generation.apiKey !== apiKey) return sendApiError(stats, res, 403, 'FORBIDDEN', 'This generation belongs to another account');
    const { body, changedAt } = generations.view(generation, Date.now(), fault === 'stale');
    sendJson(stats, res, 200, body, { 'x-simulator-status-changed-at': String(changedAt) });
  };
  delayed.later(latency, () => delayed.inject(fault, res, answer), res);
}

/**
 * `GET /generations?limit=1..200&cursor=&status=`: a page of the key's generations, newest first, with
 * the documented item fields only; a bad query is 400 `VALIDATION_FAILED` with `details`. Items show
 * their generations `listLag` ago; `listFaults` break pages (as `faults` break single reads), leave
 * items out, or shuffle them.
 */
export function listGenerations(context: SimulatorContext, req: IncomingMessage, res: ServerResponse, apiKey: string): void {
  const { stats, generations, listFaults, listDelayed, config } = context;
  stats.listRequests++;
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  const details: Array<{ path: string; message: string }> = [];
  const limitText = query.get('limit') ?? '20';
  const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!(limit >= 1 && limit <= 200)) details.push({ path: 'limit', message: 'Expected an integer from 1 to 200' });
  const statusText = query.get('status') ?? undefined;
  const status = GENERATION_STATUSES.find((known) => known === statusText);
  if (statusText !== undefined && status === undefined) details.push({ path: 'status', message: `Expected one of ${GENERATION_STATUSES.join(', ')}` });
  const cursorText = query.get('cursor') ?? undefined;
  const cursor = cursorText === undefined ? undefined : Number(Buffer.from(cursorText, 'base64url').toString('utf8'));
  if (cursor !== undefined && !(Number.isInteger(cursor) && cursor > 0)) details.push({ path: 'cursor', message: 'Expected a cursor from a previous page' });
  if (details.length > 0) return sendApiError(stats, res, 400, 'VALIDATION_FAILED', 'Invalid query', { details });
  const { fault, latency } = listFaults.next();
  const answer = () => {
    const page = generations.list(apiKey, { limit, cursor, status }, Date.now(), config.listLag * config.timeScale);
    sendJson(stats, res, 200, damaged(page, context));
  };
  listDelayed.later(latency, () => listDelayed.inject(fault, res, answer), res);
}

/** The page with `listFaults.omit` and `listFaults.reorder` applied (drawn from the list's generator). */
function damaged(page: GenerationListPage, context: SimulatorContext): GenerationListPage {
  const { omit = 0, reorder = 0 } = context.config.listFaults;
  if (omit === 0 && reorder === 0) return page;
  const random = () => context.listFaults.draw();
  let items = page.items.filter(() => !(omit > 0 && random() < omit));
  context.stats.listItemsOmitted += page.items.length - items.length;
  if (reorder > 0 && random() < reorder && items.length > 1) {
    items = items.map((item) => ({ item, key: random() })).sort((a, b) => a.key - b.key).map(({ item }) => item);
    context.stats.listPagesReordered++;
  }
  return { ...page, items, count: items.length };
}
