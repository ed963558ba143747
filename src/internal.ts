/**
 * The one door through which the package's other entries (`genlook-rx/testing`, `genlook-rx/redis`)
 * reach the core: what they may use beyond the public API. Not an entry of its own.
 * @internal
 */
export * from './index.js';
export { parseGeneration } from './model/generation-shape.js';
export { parseGenerationList } from './model/generation-list.js';
export { classifyStatus, statusRank } from './model/generation-status.js';
export { validateGenerationId } from './model/generation-id.js';
export { validate } from './model/validate.js';
export { escapeControls, serverText } from './model/server-text.js';
export { readCappedBytes } from './http/read-capped.js';
export { callable, describe, nonEmptyString, positive, positiveInteger, withMethods } from './model/option-checks.js';
export { ACCOUNT_REQUESTS_PER_MINUTE, ACCOUNT_WINDOW_MS, DEFAULT_BURST, rateLimitOf, windowMargin } from './model/account-limits.js';
export { createTimerHeapScheduler } from './scheduling/timer-heap-scheduler.js';
export { takenSlot$ } from './scheduling/rate-budget.js';
export { MinHeap } from './scheduling/min-heap.js';
export type { TimerHeapScheduler } from './scheduling/timer-heap-scheduler.js';
