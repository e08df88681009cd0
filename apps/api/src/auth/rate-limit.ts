import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * One counter of sign-in attempts: at most `limit` attempts per `windowMs`; the attempt beyond
 * locks the key for `baseLockMs`, doubled for every further lock (exponential back-off) up to
 * `maxLockMs`. The number of locks is remembered for `memoryMs` after the last one.
 */
export interface LimitRule {
  limit: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
  memoryMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The documented sign-in limits (docs/operations.md, "Sign-in limits"). An attempt counts
 * *before* its password is checked, in one atomic step, so parallel requests cannot all slip
 * through; a successful sign-in gives its slot back.
 * - `accountClient` (account, client address): 5 attempts per 15 minutes, then 1, 2, 4 ... 60
 *   minutes of back-off. This is the limit a guesser hits.
 * - `account` (account, any client): 20 per 15 minutes, then 5, 10 ... 60 minutes; bounds
 *   guessing spread over many addresses.
 * - `client` (client address, any account): 300 per 15 minutes, then 5 ... 60 minutes; a ceiling
 *   on password spraying high enough that people sharing an address are not locked out by one
 *   guesser (who hits the per-account limits first).
 */
export const SIGN_IN_LIMITS = {
  accountClient: {
    limit: 5,
    windowMs: 15 * MINUTE,
    baseLockMs: MINUTE,
    maxLockMs: HOUR,
    memoryMs: 24 * HOUR,
  },
  account: {
    limit: 20,
    windowMs: 15 * MINUTE,
    baseLockMs: 5 * MINUTE,
    maxLockMs: HOUR,
    memoryMs: 24 * HOUR,
  },
  client: {
    limit: 300,
    windowMs: 15 * MINUTE,
    baseLockMs: 5 * MINUTE,
    maxLockMs: HOUR,
    memoryMs: 24 * HOUR,
  },
} as const satisfies Record<string, LimitRule>;

export interface LimitKey {
  /** Opaque key (hashed: no email or address is written to Redis in clear). */
  key: string;
  rule: LimitRule;
  /** What a success does: give the slot back, or forget the key (the caller's own limit). */
  onSuccess: 'release' | 'reset';
}

export type Admission = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Atomic attempt counting: `admit` reserves a slot on every key or on none. */
export interface AttemptStore {
  admit(keys: readonly LimitKey[], now: number): Promise<Admission>;
  succeeded(keys: readonly LimitKey[]): Promise<void>;
  close(): void;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 32);

/** The keys of one sign-in attempt: (account, client), (account) and (client). */
export function signInKeys(email: string, client: string, scope = 'login'): LimitKey[] {
  const account = email.trim().toLowerCase();
  return [
    {
      key: `${scope}:ac:${digest(`${account}\n${client}`)}`,
      rule: SIGN_IN_LIMITS.accountClient,
      onSuccess: 'reset',
    },
    { key: `${scope}:a:${digest(account)}`, rule: SIGN_IN_LIMITS.account, onSuccess: 'release' },
    { key: `${scope}:c:${digest(client)}`, rule: SIGN_IN_LIMITS.client, onSuccess: 'release' },
  ];
}

/**
 * One step for all keys (Redis runs a script atomically): refuse while any key is locked;
 * lock (with back-off) every key whose window is full and refuse; else count the attempt on
 * every key. Hash fields: n (attempts in the window), start (window start), until (lock end),
 * locks (locks so far). ARGV: now, then per key limit, windowMs, baseLockMs, maxLockMs, memoryMs.
 */
const ADMIT_LUA = `
local now = tonumber(ARGV[1])
local wait = 0
local rules = {}
for i, key in ipairs(KEYS) do
  local o = 1 + (i - 1) * 5
  rules[i] = { tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4]), tonumber(ARGV[o + 5]) }
  local untilAt = tonumber(redis.call('HGET', key, 'until') or '0')
  if untilAt > now and untilAt - now > wait then wait = untilAt - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local r = rules[i]
  local start = tonumber(redis.call('HGET', key, 'start') or '0')
  local n = tonumber(redis.call('HGET', key, 'n') or '0')
  if now - start >= r[2] then n = 0 end
  if n >= r[1] then
    local locks = redis.call('HINCRBY', key, 'locks', 1)
    local lock = math.min(r[3] * math.pow(2, locks - 1), r[4])
    redis.call('HSET', key, 'until', now + lock, 'n', 0, 'start', now + lock)
    redis.call('PEXPIRE', key, lock + r[5])
    if lock > wait then wait = lock end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local r = rules[i]
  local start = tonumber(redis.call('HGET', key, 'start') or '0')
  if now - start >= r[2] then
    redis.call('HSET', key, 'n', 1, 'start', now)
  else
    redis.call('HINCRBY', key, 'n', 1)
  end
  local ttl = redis.call('PTTL', key)
  if ttl < r[2] then redis.call('PEXPIRE', key, r[2]) end
end
return 0
`;

/** Give a slot back (never below 0); `reset` keys are forgotten. ARGV: per key "reset"|"release". */
const SUCCEEDED_LUA = `
for i, key in ipairs(KEYS) do
  if ARGV[i] == 'reset' then
    redis.call('DEL', key)
  else
    local n = tonumber(redis.call('HGET', key, 'n') or '0')
    if n > 0 then redis.call('HINCRBY', key, 'n', -1) end
  end
end
return 0
`;

type ScriptRedis = Redis & {
  plumblineAdmit(...args: (string | number)[]): Promise<number>;
  plumblineSucceeded(...args: (string | number)[]): Promise<number>;
};

/**
 * Shared by every API replica: the counters live in Redis under `<prefix>:ratelimit:`. Its own
 * connection without an offline queue: while Redis is away an attempt fails at once (and the
 * caller answers 503) instead of waiting in a queue and being counted when Redis returns.
 */
export class RedisAttemptStore implements AttemptStore {
  private readonly redis: ScriptRedis;
  private readyWait: Promise<void> | null = null;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    /** How long an attempt waits for the connection while it is being (re)established. */
    private readonly connectWaitMs = 2000,
  ) {
    const own = redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    own.on('error', () => undefined); // reconnects by itself; the attempts answer 503 meanwhile
    own.defineCommand('plumblineAdmit', { lua: ADMIT_LUA });
    own.defineCommand('plumblineSucceeded', { lua: SUCCEEDED_LUA });
    this.redis = own as ScriptRedis;
  }

  /** Wait (bounded) for a connection that is being established; fail at once when it is down. */
  private ready(): Promise<void> {
    const status = this.redis.status;
    if (status === 'ready') return Promise.resolve();
    if (status !== 'connecting' && status !== 'connect' && status !== 'wait')
      return Promise.reject(new Error(`redis is ${status}`));
    this.readyWait ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error('redis is not ready'));
      }, this.connectWaitMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    }).finally(() => {
      this.readyWait = null;
    });
    return this.readyWait;
  }

  private full(k: LimitKey): string {
    return `${this.prefix}:ratelimit:${k.key}`;
  }

  async admit(keys: readonly LimitKey[], now: number): Promise<Admission> {
    await this.ready();
    const args: (string | number)[] = [keys.length, ...keys.map((k) => this.full(k)), now];
    for (const k of keys)
      args.push(
        k.rule.limit,
        k.rule.windowMs,
        k.rule.baseLockMs,
        k.rule.maxLockMs,
        k.rule.memoryMs,
      );
    const wait = Number(await this.redis.plumblineAdmit(...args));
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  async succeeded(keys: readonly LimitKey[]): Promise<void> {
    await this.redis.plumblineSucceeded(
      keys.length,
      ...keys.map((k) => this.full(k)),
      ...keys.map((k) => k.onSuccess),
    );
  }

  close(): void {
    this.redis.disconnect();
  }
}

interface Counter {
  n: number;
  start: number;
  until: number;
  locks: number;
  expires: number;
}

/**
 * Same rules in this process's memory, for the in-process mode (no REDIS_URL: local and demo
 * only). Atomic because `admit` never awaits between reading and writing.
 */
export class MemoryAttemptStore implements AttemptStore {
  private readonly counters = new Map<string, Counter>();

  private get(key: string, now: number): Counter {
    const c = this.counters.get(key);
    if (c && c.expires > now) return c;
    const fresh = { n: 0, start: 0, until: 0, locks: 0, expires: 0 };
    this.counters.set(key, fresh);
    return fresh;
  }

  admit(keys: readonly LimitKey[], now: number): Promise<Admission> {
    if (this.counters.size > 100_000)
      for (const [k, c] of this.counters) if (c.expires <= now) this.counters.delete(k);
    const entries = keys.map((k) => [k, this.get(k.key, now)] as const);
    let wait = Math.max(0, ...entries.map(([, c]) => c.until - now));
    if (wait > 0) return Promise.resolve({ allowed: false, retryAfterMs: wait });
    for (const [k, c] of entries) {
      if (now - c.start >= k.rule.windowMs) c.n = 0;
      if (c.n >= k.rule.limit) {
        c.locks += 1;
        const lock = Math.min(k.rule.baseLockMs * 2 ** (c.locks - 1), k.rule.maxLockMs);
        Object.assign(c, { until: now + lock, n: 0, start: now + lock });
        c.expires = now + lock + k.rule.memoryMs;
        wait = Math.max(wait, lock);
      }
    }
    if (wait > 0) return Promise.resolve({ allowed: false, retryAfterMs: wait });
    for (const [k, c] of entries) {
      if (now - c.start >= k.rule.windowMs) Object.assign(c, { n: 1, start: now });
      else c.n += 1;
      c.expires = Math.max(c.expires, now + k.rule.windowMs);
    }
    return Promise.resolve({ allowed: true });
  }

  close(): void {
    this.counters.clear();
  }

  succeeded(keys: readonly LimitKey[]): Promise<void> {
    for (const k of keys) {
      if (k.onSuccess === 'reset') this.counters.delete(k.key);
      else {
        const c = this.counters.get(k.key);
        if (c && c.n > 0) c.n -= 1;
      }
    }
    return Promise.resolve();
  }
}
