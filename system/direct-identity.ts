/**
 * Identity for calling a subgraph directly (subgraph tests, benchmarks): a gateway signing
 * key, the security a subgraph is built with, and tokens signed as the gateway would sign them.
 *
 * The gateway signs one token per call, over that call's exact body. Tests name a caller once
 * (`tokenFor`) and send many requests, so `tokenFor` gives a stand-in: a real token of the
 * key, for the audience and caller, bound to an empty body (so useless on its own), that
 * `bindToBody` (used by every client that posts to a subgraph) exchanges for a fresh token
 * over the body being sent. A token that is not a stand-in is sent as it is.
 */
import { randomUUID } from 'node:crypto';
import type { Caller, Role } from '../identity/caller';
import {
  createInternalTokenVerifier,
  InternalTokenSigner,
  type InternalIdentity,
  type RequestBody,
} from '../identity/internal-token';
import type { SubgraphSecurity } from '../lib/authz/subgraph-security';
import type { NeedToKnowReader } from '../lib/authz/scope-sources';

export interface TestIdentity {
  signer: InternalTokenSigner;
  security(audience: string, needToKnow?: NeedToKnowReader): SubgraphSecurity;
  /** A gateway-signed token for `audience` carrying `caller` (bound on sending: `bindToBody`). */
  tokenFor(caller: Caller, audience: string): Promise<string>;
  /** A gateway-signed token for `audience` carrying `caller`, for exactly `body`. */
  tokenForBody(caller: Caller, audience: string, body: RequestBody): Promise<string>;
}

/** Stand-in tokens, and how to sign the real one for a body. */
const standIns = new Map<string, (body: RequestBody) => Promise<string>>();

/** The token to send with `body`: a fresh one for it when `token` is a stand-in. */
export async function bindToBody(token: string, body: RequestBody): Promise<string> {
  const sign = standIns.get(token);
  return sign ? sign(body) : token;
}

/**
 * Need-to-know grants held in memory: staff id -> child ids, and staff id -> UPNs of other
 * authorities' pupils (for single-subgraph tests).
 */
export const grantsReader = (
  grants: Record<string, string[]> = {},
  pupilGrants: Record<string, string[]> = {},
): NeedToKnowReader => ({
  activeChildIdsForStaff: async (staffId) => grants[staffId] ?? [],
  activeUpnsForStaff: async (staffId) => pupilGrants[staffId] ?? [],
});

export async function createTestIdentity(): Promise<TestIdentity> {
  const signer = await InternalTokenSigner.generate();
  const identityOf = (caller: Caller): InternalIdentity => ({
    caller,
    requestId: randomUUID(),
    purpose: null,
  });
  return {
    signer,
    security: (audience, needToKnow = grantsReader()) => ({
      verifyIdentity: createInternalTokenVerifier({ audience, jwks: signer.jwks }),
      needToKnow,
    }),
    tokenFor: async (caller, audience) => {
      const standIn = await signer.sign(identityOf(caller), audience, '');
      standIns.set(standIn, (body) => signer.sign(identityOf(caller), audience, body));
      return standIn;
    },
    tokenForBody: (caller, audience, body) => signer.sign(identityOf(caller), audience, body),
  };
}

export function caller(roles: Role[], overrides: Partial<Caller> = {}): Caller {
  return { sub: 'T000001', roles, la: '340', urns: [], clientId: null, ...overrides };
}
