import type { Redis } from "ioredis";

/**
 * Rate limits on admin password guesses, per client address and for the whole site, with
 * exponential backoff, counted in Redis so every web replica agrees. Each attempt is admitted (or
 * not) and counted as a failure in one Lua script, before the password is checked: a burst of
 * parallel guesses cannot slip in between a check and a count. Past `free` failures, each further
 * one blocks the next attempt for base × 2^(failures − free − 1), up to `maxDelayMs`; a success
 * clears the address's failures and takes its attempt back from the global count. While blocked,
 * even the right password is refused.
 */
export interface ThrottleLimit {
  /** Failures allowed without delay within `windowMs`. */
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures are forgotten this long after the last one. */
  windowMs: number;
}

export interface ThrottleLimits {
  perAddress: ThrottleLimit;
  global: ThrottleLimit;
}

export const defaultThrottleLimits: ThrottleLimits = {
  perAddress: { free: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, windowMs: 60 * 60_000 },
  global: { free: 100, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, windowMs: 60 * 60_000 },
};

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number };

export interface LoginThrottle {
  admit(address: string): Promise<Admission>;
  succeeded(address: string): Promise<void>;
}

// KEYS: failures and blocked-until of the address, then of the site.
// ARGV: now, then free, base, max and window of the address, then of the site.
const admitScript = `
local now = tonumber(ARGV[1])
local wait = 0
for i = 0, 1 do
  local blocked = tonumber(redis.call('GET', KEYS[2 + i * 2]) or '0')
  if blocked > now and blocked - now > wait then wait = blocked - now end
end
if wait > 0 then return wait end
for i = 0, 1 do
  local free = tonumber(ARGV[2 + i * 4])
  local base = tonumber(ARGV[3 + i * 4])
  local max = tonumber(ARGV[4 + i * 4])
  local window = tonumber(ARGV[5 + i * 4])
  local failures = redis.call('INCR', KEYS[1 + i * 2])
  redis.call('PEXPIRE', KEYS[1 + i * 2], window)
  if failures > free then
    local delay = math.min(max, base * 2 ^ (failures - free - 1))
    redis.call('SET', KEYS[2 + i * 2], tostring(now + delay), 'PX', max + window)
  end
end
return 0
`;

// KEYS: failures and blocked-until of the address, failures of the site.
const succeededScript = `
redis.call('DEL', KEYS[1], KEYS[2])
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then redis.call('DECR', KEYS[3]) end
return 0
`;

export function createLoginThrottle(options: {
  redis: Redis;
  prefix: string;
  now(): number;
  limits?: ThrottleLimits;
}): LoginThrottle {
  const { redis } = options;
  const limits = options.limits ?? defaultThrottleLimits;
  const base = `${options.prefix}:admin-login`;
  const keys = (address: string) => [
    `${base}:failures:address:${address}`,
    `${base}:blocked:address:${address}`,
    `${base}:failures:global`,
    `${base}:blocked:global`,
  ];
  const limitArguments = (limit: ThrottleLimit) => [
    limit.free,
    limit.baseDelayMs,
    limit.maxDelayMs,
    limit.windowMs,
  ];
  return {
    async admit(address) {
      const wait = await redis.eval(
        admitScript,
        4,
        ...keys(address),
        options.now(),
        ...limitArguments(limits.perAddress),
        ...limitArguments(limits.global),
      );
      const retryAfterMs = Number(wait);
      return retryAfterMs > 0 ? { admitted: false, retryAfterMs } : { admitted: true };
    },
    async succeeded(address) {
      await redis.eval(succeededScript, 3, ...keys(address).slice(0, 3));
    },
  };
}
