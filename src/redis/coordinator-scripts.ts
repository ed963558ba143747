/**
 * The coordinator's atomic steps, one Lua script each, on one id's two keys: KEYS[1] the lease (a string:
 * the leaseholder's token, with an expiry) and KEYS[2] the latest generation (a hash: `v` the version (a
 * decimal string), `status`, `final` (1 for a terminal status, as `classifyStatus` of
 * src/model/generation-status.ts says: the scripts hold no status names), `body` the JSON), so that both
 * live in one Redis Cluster slot (the id is a hash tag).
 * Messages on the id's channel: `<version> <generation JSON>`, or `released` when the leaseholder let go.
 */

/**
 * Join or take over: the latest generation, and the lease if it is free (or already ours) and the
 * generation is not over. ARGV: token, lease ms. Returns { 1 = leaseholder, lease ms left, version, body }.
 */
export const ACQUIRE_SCRIPT = `
local latest = redis.call('HMGET', KEYS[2], 'v', 'final', 'body')
local version = latest[1] or '0'
local body = latest[3] or ''
if latest[2] == '1' then return { 0, 0, version, body } end
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] or (not owner and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return { 1, tonumber(ARGV[2]), version, body }
end
return { 0, redis.call('PTTL', KEYS[1]), version, body }
`;

/**
 * An answer polled by the leaseholder: renews the lease; a status that differs from the latest one is
 * stored and published with a new version. Versions are the Redis server's clock in microseconds (at
 * least the previous one plus 1), not a counter: after a restart without persistence or a failover to a
 * replica that lacks the latest value, new versions still exceed the ones followers have seen.
 * ARGV: token, status, body JSON, retain ms, channel, lease ms, final (1 or 0).
 * Returns { version published (0 = same status), or -1 when the lease is someone else's; lease ms left }.
 */
export const PUBLISH_SCRIPT = `
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return { -1, redis.call('PTTL', KEYS[1]) } end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[6])
local latest = redis.call('HMGET', KEYS[2], 'v', 'status')
if latest[2] == ARGV[2] then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  return { 0, tonumber(ARGV[6]) }
end
local t = redis.call('TIME')
local version = string.format('%.0f', math.max(tonumber(t[1]) * 1000000 + tonumber(t[2]), (tonumber(latest[1]) or 0) + 1))
redis.call('HSET', KEYS[2], 'v', version, 'status', ARGV[2], 'final', ARGV[7], 'body', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], version .. ' ' .. ARGV[3])
return { version, tonumber(ARGV[6]) }
`;

/**
 * The leaseholder's heartbeat: extends the lease (taking it back if it lapsed and nobody took it) and
 * keeps the latest generation. ARGV: token, lease ms, retain ms. Returns 1, or 0 when the lease is lost.
 */
export const RENEW_SCRIPT = `
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

/** Lets the lease go if it is ours, and tells the followers at once. ARGV: token, channel. Returns 1 or 0. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], 'released')
return 1
`;
