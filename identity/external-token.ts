/**
 * Verifying the bearer token a caller brings (OIDC access token: Entra ID for staff, client
 * credentials for another authority's system): signature against the issuer's JWKS (fetched,
 * cached, refetched on an unknown `kid`) or a configured public key, issuer, audience, expiry,
 * and an allow-list of asymmetric algorithms (never `none`, never HMAC).
 */
import { isLaCode } from '../domain/identifiers';
import {
  createRemoteJWKSet,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { knownRoles, stringList, type Caller } from './caller';

export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256'];

export interface ExternalTokenOptions {
  issuer: string;
  audience: string;
  /** The issuer's JWKS endpoint... */
  jwksUrl?: string;
  /** ...or one public key (SPKI PEM) with its algorithm. */
  publicKeyPem?: string;
  publicKeyAlgorithm?: string;
  /** Seconds of clock skew tolerated on exp/nbf. */
  clockToleranceSeconds?: number;
}

/** Thrown for every token problem; deliberately says nothing of which check failed. */
export class AuthenticationError extends Error {
  constructor() {
    super('authentication failed');
  }
}

export type VerifyExternalToken = (token: string) => Promise<Caller>;

export async function createExternalTokenVerifier(
  options: ExternalTokenOptions,
): Promise<VerifyExternalToken> {
  let key: KeyLike | JWTVerifyGetKey;
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
      timeoutDuration: 5_000,
    });
  } else if (options.publicKeyPem) {
    key = await importSPKI(options.publicKeyPem, options.publicKeyAlgorithm ?? 'RS256');
  } else {
    throw new Error('Token verification needs a JWKS URL or a public key.');
  }
  return async (token) => {
    let payload: JWTPayload;
    try {
      const verified =
        typeof key === 'function'
          ? await jwtVerify(token, key, verifyOptions(options))
          : await jwtVerify(token, key, verifyOptions(options));
      payload = verified.payload;
    } catch {
      throw new AuthenticationError();
    }
    return callerFromClaims(payload);
  };
}

function verifyOptions(options: ExternalTokenOptions) {
  return {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ALLOWED_ALGORITHMS,
    clockTolerance: options.clockToleranceSeconds ?? 30,
    requiredClaims: ['exp', 'sub'],
  };
}

/** Maps OIDC claims to a Caller: `roles` (app roles), `la`, `urn`, and the client (`azp`/`appid`). */
export function callerFromClaims(payload: JWTPayload): Caller {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AuthenticationError();
  // Every rule and every audit event names the caller's authority: a token without one (a
  // misconfigured claims mapping) is not a token for this API.
  const la = isLaCode(payload.la) ? payload.la : null;
  if (la === null) throw new AuthenticationError();
  const client =
    typeof payload.azp === 'string'
      ? payload.azp
      : typeof payload.appid === 'string'
        ? payload.appid
        : null;
  return {
    sub: payload.sub,
    roles: knownRoles(payload.roles),
    la,
    urns: stringList(payload.urn),
    clientId: client,
  };
}
