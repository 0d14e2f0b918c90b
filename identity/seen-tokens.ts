/**
 * The `jti`s of gateway tokens a subgraph has already accepted, kept for as long as each token
 * could still be valid, so one token is good for one request. In memory for one replica; in
 * Redis (SET NX with an expiry, one atomic command) when every replica of a subgraph must see
 * the same set (`REDIS_URL`). If Redis cannot answer, nothing is accepted: a token that cannot
 * be checked is refused (fail closed) until Redis is back.
 */
import Redis from 'ioredis';
import { logger } from '../lib/logger';

export interface SeenTokenStore {
  /**
   * Records `jti` until `expiresAtMs` (epoch milliseconds). True the first time a `jti` is
   * offered, false every later time before it expires. Throws `SeenTokenStoreUnavailable`
   * when it cannot tell.
   */
  firstSighting(jti: string, expiresAtMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The store could not say whether a token was seen: the request is refused, not let through. */
export class SeenTokenStoreUnavailable extends Error {
  constructor() {
    super('seen-token store unavailable');
  }
}

/** How often expired entries are dropped from memory. */
const SWEEP_INTERVAL_MS = 10_000;

export class MemorySeenTokenStore implements SeenTokenStore {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async firstSighting(jti: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    if (now >= this.nextSweep) {
      for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
      this.nextSweep = now + SWEEP_INTERVAL_MS;
    }
    const until = this.seen.get(jti);
    if (until !== undefined && until > now) return false;
    this.seen.set(jti, expiresAtMs);
    return true;
  }

  /** Entries held (expired ones linger until the next sweep). */
  get size(): number {
    return this.seen.size;
  }

  async close(): Promise<void> {
    this.seen.clear();
  }
}

/** Longest wait for Redis on a request before treating it as down. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

export const DEFAULT_SEEN_TOKEN_KEY_PREFIX = 'cla-graph:seen-jti:';

export class RedisSeenTokenStore implements SeenTokenStore {
  private down = false;

  private constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly lifecycle: { closed: boolean },
  ) {}

  /** Connects (and keeps reconnecting if Redis is down at start: requests are refused meanwhile). */
  static async connect(options: { url: string; keyPrefix?: string }): Promise<RedisSeenTokenStore> {
    const lifecycle = { closed: false };
    const redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail a command at once while disconnected, rather than queue it behind a request.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      // Keep reconnecting while open (null stops it: ioredis may still retry after disconnect).
      retryStrategy: (attempt) => (lifecycle.closed ? null : Math.min(attempt * 200, 2_000)),
    });
    const store = new RedisSeenTokenStore(
      redis,
      options.keyPrefix ?? DEFAULT_SEEN_TOKEN_KEY_PREFIX,
      lifecycle,
    );
    redis.on('error', () => undefined);
    redis.on('ready', () => {
      if (store.down) logger.info('seen-token store (Redis) is back');
      store.down = false;
    });
    try {
      await redis.connect();
    } catch {
      store.failed();
    }
    return store;
  }

  async firstSighting(jti: string, expiresAtMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAtMs - Date.now()));
    let answer: string | null;
    try {
      answer = await this.redis.set(`${this.keyPrefix}${jti}`, '1', 'PX', ttl, 'NX');
    } catch {
      this.failed();
      throw new SeenTokenStoreUnavailable();
    }
    return answer === 'OK';
  }

  private failed(): void {
    if (this.down) return;
    this.down = true;
    logger.error(
      'seen-token store (Redis) unreachable: refusing subgraph requests until it is back',
    );
  }

  async close(): Promise<void> {
    this.lifecycle.closed = true;
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}

/** Redis when a URL is given, memory otherwise. */
export async function createSeenTokenStore(options: {
  redisUrl?: string;
  keyPrefix?: string;
}): Promise<SeenTokenStore> {
  return options.redisUrl
    ? RedisSeenTokenStore.connect({ url: options.redisUrl, keyPrefix: options.keyPrefix })
    : new MemorySeenTokenStore();
}
