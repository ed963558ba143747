/**
 * genlook-rx: Genlook Try-On API generations as RxJS streams.
 * @packageDocumentation
 */
export { createGenlook } from './client/create-genlook.js';
export type { Genlook, RequestOptions } from './client/create-genlook.js';
export type { ConnectionHealth } from './client/connection-health.js';
export type { GenerationEstimate } from './client/generation-estimate.js';
export { generation$ } from './client/default-client.js';
export type { SettledGeneration } from './client/many-ids.js';
export type { WaitForOptions } from './client/wait-for.js';
export { DEFAULT_BASE_URL } from './client/options.js';
export type { CreationMode, GenerationOptions, GenlookOptions, RateLimitOptions, RetryOptions, TryOnOptions } from './client/options.js';
export { GENERATION_STATUSES } from './model/generation-status.js';
export type { KnownGenerationStatus } from './model/generation-status.js';
export { isCompleted, isFailed, isTerminal, isTerminalStatus, isUnknownStatus } from './model/status.js';
export { apiErrorBodySchema, generationSchema, generationStatusSchema, tryOnCreatedSchema, tryOnRequestSchema } from './model/schemas.js';
export type { ApiErrorBody, CompletedGeneration, FailedGeneration, Generation, GenerationStatus, TryOnCreated, TryOnRequest } from './model/schemas.js';
export { untilTerminal } from './operators/until-terminal.js';
export { timeoutGeneration } from './operators/timeout-generation.js';
export type { TimeoutGenerationConfig } from './operators/timeout-generation.js';
export { retryTransient } from './operators/retry-transient.js';
export type { RetryTransientConfig } from './operators/retry-transient.js';
export { GenlookError } from './model/errors/genlook-error.js';
export type { GenlookErrorCode, GenlookErrorOptions, GenlookOwnErrorCode, KnownApiErrorCode } from './model/errors/genlook-error.js';
export { GenerationFailedError } from './model/errors/generation-failed-error.js';
export { GenerationTimeoutError } from './model/errors/generation-timeout-error.js';
export { GenlookApiError } from './model/errors/genlook-api-error.js';
export type { GenlookErrorDetail } from './model/errors/genlook-api-error.js';
export { GenlookNetworkError } from './model/errors/genlook-network-error.js';
export { GenlookResponseError } from './model/errors/genlook-response-error.js';
export type { GenlookResponseIssue } from './model/errors/genlook-response-error.js';
export { GenlookConfigError } from './model/errors/genlook-config-error.js';
export { GenlookValidationError } from './model/errors/genlook-validation-error.js';
export { isGenlookError, isTransientError } from './model/errors/guards.js';
export type { GenlookErrorUnion } from './model/errors/guards.js';
export { createMemoryBudget } from './scheduling/memory-budget.js';
export type { MemoryBudgetConfig } from './scheduling/memory-budget.js';
export type { BudgetSnapshot, RateBudget } from './scheduling/rate-budget.js';
export type { CoordinatedWatch, CoordinatorMembership, FleetSweep, PollCoordinator } from './polling/poll-coordinator.js';
export type { GenerationListItem } from './model/generation-list.js';
export { backoffDelay, parseRetryAfter } from './scheduling/backoff.js';
export { fetchTransport } from './http/fetch-transport.js';
export type { FetchTransportOptions } from './http/fetch-transport.js';
export type { Transport, TransportRequest, TransportResponse } from './http/transport.js';
