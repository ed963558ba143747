/**
 * The fleet's sweep lease, one Lua script each, on one key: KEYS[1] a hash (`owner`: the token of the
 * process that sweeps; `at`: when its latest sweep began, on the Redis server's clock in ms), with an
 * expiry. The process that sweeps takes it again at each of its sweeps; a process whose sweep comes due
 * takes it over once the owner's latest sweep is `stale` ms old (the owner stopped sweeping: its ids
 * ended, or it died), without waiting for the expiry.
 */

/**
 * Take (or keep) the lease. ARGV: token, lease ms, stale ms. Returns { 1, 0 } when this process sweeps,
 * else { 0, ms until the owner's sweep is stale }.
 */
export const SWEEP_LEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = redis.call('HMGET', KEYS[1], 'owner', 'at')
local at = tonumber(lease[2]) or 0
if lease[1] == ARGV[1] or not lease[1] or now - at >= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'at', now)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return { 1, 0 }
end
return { 0, math.max(0, tonumber(ARGV[3]) - (now - at)) }
`;

/**
 * Publishes what a sweep saw, if this process still holds the lease. ARGV: token, channel, the sweep's
 * JSON. The message is `<token> <JSON>`. Returns 1, or 0 when another process took the lease meanwhile.
 */
export const SWEEP_PUBLISH_SCRIPT = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('PUBLISH', ARGV[2], ARGV[1] .. ' ' .. ARGV[3])
return 1
`;

/** Lets the lease go if it is ours (the client closes). ARGV: token. Returns 1 or 0. */
export const SWEEP_RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;
