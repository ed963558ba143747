/**
 * The registry of processes and the window's count, shared by the scripts below: registers ARGV[6] (the
 * process id) in KEYS[4] at `now`, forgets processes silent for 15 s, and drops grants older than the
 * window from KEYS[1]. Leaves `processes` and `used` (grants in the window) set.
 */
const COUNT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZADD', KEYS[4], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 15000)
redis.call('PEXPIRE', KEYS[4], 60000)
local processes = redis.call('ZCARD', KEYS[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
`;

/**
 * One atomic step of the shared budget, on the Redis server's clock (no clock skew between processes).
 * KEYS: the window (a sorted set of grant times), the pause key, the pacing key (GCRA's theoretical
 * arrival time), the process registry. ARGV: limit, window ms, spacing ms, burst, a unique member, the
 * process id. Returns { wait ms (0 = granted), processes seen in the last 15 s, grants in the window }.
 */
export const TAKE_SCRIPT = `${COUNT}
local limit = tonumber(ARGV[1])
local spacing = tonumber(ARGV[3])
local burst = tonumber(ARGV[4])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return { paused - now, processes, used } end
if used >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return { math.max(1, tonumber(oldest[2]) + window - now), processes, used }
end
local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
if tat < now then tat = now end
local early = tat - now - (burst - 1) * spacing
if early > 0 then return { math.ceil(early), processes, used } end
redis.call('SET', KEYS[3], tostring(tat + spacing), 'PX', window)
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], window + 1000)
return { 0, processes, used + 1 }
`;

/**
 * A process's heartbeat, whether or not it sends requests (a process that only follows a coordinator's
 * leaseholder never takes a grant, yet polls its ids itself during an outage): the same KEYS and ARGV as
 * `TAKE_SCRIPT`. Returns { processes, grants in the window }.
 */
export const HEARTBEAT_SCRIPT = `${COUNT}
return { processes, used }
`;

/** Pauses every process: the pause key holds the latest end of any reported pause. KEYS: pause. ARGV: ms. */
export const PAUSE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilTime = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilTime > current then redis.call('SET', KEYS[1], tostring(untilTime), 'PX', tonumber(ARGV[1]) + 1000) end
return untilTime
`;
