/**
 * What every subgraph knows about the caller for one request: who they are (as the gateway
 * vouched), and which children they may see. Built fresh per request, so scope facts and
 * need-to-know lists are read once per request and never outlive it.
 */
import type { Caller } from '../../identity/caller';
import type { InternalIdentity } from '../../identity/internal-token';
import { AuditTrail } from '../audit/audit-trail';
import { asSeenByThisAuthority } from './authority';
import type { EducationClient } from '../../upstream/education/client';
import type { SocialCareClient } from '../../upstream/social-care/client';
import { ChildScope, type ChildFacts } from './scope';
import { openSealedFacts, sealFacts } from './vouched-facts';
import {
  createChildFactsLoaders,
  scopeSources,
  type ChildFactsLoaders,
  type NeedToKnowReader,
} from './scope-sources';

/** Long-lived pieces a subgraph needs to enforce scope: read-only upstream clients and the NTK store. */
export interface ScopeDependencies {
  /** This authority's code. */
  homeLa: string;
  socialCare: SocialCareClient;
  education: EducationClient;
  needToKnow: NeedToKnowReader;
  /**
   * The key social care seals scope facts under (vouched-facts.ts), derived from the social
   * care read credential; without it nothing is sealed or accepted and every look-up is made.
   */
  factsKey?: Buffer;
}

/** A `Child` representation as the query planner sends it: its id, and social care's seal. */
export interface ChildRepresentation {
  id?: unknown;
  scopeFacts?: unknown;
}

export interface RequestAuth {
  /** The caller as this authority sees them: another authority's token is a placing authority. */
  caller: Caller | null;
  requestId: string | null;
  purpose: string | null;
  scope: ChildScope;
  /** Scope facts by child id and by UPN, from social care. */
  facts: ChildFactsLoaders;
  /** What this request returned, for the access log. */
  auditTrail: AuditTrail;
  /** Social care's seal on a child's facts, for this request and caller (null when it cannot seal). */
  sealFacts(facts: ChildFacts): string | null;
  /**
   * Takes the facts a representation carries under social care's seal, when the seal is right
   * for this child, request and caller, so `facts.byId` answers without a look-up; anything
   * else is ignored (and the look-up made).
   */
  acceptSealedFacts(reference: ChildRepresentation): void;
}

export function createRequestAuth(
  identity: InternalIdentity | null,
  deps: ScopeDependencies,
): RequestAuth {
  const caller = asSeenByThisAuthority(identity?.caller ?? null, deps.homeLa);
  const facts = createChildFactsLoaders(deps.socialCare);
  const key = deps.factsKey;
  const binding =
    caller && identity?.requestId ? { requestId: identity.requestId, sub: caller.sub } : null;
  return {
    caller,
    requestId: identity?.requestId ?? null,
    purpose: identity?.purpose ?? null,
    scope: new ChildScope(caller, deps.homeLa, scopeSources(deps.education, deps.needToKnow)),
    facts,
    auditTrail: new AuditTrail(),
    sealFacts: (childFacts) =>
      key && binding && childFacts.id !== null
        ? sealFacts(key, { ...childFacts, id: childFacts.id }, binding)
        : null,
    acceptSealedFacts: (reference) => {
      if (!key || !binding || typeof reference.id !== 'string') return;
      const vouched = openSealedFacts(key, reference.scopeFacts, reference.id, binding);
      // `prime` never replaces facts already read in this request.
      if (vouched) facts.byId.prime(reference.id, vouched);
    },
  };
}
