/**
 * genlook-rx/redis: one account budget shared by every process of a fleet, on Redis (Node).
 * @packageDocumentation
 */
export { redisBudget } from './redis-budget.js';
export type { RedisBudget, RedisBudgetOptions, RedisLike } from './redis-budget.js';
export { GenlookRedisWarning } from './genlook-redis-warning.js';
