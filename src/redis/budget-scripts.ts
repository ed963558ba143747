/**
 * The keys of one account budget, in the order every script below takes them: the window (a sorted set of
 * grant times), the pause (the end of the latest shared 429 pause), the pacing (GCRA's theoretical arrival
 * time), the process registry (a sorted set of process ids by last heartbeat), the fleet (the most
 * processes counted at once lately, expiring `fleet memory` ms after that count was last seen) and the
 * resume time (when the fleet goes back to the shared budget after an outage).
 */
export const budgetKeys = (key: string): string[] => [`${key}:window`, `${key}:pause`, `${key}:pacing`, `${key}:processes`, `${key}:fleet`, `${key}:resume`];

/**
 * The registry of processes and the window's count, shared by the scripts below. ARGV: 1 limit, 2 window
 * ms, 3 spacing ms, 4 burst, 5 a unique member, 6 the process id, 7 the fleet memory ms, 8 the largest
 * fleet this process remembers (0 for none), 9 how long it still remembers it, ms. Registers the process
 * at `now` and forgets processes silent for 15 s; keeps the largest fleet counted (restoring it from
 * the process's memory when Redis lost it: a restart without persistence); drops grants older than the
 * window. Leaves `now`, `processes`, `used` (grants in the window) and `peak`, `peakTtl` set.
 */
const COUNT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZADD', KEYS[4], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 15000)
redis.call('PEXPIRE', KEYS[4], 60000)
local processes = redis.call('ZCARD', KEYS[4])
local peak = tonumber(redis.call('GET', KEYS[5]) or '0')
local remembered = tonumber(ARGV[8])
if peak < remembered and tonumber(ARGV[9]) > 0 and redis.call('EXISTS', KEYS[5]) == 0 then
  peak = remembered
  redis.call('SET', KEYS[5], peak, 'PX', ARGV[9])
end
if processes >= peak then
  peak = processes
  redis.call('SET', KEYS[5], peak, 'PX', ARGV[7])
end
local peakTtl = redis.call('PTTL', KEYS[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
`;

/**
 * One atomic step of the shared budget, on the Redis server's clock (no clock skew between processes).
 * KEYS: `budgetKeys`. ARGV: as `COUNT` says. Returns { wait ms (0 = granted), processes seen in the last
 * 15 s, grants in the window, the largest fleet lately, ms it is still remembered }.
 */
export const TAKE_SCRIPT = `${COUNT}
local limit = tonumber(ARGV[1])
local spacing = tonumber(ARGV[3])
local burst = tonumber(ARGV[4])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return { paused - now, processes, used, peak, peakTtl } end
if used >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return { math.max(1, tonumber(oldest[2]) + window - now), processes, used, peak, peakTtl }
end
local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
if tat < now then tat = now end
local early = tat - now - (burst - 1) * spacing
if early > 0 then return { math.ceil(early), processes, used, peak, peakTtl } end
redis.call('SET', KEYS[3], tostring(tat + spacing), 'PX', window)
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], window + 1000)
return { 0, processes, used + 1, peak, peakTtl }
`;

/**
 * A process's heartbeat, whether or not it sends requests (a process that only follows a coordinator's
 * leaseholder never takes a grant, yet polls its ids itself during an outage): the same KEYS and ARGV as
 * `TAKE_SCRIPT`, and the same answer with a wait of 0.
 */
export const HEARTBEAT_SCRIPT = `${COUNT}
return { 0, processes, used, peak, peakTtl }
`;

/**
 * After an outage: writes the grants this process made on its fallback into the window (ARGV 10 and on:
 * how long ago each was made, ms), so the shared budget counts them, and answers when the fleet resumes
 * the shared budget: one window after the first process of the fleet came back (every process stays on
 * its fallback until then, since those still in the outage spend without Redis). KEYS and ARGV 1-9 as
 * `TAKE_SCRIPT`. Returns { ms until the fleet resumes, processes, grants in the window, peak, peakTtl }.
 */
export const RECORD_SCRIPT = `${COUNT}
for index = 10, #ARGV do
  redis.call('ZADD', KEYS[1], now - tonumber(ARGV[index]), ARGV[5] .. ':' .. index)
end
redis.call('PEXPIRE', KEYS[1], window + 1000)
used = redis.call('ZCARD', KEYS[1])
local resume = tonumber(redis.call('GET', KEYS[6]) or '0')
if resume <= now then
  resume = now + window
  redis.call('SET', KEYS[6], resume, 'PX', window)
end
return { resume - now, processes, used, peak, peakTtl }
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
