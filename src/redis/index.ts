/**
 * genlook-rx/redis: one account budget and one poll per generation across a fleet of processes, on Redis (Node).
 * @packageDocumentation
 */
export { redisBudget } from './redis-budget.js';
export type { RedisBudget, RedisBudgetOptions } from './redis-budget.js';
export { redisCoordinator } from './redis-coordinator.js';
export type { RedisCoordinator, RedisCoordinatorOptions, RedisSubscriberLike } from './redis-coordinator.js';
export type { RedisLike } from './redis-health.js';
export { GenlookRedisWarning } from './genlook-redis-warning.js';
export type { RedisWarningSource } from './genlook-redis-warning.js';
