/**
 * The gateway's trust in other authorities' issuers (`PARTNER_ISSUERS`): a token signed by a
 * partner authority's issuer is a client-credentials token of that authority's CLA Graph, and
 * gets what a placing authority gets (our Designated Teacher register, the virtual school
 * contacts, and the exchange's own endpoint) and nothing else.
 *
 * It is accepted only when its signature checks against that issuer's JWKS, its audience is
 * ours, its `la` is the code configured for that issuer (an issuer speaks for one authority)
 * and its roles are `placing-authority` alone: a partner's token claiming another authority or
 * any other role is refused whole, not narrowed, because an issuer that mints such a token is
 * misconfigured or compromised. A token from an issuer in neither list is refused.
 */
import {
  createRemoteJWKSet,
  decodeJwt,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Caller } from '../identity/caller';
import {
  ALLOWED_ALGORITHMS,
  AuthenticationError,
  type VerifyExternalToken,
} from '../identity/external-token';
import type { PartnerIssuer } from './config';

/** The one role a partner authority's token may carry. */
export const PARTNER_ROLE = 'placing-authority';

function partnerCaller(payload: JWTPayload, partner: PartnerIssuer): Caller {
  const roles = payload.roles;
  const onlyPlacing = Array.isArray(roles) && roles.length === 1 && roles[0] === PARTNER_ROLE;
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AuthenticationError();
  if (payload.la !== partner.la || !onlyPlacing) throw new AuthenticationError();
  const client = typeof payload.azp === 'string' ? payload.azp : payload.sub;
  return { sub: payload.sub, roles: [PARTNER_ROLE], la: partner.la, urns: [], clientId: client };
}

/**
 * One verifier for every token: the staff issuer's (`primary`), or a partner's by the token's
 * `iss` (read unverified only to pick the keys; the signature and `iss` are then checked).
 */
export function withPartnerIssuers(
  primaryIssuer: string,
  primary: VerifyExternalToken,
  partners: readonly PartnerIssuer[],
  audience: string,
  clockToleranceSeconds = 30,
): VerifyExternalToken {
  if (partners.length === 0) return primary;
  const keys = new Map<string, { partner: PartnerIssuer; key: JWTVerifyGetKey }>(
    partners.map((partner) => [
      partner.issuer,
      {
        partner,
        key: createRemoteJWKSet(new URL(partner.jwksUrl), {
          cooldownDuration: 30_000,
          cacheMaxAge: 600_000,
          timeoutDuration: 5_000,
        }),
      },
    ]),
  );
  return async (token) => {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new AuthenticationError();
    }
    if (issuer === primaryIssuer || typeof issuer !== 'string') return primary(token);
    const trusted = keys.get(issuer);
    if (!trusted) throw new AuthenticationError();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, trusted.key, {
        issuer: trusted.partner.issuer,
        audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch {
      throw new AuthenticationError();
    }
    return partnerCaller(payload, trusted.partner);
  };
}
