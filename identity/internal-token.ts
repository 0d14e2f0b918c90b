/**
 * The gateway's word to a subgraph: a short-lived token the gateway signs for each subgraph
 * (audience: the subgraph's name) carrying the verified caller and the request id. Subgraphs
 * accept nothing else, so a subgraph reached directly on the network reveals nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importPKCS8,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { knownRoles, stringList, type Caller } from './caller';
import { AuthenticationError } from './external-token';

export const INTERNAL_ISSUER = 'cla-graph-gateway';
const ALGORITHM = 'ES256';
const LIFETIME_SECONDS = 60;

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
    const kid = randomUUID();
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

  async sign(identity: InternalIdentity, audience: string): Promise<string> {
    const { caller } = identity;
    return new SignJWT({
      roles: caller.roles,
      la: caller.la,
      urn: caller.urns,
      client_id: caller.clientId,
      rid: identity.requestId,
      purpose: identity.purpose,
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid, typ: 'JWT' })
      .setSubject(caller.sub)
      .setIssuer(INTERNAL_ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .sign(this.privateKey);
  }
}

export type VerifyInternalToken = (token: string) => Promise<InternalIdentity>;

/** For a subgraph: trust only the gateway's keys, only tokens addressed to this subgraph. */
export function createInternalTokenVerifier(options: {
  audience: string;
  jwks?: JSONWebKeySet;
  jwksUrl?: string;
}): VerifyInternalToken {
  let keys: JWTVerifyGetKey;
  if (options.jwks) keys = createLocalJWKSet(options.jwks);
  else if (options.jwksUrl)
    keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 10_000 });
  else throw new Error('A subgraph needs the gateway keys (a JWKS or its URL).');
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: INTERNAL_ISSUER,
        audience: options.audience,
        algorithms: [ALGORITHM],
        clockTolerance: 5,
        requiredClaims: ['exp', 'sub', 'rid'],
      });
      return {
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
  };
}
