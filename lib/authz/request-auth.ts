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
import { ChildScope } from './scope';
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
}

export function createRequestAuth(
  identity: InternalIdentity | null,
  deps: ScopeDependencies,
): RequestAuth {
  const caller = asSeenByThisAuthority(identity?.caller ?? null, deps.homeLa);
  return {
    caller,
    requestId: identity?.requestId ?? null,
    purpose: identity?.purpose ?? null,
    scope: new ChildScope(caller, deps.homeLa, scopeSources(deps.education, deps.needToKnow)),
    facts: createChildFactsLoaders(deps.socialCare),
    auditTrail: new AuditTrail(),
  };
}
