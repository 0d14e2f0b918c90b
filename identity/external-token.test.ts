/**
 * Verifying a caller's bearer token: signature against the issuer's JWKS (refetched on an
 * unknown kid, not more often than the cool-down) or one public key, issuer, audience, expiry,
 * the allow-list of algorithms (never none, never HMAC), and the claims mapped to a Caller.
 */
import { createHmac } from 'node:crypto';
import {
  SignJWT,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  type KeyLike,
} from 'jose';
import { listen, type RunningServer } from '../lib/http/http-server';
import {
  ALLOWED_ALGORITHMS,
  AuthenticationError,
  callerFromClaims,
  createExternalTokenVerifier,
  type VerifyExternalToken,
} from './external-token';

const ISSUER = 'https://login.example.test/tenant/v2.0';
const AUDIENCE = 'api://cla-graph';
const CLAIMS = { sub: 'S100001', la: '340', roles: ['virtual-school-head'] };

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function signingKey(kid: string, alg: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

async function sign(
  key: SigningKey,
  claims: JWTPayload = CLAIMS,
  options: {
    issuer?: string;
    audience?: string;
    expiresIn?: string | number;
    header?: object;
  } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...options.header })
    .setIssuedAt()
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE);
  if (options.expiresIn !== undefined) jwt.setExpirationTime(options.expiresIn);
  else jwt.setExpirationTime('10m');
  return jwt.sign(key.privateKey);
}

const base64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const now = () => Math.floor(Date.now() / 1000);

let rs256: SigningKey;
let ps256: SigningKey;
let es256: SigningKey;
let rs384: SigningKey;
let rotated: SigningKey;
/** What the JWKS endpoint serves, and how often it was asked. */
let published: JWK[] = [];
let fetches = 0;
let jwks: RunningServer;

beforeAll(async () => {
  [rs256, ps256, es256, rs384, rotated] = await Promise.all([
    signingKey('rs', 'RS256'),
    signingKey('ps', 'PS256'),
    signingKey('es', 'ES256'),
    signingKey('rs384', 'RS384'),
    signingKey('rotated', 'ES256'),
  ]);
  published = [rs256.jwk, ps256.jwk, es256.jwk, rs384.jwk];
  jwks = await listen((_req, res) => {
    fetches += 1;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  }, 0);
});
afterAll(() => jwks.close());
afterEach(() => jest.restoreAllMocks());

const remoteVerifier = () =>
  createExternalTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: `${jwks.url}/keys` });

async function refused(verify: VerifyExternalToken, token: string): Promise<void> {
  await expect(verify(token)).rejects.toBeInstanceOf(AuthenticationError);
}

describe('a token verified against the issuer’s JWKS', () => {
  let verify: VerifyExternalToken;
  beforeAll(async () => {
    verify = await remoteVerifier();
  });

  it.each(['RS256', 'PS256', 'ES256'])('is accepted signed with %s', async (alg) => {
    const key = { RS256: rs256, PS256: ps256, ES256: es256 }[alg] as SigningKey;
    await expect(verify(await sign(key))).resolves.toEqual({
      sub: 'S100001',
      roles: ['virtual-school-head'],
      la: '340',
      urns: [],
      clientId: null,
    });
  });

  it('allows exactly RS256, PS256 and ES256', () => {
    expect(ALLOWED_ALGORITHMS).toEqual(['RS256', 'PS256', 'ES256']);
  });

  it('is refused with another issuer or audience', async () => {
    await refused(verify, await sign(rs256, CLAIMS, { issuer: 'https://evil.example.test/' }));
    await refused(verify, await sign(rs256, CLAIMS, { audience: 'api://another-api' }));
  });

  it('is refused expired (past the 30 s tolerance), without exp, or not yet valid', async () => {
    await expect(
      verify(await sign(rs256, CLAIMS, { expiresIn: now() - 10 })),
    ).resolves.toBeTruthy();
    await refused(verify, await sign(rs256, CLAIMS, { expiresIn: now() - 60 }));
    const noExp = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'RS256', kid: 'rs' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(rs256.privateKey);
    await refused(verify, noExp);
    await refused(verify, await sign(rs256, { ...CLAIMS, nbf: now() + 120 }));
  });

  it('is refused with a signature that does not match', async () => {
    const token = await sign(rs256);
    const [header, payload] = token.split('.');
    const forged = `${header}.${base64url({ ...CLAIMS, sub: 'S999999', iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })}`;
    await refused(verify, `${forged}.${token.split('.')[2]}`);
    await refused(verify, `${header}.${payload}.`);
  });

  it('is refused with alg none', async () => {
    const payload = { ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: now() + 600 };
    await refused(verify, `${base64url({ alg: 'none' })}.${base64url(payload)}.`);
    await refused(verify, `${base64url({ alg: 'none', kid: 'rs' })}.${base64url(payload)}.`);
  });

  it('is refused with HS256, even keyed with the issuer’s public key (key confusion)', async () => {
    const payload = { ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: now() + 600 };
    const publicPem = await exportSPKI(
      (await generateKeyPair('RS256', { extractable: true })).publicKey,
    );
    for (const secret of [publicPem, JSON.stringify(rs256.jwk), 'secret']) {
      const input = `${base64url({ alg: 'HS256', kid: 'rs' })}.${base64url(payload)}`;
      const mac = createHmac('sha256', secret).update(input).digest('base64url');
      await refused(verify, `${input}.${mac}`);
    }
  });

  it('is refused with an algorithm outside the allow-list, though its key is published', async () => {
    await refused(verify, await sign(rs384));
  });

  it('is refused when it is not a JWT at all', async () => {
    await refused(verify, 'not-a-token');
    await refused(verify, '');
  });
});

describe('the JWKS', () => {
  it('is fetched once and cached, refetched on an unknown kid after the cool-down', async () => {
    const verify = await remoteVerifier();
    const before = fetches;
    await verify(await sign(rs256));
    await verify(await sign(es256));
    expect(fetches - before).toBe(1);

    // The issuer rotates in a new key: within the 30 s cool-down, the unknown kid is refused
    // without hammering the issuer...
    await refused(verify, await sign(rotated));
    expect(fetches - before).toBe(1);
    published = [...published, rotated.jwk];
    try {
      await refused(verify, await sign(rotated));
      expect(fetches - before).toBe(1);
      // ...and once it is over, the unknown kid makes the verifier fetch the keys again.
      const realNow = Date.now;
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 31_000);
      await expect(verify(await sign(rotated))).resolves.toMatchObject({ sub: 'S100001' });
      expect(fetches - before).toBe(2);
    } finally {
      published = published.filter((jwk) => jwk.kid !== 'rotated');
    }
  });

  it('refuses every token when the JWKS cannot be fetched', async () => {
    const verify = await createExternalTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: 'http://127.0.0.1:1/keys',
    });
    await refused(verify, await sign(rs256));
  });
});

describe('a token verified against one configured public key', () => {
  it('is accepted signed by that key with its algorithm, refused by any other', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const verify = await createExternalTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: await exportSPKI(publicKey),
      publicKeyAlgorithm: 'ES256',
    });
    const own: SigningKey = { kid: 'k', alg: 'ES256', privateKey, jwk: { kty: 'EC' } };
    await expect(verify(await sign(own))).resolves.toMatchObject({ sub: 'S100001', la: '340' });
    await refused(verify, await sign(es256));
    await refused(verify, await sign(own, CLAIMS, { expiresIn: now() - 60 }));
  });

  it('needs a JWKS URL or a public key', async () => {
    await expect(
      createExternalTokenVerifier({ issuer: ISSUER, audience: AUDIENCE }),
    ).rejects.toThrow(/JWKS URL or a public key/);
  });
});

describe('callerFromClaims', () => {
  it('maps roles (known ones only), la, urn and the client', () => {
    expect(
      callerFromClaims({
        sub: 'S200001',
        la: '343',
        roles: ['designated-teacher', 'teacher', 'Global Administrator', 42],
        urn: ['100001', '100002'],
        azp: 'school-portal',
        appid: 'ignored-when-azp-is-set',
      }),
    ).toEqual({
      sub: 'S200001',
      roles: ['designated-teacher', 'teacher'],
      la: '343',
      urns: ['100001', '100002'],
      clientId: 'school-portal',
    });
    expect(
      callerFromClaims({
        sub: 'app',
        la: '340',
        roles: 'placing-authority',
        urn: '100001',
        appid: 'v1-app',
      }),
    ).toEqual({
      sub: 'app',
      roles: ['placing-authority'],
      la: '340',
      urns: ['100001'],
      clientId: 'v1-app',
    });
    expect(callerFromClaims({ sub: 'S1', la: '340' }).roles).toEqual([]);
  });

  it.each([
    ['no la', { sub: 'S1' }],
    ['an la that is not three digits', { sub: 'S1', la: '34' }],
    ['an la that is a number', { sub: 'S1', la: 340 }],
    ['no sub', { la: '340' }],
    ['an empty sub', { sub: '', la: '340' }],
  ])('refuses a token with %s', (_what, claims) => {
    expect(() => callerFromClaims(claims as JWTPayload)).toThrow(AuthenticationError);
  });

  it('is applied by the verifier: a well-signed token without la is refused', async () => {
    const verify = await remoteVerifier();
    await refused(verify, await sign(rs256, { sub: 'S100001', roles: ['virtual-school-head'] }));
  });
});
