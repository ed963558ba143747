/**
 * genlook-rx: Genlook Try-On API generations as RxJS streams.
 * @packageDocumentation
 */
export { createGenlook } from './client.js';
export type { Genlook, RequestOptions } from './client.js';
export { generation$ } from './default-client.js';
export type { SettledGeneration } from './generations.js';
export type { WaitForOptions } from './wait-for.js';
export { DEFAULT_BASE_URL } from './options.js';
export type { GenerationOptions, GenlookOptions, RateLimitOptions, RetryOptions } from './options.js';
export {
  GENERATION_STATUSES,
  isCompleted,
  isFailed,
  isTerminal,
  isTerminalStatus,
  isUnknownStatus,
} from './status.js';
export type { KnownGenerationStatus } from './status.js';
export {
  apiErrorBodySchema,
  generationSchema,
  generationStatusSchema,
  tryOnCreatedSchema,
  tryOnRequestSchema,
} from './schemas.js';
export type {
  ApiErrorBody,
  CompletedGeneration,
  FailedGeneration,
  Generation,
  GenerationStatus,
  TryOnCreated,
  TryOnRequest,
} from './schemas.js';
export { untilTerminal } from './operators/until-terminal.js';
export { timeoutGeneration } from './operators/timeout-generation.js';
export type { TimeoutGenerationConfig } from './operators/timeout-generation.js';
export { retryTransient } from './operators/retry-transient.js';
export type { RetryTransientConfig } from './operators/retry-transient.js';
export { GenlookError } from './errors/genlook-error.js';
export type { GenlookErrorOptions } from './errors/genlook-error.js';
export { GenerationFailedError } from './errors/generation-failed-error.js';
export { GenerationTimeoutError } from './errors/generation-timeout-error.js';
export { GenlookApiError } from './errors/genlook-api-error.js';
export type { GenlookErrorDetail } from './errors/genlook-api-error.js';
export { GenlookNetworkError } from './errors/genlook-network-error.js';
export { GenlookResponseError } from './errors/genlook-response-error.js';
export type { GenlookResponseIssue } from './errors/genlook-response-error.js';
export { GenlookConfigError } from './errors/genlook-config-error.js';
export { GenlookValidationError } from './errors/genlook-validation-error.js';
export { isGenlookError, isTransientError } from './errors/guards.js';
export { createMemoryBudget } from './scheduling/memory-budget.js';
export type { MemoryBudgetConfig } from './scheduling/memory-budget.js';
export type { RateBudget } from './scheduling/rate-budget.js';
export type { CoordinatedWatch, CoordinatorMembership, PollCoordinator } from './poll-coordinator.js';
export { backoffDelay, parseRetryAfter } from './scheduling/backoff.js';
export { fetchTransport } from './transport/fetch-transport.js';
export type { FetchTransportOptions } from './transport/fetch-transport.js';
export type { Transport, TransportRequest, TransportResponse } from './transport/transport.js';
