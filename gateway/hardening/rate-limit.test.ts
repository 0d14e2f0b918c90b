/**
 * The per-caller token bucket: in memory (on an injected clock), in the real Redis (shared by
 * replicas, on the server's clock), what happens when Redis is down, and the middleware's
 * answers.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import Redis from 'ioredis';
import type { Caller } from '../../identity/caller';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { errorHandler } from './http-errors';
import {
  MemoryRateLimitStore,
  RateLimitStoreUnavailable,
  RedisRateLimitStore,
  rateLimit,
  rateLimitKey,
  type RateLimitDecision,
  type RateLimitStore,
} from './rate-limit';

const caller = (sub: string, clientId: string | null = null): Caller => ({
  sub,
  roles: ['virtual-school-head'],
  la: '340',
  urns: [],
  clientId,
});

async function codesOf(response: Response): Promise<unknown[]> {
  const body = (await response.json()) as { errors: Array<{ extensions: { code: unknown } }> };
  return body.errors.map((error) => error.extensions.code);
}

const stores: RateLimitStore[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

describe('MemoryRateLimitStore', () => {
  const policy = { perMinute: 60, burst: 3 };
  let now = 1_000_000;
  const store = new MemoryRateLimitStore(policy, () => now);
  stores.push(store);

  it('lets a burst through, refuses the next, and says when a token is back', async () => {
    const decisions: RateLimitDecision[] = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await store.take('a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]?.retryAfterMs).toBe(1_000);
    now += 500;
    expect(await store.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500 });
  });

  it('refills at perMinute, never above the burst, and keeps buckets apart', async () => {
    now += 500;
    expect((await store.take('a')).allowed).toBe(true);
    expect((await store.take('a')).allowed).toBe(false);
    expect((await store.take('b')).remaining).toBe(2);
    now += 3_600_000;
    const refilled = await store.take('a');
    expect(refilled).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
  });

  it('does not refill when the clock goes back', async () => {
    const back = new MemoryRateLimitStore({ perMinute: 60, burst: 1 }, () => now);
    stores.push(back);
    expect((await back.take('c')).allowed).toBe(true);
    now -= 10_000;
    expect((await back.take('c')).allowed).toBe(false);
  });
});

describe('rateLimitKey', () => {
  it('is one per caller and client, and holds no directory id', () => {
    const key = rateLimitKey(caller('S100001'));
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(key).not.toContain('S100001');
    expect(rateLimitKey(caller('S100001'))).toBe(key);
    expect(rateLimitKey(caller('S100002'))).not.toBe(key);
    expect(rateLimitKey(caller('S100001', 'sefton-dt-sync'))).not.toBe(key);
    // The separator keeps "ab"+"c" and "a"+"bc" apart.
    expect(rateLimitKey(caller('ab', 'c'))).not.toBe(rateLimitKey(caller('a', 'bc')));
  });
});

describe('the rateLimit middleware', () => {
  let server: RunningServer;
  let failing = false;
  const policy = { perMinute: 60, burst: 2 };
  const memory = new MemoryRateLimitStore(policy);
  stores.push(memory);
  const store: RateLimitStore = {
    take: (key) => (failing ? Promise.reject(new RateLimitStoreUnavailable()) : memory.take(key)),
    close: async () => undefined,
  };

  beforeAll(async () => {
    const app = express();
    app.use((req, res, next) => {
      const sub = req.get('x-test-caller');
      if (sub)
        res.locals.identity = { caller: caller(sub), requestId: randomUUID(), purpose: null };
      next();
    });
    app.use(rateLimit(store, policy));
    app.get('/graphql', (_req, res) => {
      res.json({ data: {} });
    });
    app.use(errorHandler);
    server = await listen(app, 0);
  });
  afterAll(() => server.close());

  const get = (sub?: string) =>
    fetch(`${server.url}/graphql`, { headers: sub ? { 'x-test-caller': sub } : {} });

  it('lets a caller through with the RateLimit headers, then answers 429 RATE_LIMITED', async () => {
    const first = await get('S-RL-1');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect((await get('S-RL-1')).status).toBe(200);
    const refused = await get('S-RL-1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(await refused.json()).toEqual({
      errors: [
        { message: 'Too many requests; try again later.', extensions: { code: 'RATE_LIMITED' } },
      ],
    });
    // Another caller has a bucket of their own.
    expect((await get('S-RL-2')).status).toBe(200);
  });

  it('answers 503 OVERLOADED when the store cannot decide', async () => {
    failing = true;
    try {
      const refused = await get('S-RL-3');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await codesOf(refused)).toEqual(['OVERLOADED']);
    } finally {
      failing = false;
    }
  });

  it('refuses to run before authentication (a 500, never an unlimited request)', async () => {
    const response = await get();
    expect(response.status).toBe(500);
    expect(await codesOf(response)).toEqual(['INTERNAL_SERVER_ERROR']);
  });
});

describe('RedisRateLimitStore', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const policy = { perMinute: 60, burst: 3 };

  async function reachable(): Promise<boolean> {
    const probe = new Redis(redisUrl, {
      lazyConnect: true,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }

  it('is one bucket for every replica, refilled on the server’s clock, and expires', async () => {
    if (!(await reachable())) {
      if (process.env.CI) throw new Error(`Redis is required in CI and ${redisUrl} is unreachable`);
      process.stdout.write(`rate-limit: Redis not reachable at ${redisUrl}; not tested\n`);
      return;
    }
    const keyPrefix = `cla-graph:test:rate-limit:${randomUUID()}:`;
    const connect = () =>
      RedisRateLimitStore.connect({ url: redisUrl, policy, keyPrefix, onFailure: 'closed' });
    const one = await connect();
    const two = await connect();
    stores.push(one, two);
    const taken: RateLimitDecision[] = [];
    for (const store of [one, two, one]) taken.push(await store.take('k'));
    expect(taken.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    const refused = await two.take('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
    expect((await one.take('other')).allowed).toBe(true);

    const redis = new Redis(redisUrl);
    try {
      // Kept no longer than a bucket takes to fill again (3 s at 1/s), plus a second.
      const ttl = await redis.pttl(`${keyPrefix}k`);
      expect(ttl).toBeGreaterThan(3_000);
      expect(ttl).toBeLessThanOrEqual(4_000);
      // After a refill the bucket lets a request through again.
      await redis.hset(`${keyPrefix}k`, 'at', String(Date.now() - 60_000));
    } finally {
      redis.disconnect();
    }
    // Redis's clock and ours may differ a little; a minute back is a full bucket either way.
    expect((await one.take('k')).allowed).toBe(true);
  });

  it('keeps limiting from memory when Redis is down (local)', async () => {
    const down = await RedisRateLimitStore.connect({
      url: 'redis://127.0.0.1:1',
      policy,
      keyPrefix: 'x:',
      onFailure: 'local',
    });
    stores.push(down);
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i += 1) allowed.push((await down.take('k')).allowed);
    expect(allowed).toEqual([true, true, true, false]);
  });

  it('refuses to decide when Redis is down (closed)', async () => {
    const down = await RedisRateLimitStore.connect({
      url: 'redis://127.0.0.1:1',
      policy,
      keyPrefix: 'x:',
      onFailure: 'closed',
    });
    stores.push(down);
    await expect(down.take('k')).rejects.toBeInstanceOf(RateLimitStoreUnavailable);
  });
});
