/**
 * Identity for tests that call a subgraph directly: a gateway signing key, the security
 * a subgraph is built with, and tokens signed as the gateway would sign them.
 */
import { randomUUID } from 'node:crypto';
import type { Caller, Role } from '../../identity/caller';
import { createInternalTokenVerifier, InternalTokenSigner } from '../../identity/internal-token';
import type { SubgraphSecurity } from '../../lib/authz/subgraph-security';
import type { NeedToKnowReader } from '../../lib/authz/scope-sources';

export interface TestIdentity {
  signer: InternalTokenSigner;
  security(audience: string, needToKnow?: NeedToKnowReader): SubgraphSecurity;
  /** A gateway-signed token for `audience` carrying `caller`. */
  tokenFor(caller: Caller, audience: string): Promise<string>;
}

/** Need-to-know grants held in memory: staff id -> child ids (for single-subgraph tests). */
export const grantsReader = (grants: Record<string, string[]> = {}): NeedToKnowReader => ({
  activeChildIdsForStaff: async (staffId) => grants[staffId] ?? [],
});

export async function createTestIdentity(): Promise<TestIdentity> {
  const signer = await InternalTokenSigner.generate();
  return {
    signer,
    security: (audience, needToKnow = grantsReader()) => ({
      verifyIdentity: createInternalTokenVerifier({ audience, jwks: signer.jwks }),
      needToKnow,
    }),
    tokenFor: (caller, audience) =>
      signer.sign({ caller, requestId: randomUUID(), purpose: null }, audience),
  };
}

export function caller(roles: Role[], overrides: Partial<Caller> = {}): Caller {
  return { sub: 'T000001', roles, la: '340', urns: [], clientId: null, ...overrides };
}
