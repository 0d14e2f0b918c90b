/**
 * The gateway's token to a subgraph is good for one call: the body it was signed over, once.
 * A captured token replayed with another query, or with the same one, is refused; so is one
 * whose `jti` another replica already took (shared through Redis).
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { decodeJwt, SignJWT, type KeyLike } from 'jose';
import type { Caller } from './caller';
import { AuthenticationError } from './external-token';
import {
  BODY_HASH_CLAIM,
  bodyHash,
  createInternalTokenVerifier,
  InternalTokenSigner,
  type InternalIdentity,
} from './internal-token';
import {
  MemorySeenTokenStore,
  RedisSeenTokenStore,
  SeenTokenStoreUnavailable,
  type SeenTokenStore,
} from './seen-tokens';

const AUDIENCE = 'social-care';
const caller: Caller = {
  sub: 'S100001',
  roles: ['virtual-school-head'],
  la: '340',
  urns: [],
  clientId: null,
};
const identity = (): InternalIdentity => ({ caller, requestId: randomUUID(), purpose: null });
const BODY = JSON.stringify({ query: '{ child(id: "1000001") { id } }', variables: {} });
const OTHER = JSON.stringify({ query: '{ children(first: 500) { totalCount } }', variables: {} });

let signer: InternalTokenSigner;

beforeAll(async () => {
  signer = await InternalTokenSigner.generate();
});

const verifier = (seenTokens?: SeenTokenStore) =>
  createInternalTokenVerifier({ audience: AUDIENCE, jwks: signer.jwks, seenTokens });

describe('the gateway token', () => {
  it('carries a random jti and the base64url SHA-256 of the body', async () => {
    const first = decodeJwt(await signer.sign(identity(), AUDIENCE, BODY));
    const second = decodeJwt(await signer.sign(identity(), AUDIENCE, BODY));
    expect(first.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.jti).not.toBe(first.jti);
    expect(first[BODY_HASH_CLAIM]).toBe(bodyHash(BODY));
    expect(bodyHash('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(bodyHash(Buffer.from(BODY))).toBe(bodyHash(BODY));
  });
});

describe('a subgraph verifying it', () => {
  it('accepts a token with the body it was signed over, once', async () => {
    const verify = verifier();
    const token = await signer.sign(identity(), AUDIENCE, BODY);
    await expect(verify(token, Buffer.from(BODY))).resolves.toMatchObject({ caller });
  });

  it('refuses a token replayed with another body', async () => {
    const verify = verifier();
    const token = await signer.sign(identity(), AUDIENCE, BODY);
    await expect(verify(token, Buffer.from(OTHER))).rejects.toBeInstanceOf(AuthenticationError);
    // Not even a whitespace's difference.
    await expect(verify(token, Buffer.from(`${BODY} `))).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expect(verify(token, Buffer.alloc(0))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses a token replayed with the same body', async () => {
    const verify = verifier();
    const token = await signer.sign(identity(), AUDIENCE, BODY);
    await verify(token, Buffer.from(BODY));
    await expect(verify(token, Buffer.from(BODY))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('does not spend a token on a refused body, so the real call still gets through', async () => {
    const verify = verifier();
    const token = await signer.sign(identity(), AUDIENCE, BODY);
    await expect(verify(token, Buffer.from(OTHER))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(verify(token, Buffer.from(BODY))).resolves.toMatchObject({ caller });
  });

  it('refuses a token of the gateway key without a body hash or a jti', async () => {
    const verify = verifier();
    // What the gateway signed before tokens were bound: caller and request id only.
    const privateKey = (signer as unknown as { privateKey: KeyLike }).privateKey;
    const kid = signer.jwks.keys[0]!.kid!;
    const unbound = (claims: Record<string, unknown>, jti?: string) => {
      const jwt = new SignJWT({ roles: caller.roles, la: '340', rid: randomUUID(), ...claims })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(caller.sub)
        .setIssuer('cla-graph-gateway')
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('60s');
      return (jti ? jwt.setJti(jti) : jwt).sign(privateKey);
    };
    await expect(verify(await unbound({}), Buffer.from(BODY))).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expect(
      verify(await unbound({ [BODY_HASH_CLAIM]: bodyHash(BODY) }), Buffer.from(BODY)),
    ).rejects.toBeInstanceOf(AuthenticationError);
    await expect(verify(await unbound({}, randomUUID()), Buffer.from(BODY))).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    // The same, with both: accepted (the test's forgery is faithful).
    await expect(
      verify(await unbound({ [BODY_HASH_CLAIM]: bodyHash(BODY) }, randomUUID()), Buffer.from(BODY)),
    ).resolves.toMatchObject({ caller: { sub: caller.sub } });
  });

  it('refuses a token for another subgraph, even with its body', async () => {
    const token = await signer.sign(identity(), 'finance', BODY);
    await expect(verifier()(token, Buffer.from(BODY))).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('the seen-token store in memory', () => {
  it('forgets a jti once its token has expired, and only then', async () => {
    let now = 1_000_000;
    const store = new MemorySeenTokenStore(() => now);
    expect(await store.firstSighting('a', now + 65_000)).toBe(true);
    expect(await store.firstSighting('a', now + 65_000)).toBe(false);
    now += 64_999;
    expect(await store.firstSighting('a', now + 65_000)).toBe(false);
    now += 2;
    expect(await store.firstSighting('a', now + 65_000)).toBe(true);
    // Expired entries are dropped as it goes, so memory holds about a minute of tokens.
    for (let i = 0; i < 100; i += 1) await store.firstSighting(`old-${i}`, now + 65_000);
    now += 70_000;
    await store.firstSighting('c', now + 65_000);
    expect(store.size).toBe(1);
  });
});

describe('the seen-token store in Redis', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const keyPrefix = `cla-graph:test:seen-jti:${randomUUID()}:`;
  const stores: SeenTokenStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  async function reachable(): Promise<boolean> {
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
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

  it('is shared by two replicas: a token one accepted, the other refuses', async () => {
    if (!(await reachable())) {
      if (process.env.CI) throw new Error(`Redis is required in CI and ${redisUrl} is unreachable`);
      process.stdout.write(`internal-token: Redis not reachable at ${redisUrl}; not tested\n`);
      return;
    }
    const one = await RedisSeenTokenStore.connect({ url: redisUrl, keyPrefix });
    const two = await RedisSeenTokenStore.connect({ url: redisUrl, keyPrefix });
    stores.push(one, two);
    const replicaOne = verifier(one);
    const replicaTwo = verifier(two);
    const token = await signer.sign(identity(), AUDIENCE, BODY);
    await expect(replicaOne(token, Buffer.from(BODY))).resolves.toMatchObject({ caller });
    await expect(replicaTwo(token, Buffer.from(BODY))).rejects.toBeInstanceOf(AuthenticationError);
    // A fresh token is fine on either.
    const next = await signer.sign(identity(), AUDIENCE, BODY);
    await expect(replicaTwo(next, Buffer.from(BODY))).resolves.toMatchObject({ caller });

    // Kept no longer than the token could be valid (60 s plus 5 s of clock tolerance).
    const jti = String(decodeJwt(token).jti);
    const redis = new Redis(redisUrl);
    try {
      const ttl = await redis.pttl(`${keyPrefix}${jti}`);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(66_000);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses, rather than accepts, when Redis cannot answer', async () => {
    const down = await RedisSeenTokenStore.connect({ url: 'redis://127.0.0.1:1', keyPrefix });
    stores.push(down);
    const token = await signer.sign(identity(), AUDIENCE, BODY);
    await expect(verifier(down)(token, Buffer.from(BODY))).rejects.toBeInstanceOf(
      SeenTokenStoreUnavailable,
    );
  });
});
