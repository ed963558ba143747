import type { IncomingMessage, ServerResponse } from 'node:http';
import { classifyStatus } from '../model/generation-status.js';
import { tryOnRequestSchema } from '../model/schemas.js';
import { validate } from '../model/validate.js';
import type { SimulatedGeneration } from './generation-store.js';
import { readBody, sendApiError, sendJson } from './http-answers.js';
import type { SimulatorContext } from './simulator-context.js';
import { defaultTimeline, outcomeOf } from './timeline.js';

/**
 * `POST /try-on` (`mode: 'create'`): 200 `{ generationId, status: 'PENDING', productExternalId }` at once.
 * `POST /try-on/sync` (`mode: 'sync'`): the same creation, then the request is held until the generation
 * ends or `syncHold` (scaled) passes: 200 `{ generationId, resultImageUrl }` when it completed, the failed
 * generation as `syncFailedAnswer` says when it failed, else 202 `{ generationId }` to poll. A client that
 * goes away ends the hold. Both check the body against the client's own schema and cost a credit.
 */
export async function createTryOn(context: SimulatorContext, req: IncomingMessage, res: ServerResponse, apiKey: string, mode: 'create' | 'sync'): Promise<void> {
  const { stats, config, credits, generations } = context;
  stats.createRequests++;
  if (mode === 'sync') stats.syncRequests++;
  let json: unknown;
  try {
    json = JSON.parse(await readBody(req));
  } catch {
    return sendApiError(stats, res, 400, 'VALIDATION_FAILED', 'Body is not valid JSON', { details: [{ path: '', message: 'Invalid JSON' }] });
  }
  const parsed = validate(tryOnRequestSchema, json);
  if (!parsed.success) return sendApiError(stats, res, 400, 'VALIDATION_FAILED', 'Request validation failed', { details: parsed.issues });
  const left = credits.get(apiKey) ?? config.credits;
  if (left <= 0) return sendApiError(stats, res, 402, 'INSUFFICIENT_CREDITS', 'No credits left on this account');
  credits.set(apiKey, left - 1);
  const { outcome, slow } = outcomeOf(parsed.data);
  const product = parsed.data.products[0];
  const productExternalId = product?.externalId;
  const productDescription = product && 'title' in product ? product.title : undefined;
  const id = generations.add(apiKey, defaultTimeline(outcome, context.nextDuration() * (slow ? 2 : 1)), { productExternalId, productDescription });
  if (mode === 'create') return sendJson(stats, res, 200, { generationId: id, status: 'PENDING', productExternalId });
  hold(context, res, generations.get(id)!, Date.now() + config.syncHold * config.timeScale);
}

/** Holds the answer until the generation ends or `until` (epoch ms) passes, whichever comes first. */
function hold(context: SimulatorContext, res: ServerResponse, generation: SimulatedGeneration, until: number): void {
  const { stats, generations, config } = context;
  const now = Date.now();
  const { body } = generations.view(generation, now);
  const kind = classifyStatus(body.status as string);
  if (kind === 'pending') {
    // A timer may fire a millisecond early against Date.now(): wake until the outcome or the hold's end.
    if (now < until) return context.delayed.later(Math.max(1, Math.min((generations.terminalAt(generation) ?? Infinity) - now, until - now)), () => hold(context, res, generation, until), res);
    return sendJson(stats, res, 202, { generationId: generation.id });
  }
  if (kind === 'completed') return sendJson(stats, res, 200, { generationId: generation.id, resultImageUrl: generations.resultUrl(generation) });
  if (config.syncFailedAnswer === 'generation') return sendJson(stats, res, 200, body);
  sendApiError(stats, res, 422, String(body.errorCode ?? 'GENERATION_FAILED'), String(body.errorMessage ?? 'Generation failed'), { generationId: generation.id });
}
