/**
 * Per-caller rate limit: a token bucket per verified caller (token `sub` and OAuth client), so
 * one person or one placing authority's system cannot starve the others or page through the
 * whole graph at machine speed. Refills at RATE_LIMIT_PER_MINUTE, holds at most
 * RATE_LIMIT_BURST; a request finding it empty gets 429 with `Retry-After`.
 *
 * The buckets live in Redis when REDIS_URL is set (one atomic Lua script per request, on the
 * Redis server's clock, so every gateway replica draws from the same bucket), in memory
 * otherwise. If Redis fails, the limit is never dropped: by default (`local`) each replica
 * keeps enforcing the same limit from memory (a caller can get at most N times the limit
 * across N replicas until Redis is back) and says so in the error log; `closed` refuses every
 * request with 503 instead. See the README's Security section.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Redis from 'ioredis';
import type { Caller } from '../../identity/caller';
import { ErrorCode } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { rateLimitRefusals } from '../../lib/observability/metrics';
import { sendError } from './http-errors';

export interface RateLimitPolicy {
  perMinute: number;
  burst: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: how long until one token is back. */
  retryAfterMs: number;
}

export interface RateLimitStore {
  take(key: string): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Thrown by a store that cannot decide (Redis down in `closed` mode). */
export class RateLimitStoreUnavailable extends Error {
  constructor() {
    super('rate limit store unavailable');
  }
}

const perMillisecond = (policy: RateLimitPolicy): number => policy.perMinute / 60_000;

/** Buckets in this process. Full buckets are forgotten (they are the same as no bucket). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async take(key: string): Promise<RateLimitDecision> {
    const rate = perMillisecond(this.policy);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.policy.burst, at: now };
    const tokens = Math.min(this.policy.burst, bucket.tokens + Math.max(0, now - bucket.at) * rate);
    const allowed = tokens >= 1;
    const left = allowed ? tokens - 1 : tokens;
    this.buckets.set(key, { tokens: left, at: now });
    return {
      allowed,
      remaining: Math.floor(left),
      retryAfterMs: allowed ? 0 : Math.ceil((1 - left) / rate),
    };
  }

  private sweep(): void {
    const rate = perMillisecond(this.policy);
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * rate >= this.policy.burst) this.buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

/**
 * The same bucket in Redis, refilled and drawn in one script on the server's clock (TIME), so
 * replicas with skewed clocks still agree. Needs Redis 5 or later (effects replication).
 * Returns { allowed (0/1), whole tokens left, ms until a token is back }.
 */
const TAKE_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return { allowed, math.floor(tokens), retry }
`;

/** Longest wait for Redis on a request before treating it as down. */
const REDIS_COMMAND_TIMEOUT_MS = 250;
/** While Redis is down, remind the error log this often. */
const DEGRADED_REMINDER_MS = 60_000;

type TakeCommand = (key: string, rate: string, burst: string) => Promise<[number, number, number]>;

export type StoreFailureMode = 'local' | 'closed';

export class RedisRateLimitStore implements RateLimitStore {
  private readonly fallback: MemoryRateLimitStore;
  private degradedSince: number | null = null;
  private lastReminder = 0;

  private constructor(
    private readonly redis: Redis,
    private readonly policy: RateLimitPolicy,
    private readonly keyPrefix: string,
    private readonly onFailure: StoreFailureMode,
  ) {
    this.fallback = new MemoryRateLimitStore(policy);
  }

  static async connect(options: {
    url: string;
    policy: RateLimitPolicy;
    keyPrefix: string;
    onFailure: StoreFailureMode;
  }): Promise<RedisRateLimitStore> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail a command at once while disconnected, rather than queue it behind a request.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    redis.defineCommand('takeRateLimitToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    const store = new RedisRateLimitStore(
      redis,
      options.policy,
      options.keyPrefix,
      options.onFailure,
    );
    // ioredis reports connection trouble as events; the first failed command logs it once.
    redis.on('error', () => undefined);
    redis.on('ready', () => store.recovered());
    try {
      await redis.connect();
    } catch (error) {
      // Down at start: keep going (ioredis keeps reconnecting) with the failure policy in force.
      store.failed(error);
    }
    return store;
  }

  async take(key: string): Promise<RateLimitDecision> {
    try {
      const take = (this.redis as unknown as { takeRateLimitToken: TakeCommand })
        .takeRateLimitToken;
      const [allowed, remaining, retryAfterMs] = await take.call(
        this.redis,
        this.keyPrefix + key,
        String(perMillisecond(this.policy)),
        String(this.policy.burst),
      );
      this.recovered();
      return { allowed: allowed === 1, remaining, retryAfterMs };
    } catch (error) {
      this.failed(error);
      if (this.onFailure === 'closed') throw new RateLimitStoreUnavailable();
      return this.fallback.take(key);
    }
  }

  private failed(error: unknown): void {
    const now = Date.now();
    if (this.degradedSince !== null && now - this.lastReminder < DEGRADED_REMINDER_MS) return;
    this.degradedSince ??= now;
    this.lastReminder = now;
    logger.error('rate limit store unavailable', {
      kind: error instanceof Error ? error.name : typeof error,
      since: new Date(this.degradedSince).toISOString(),
      enforcing:
        this.onFailure === 'closed' ? 'refusing every request' : 'per-replica in-memory limit',
    });
  }

  private recovered(): void {
    if (this.degradedSince === null) return;
    logger.warn('rate limit store available again', {
      since: new Date(this.degradedSince).toISOString(),
    });
    this.degradedSince = null;
  }

  async close(): Promise<void> {
    await this.fallback.close();
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }
}

/** One bucket per caller and client; hashed, so Redis holds no directory ids. */
export function rateLimitKey(caller: Caller): string {
  return createHash('sha256')
    .update(`${caller.sub}\u0000${caller.clientId ?? ''}`)
    .digest('base64url')
    .slice(0, 32);
}

/** Express middleware; must come after `authenticate` (it keys on the verified caller). */
export function rateLimit(store: RateLimitStore, policy: RateLimitPolicy): RequestHandler {
  return async (_req: Request, res: Response, next: NextFunction) => {
    const identity = res.locals.identity;
    if (!identity) {
      next(new Error('rate limit reached before authentication'));
      return;
    }
    let decision: RateLimitDecision;
    try {
      decision = await store.take(rateLimitKey(identity.caller));
    } catch {
      res.set('Retry-After', '1');
      sendError(res, 503, ErrorCode.OVERLOADED);
      return;
    }
    res.set('RateLimit-Limit', String(policy.burst));
    res.set('RateLimit-Remaining', String(decision.remaining));
    if (!decision.allowed) {
      logger.info('rate limited', { requestId: identity.requestId });
      rateLimitRefusals.inc();
      res.set('Retry-After', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
      sendError(res, 429, ErrorCode.RATE_LIMITED);
      return;
    }
    next();
  };
}
