/**
 * The gateway's word to a subgraph: a short-lived token the gateway signs for each subgraph
 * call (audience: the subgraph's name) carrying the verified caller and the request id.
 * Subgraphs accept nothing else, so a subgraph reached directly on the network reveals nothing.
 *
 * Each token is bound to the one call it was signed for: it carries the SHA-256 of the exact
 * request body (`body_sha256`, base64url) and a random `jti`. A subgraph refuses a token whose
 * hash is not that of the body it received, and a `jti` it has already accepted while the
 * token could still be valid; so a captured token can neither run another query nor run the
 * same one again (which would read without the gateway writing the access log).
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importPKCS8,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { knownRoles, stringList, type Caller } from './caller';
import { AuthenticationError } from './external-token';
import { MemorySeenTokenStore, type SeenTokenStore } from './seen-tokens';

export const INTERNAL_ISSUER = 'cla-graph-gateway';
const ALGORITHM = 'ES256';
const LIFETIME_SECONDS = 60;
const CLOCK_TOLERANCE_SECONDS = 5;
/** The claim holding the hash of the request body the token was signed for. */
export const BODY_HASH_CLAIM = 'body_sha256';

/** A request body as sent: the string the gateway posts, or the bytes a subgraph received. */
export type RequestBody = string | Uint8Array;

/** SHA-256 of the body's bytes (a string is hashed as UTF-8), base64url. */
export function bodyHash(body: RequestBody): string {
  return createHash('sha256').update(body).digest('base64url');
}

export interface InternalIdentity {
  caller: Caller;
  requestId: string;
  /** Why the caller says they are reading (X-Purpose), if they said. */
  purpose: string | null;
}

export class InternalTokenSigner {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly keySet: JSONWebKeySet,
    private readonly kid: string,
  ) {}

  /** A fresh key pair: for development and tests, where nothing outside needs to trust it for long. */
  static async generate(): Promise<InternalTokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    return InternalTokenSigner.fromKeys(privateKey, publicKey);
  }

  /** The production signing key, PKCS8 PEM (from a secret store). */
  static async fromPem(pkcs8Pem: string): Promise<InternalTokenSigner> {
    const privateKey = await importPKCS8(pkcs8Pem, ALGORITHM, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const { d: _private, ...publicJwk } = jwk;
    // Named by the key itself (RFC 7638), not at random: every process given this key (gateway
    // workers, replicas) signs under the same `kid` its JWKS serves, whichever one answers.
    const kid = await calculateJwkThumbprint(publicJwk);
    return new InternalTokenSigner(
      privateKey,
      { keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }] },
      kid,
    );
  }

  private static async fromKeys(
    privateKey: KeyLike,
    publicKey: KeyLike,
  ): Promise<InternalTokenSigner> {
    const kid = randomUUID();
    const jwk = await exportJWK(publicKey);
    return new InternalTokenSigner(
      privateKey,
      { keys: [{ ...jwk, kid, alg: ALGORITHM, use: 'sig' }] },
      kid,
    );
  }

  /** Public keys for subgraphs (served by the gateway at /.well-known/jwks.json). */
  get jwks(): JSONWebKeySet {
    return this.keySet;
  }

  /** A token for one call to `audience` whose request body is exactly `body`. */
  async sign(identity: InternalIdentity, audience: string, body: RequestBody): Promise<string> {
    const { caller } = identity;
    return new SignJWT({
      roles: caller.roles,
      la: caller.la,
      urn: caller.urns,
      client_id: caller.clientId,
      rid: identity.requestId,
      purpose: identity.purpose,
      [BODY_HASH_CLAIM]: bodyHash(body),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid, typ: 'JWT' })
      .setJti(randomUUID())
      .setSubject(caller.sub)
      .setIssuer(INTERNAL_ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .sign(this.privateKey);
  }
}

/**
 * Checks a token against the body of the request that carried it. Throws `AuthenticationError`
 * for every refusal (saying nothing of which check failed), `SeenTokenStoreUnavailable` when
 * it cannot tell whether the token was already used.
 */
export type VerifyInternalToken = (token: string, body: RequestBody) => Promise<InternalIdentity>;

/**
 * For a subgraph: trust only the gateway's keys, only tokens addressed to this subgraph, each
 * only for the body it was signed for and only once (`seenTokens`: in memory unless given).
 */
export function createInternalTokenVerifier(options: {
  audience: string;
  jwks?: JSONWebKeySet;
  jwksUrl?: string;
  seenTokens?: SeenTokenStore;
}): VerifyInternalToken {
  const seenTokens = options.seenTokens ?? new MemorySeenTokenStore();
  let keys: JWTVerifyGetKey;
  if (options.jwks) keys = createLocalJWKSet(options.jwks);
  else if (options.jwksUrl)
    keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 10_000 });
  else throw new Error('A subgraph needs the gateway keys (a JWKS or its URL).');
  return async (token, body) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: INTERNAL_ISSUER,
        audience: options.audience,
        algorithms: [ALGORITHM],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub', 'rid', 'jti', BODY_HASH_CLAIM],
      }));
    } catch {
      throw new AuthenticationError();
    }
    if (!sameHash(payload[BODY_HASH_CLAIM], bodyHash(body))) throw new AuthenticationError();
    if (typeof payload.jti !== 'string' || payload.jti.length === 0)
      throw new AuthenticationError();
    let identity: InternalIdentity;
    try {
      identity = {
        caller: {
          sub: String(payload.sub),
          roles: knownRoles(payload.roles),
          la: typeof payload.la === 'string' ? payload.la : '',
          urns: stringList(payload.urn),
          clientId: typeof payload.client_id === 'string' ? payload.client_id : null,
        },
        requestId: String(payload.rid),
        purpose: typeof payload.purpose === 'string' ? payload.purpose : null,
      };
    } catch {
      throw new AuthenticationError();
    }
    // Last, so only a genuine token for this very body can take a place in the store.
    const validUntilMs = (Number(payload.exp) + CLOCK_TOLERANCE_SECONDS) * 1000;
    if (!(await seenTokens.firstSighting(payload.jti, validUntilMs)))
      throw new AuthenticationError();
    return identity;
  };
}

function sameHash(claimed: unknown, actual: string): boolean {
  if (typeof claimed !== 'string') return false;
  const a = Buffer.from(claimed);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}
