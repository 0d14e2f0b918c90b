/**
 * The need-to-know subgraph's resolvers. A Child reference is resolved only for a child the
 * caller may see (scope facts from social care, one search for N references); its list comes
 * from CLA Graph's own store through per-request loaders, so N children cost one query for
 * their grants and one education request for the staff those grants name.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import { childReferenceInScope, type ChildRef } from '../../lib/authz/child-reference';
import type { RequestAuth } from '../../lib/authz/request-auth';
import type { EdStaff } from '../../upstream/education/contract';
import type {
  Grant,
  GrantEvent,
  NeedToKnowStore,
  PupilGrant,
  PupilGrantEvent,
} from '../../stores/need-to-know/need-to-know-store';
import { grantNeedToKnow, revokeNeedToKnow } from './changes';
import { grantNeedToKnowByUpn, pupilReferenceInScope, revokeNeedToKnowByUpn } from './pupils';
import type { NeedToKnowLoaders } from './loaders';
import type { PupilRef } from './pupils';
import type { SchoolScopes } from './school-scopes';

export interface NeedToKnowContext {
  store: NeedToKnowStore;
  loaders: NeedToKnowLoaders;
  /** The caller (read by the permission rules) and the children they may see. */
  caller: Caller | null;
  auth: RequestAuth;
  /** The caller acting only as the designated teacher of each of their schools (for changes). */
  schools: SchoolScopes;
  /** This authority's code: a pupil another authority looks after is known here by UPN. */
  homeLa: string;
}

/** Whose list: one of our children by social care id, or another authority's pupil by UPN. */
type NeedToKnowRef = { childId: string } | { upn: string };

export interface StaffMember {
  staffId: string;
  name: string | null;
  jobTitle: string | null;
}

export function toStaffMember(staffId: string, record: EdStaff | null): StaffMember {
  if (!record) return { staffId, name: null, jobTitle: null };
  return {
    staffId,
    name: [record.title, record.forename, record.surname]
      .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
      .join(' '),
    jobTitle: record.job_title,
  };
}

const ACTIONS = { GRANT: 'GRANTED', REVOKE: 'REVOKED' } as const;

export const needToKnowResolvers: GraphQLResolverMap<NeedToKnowContext> = {
  Mutation: {
    grantNeedToKnow,
    revokeNeedToKnow,
    grantNeedToKnowByUpn,
    revokeNeedToKnowByUpn,
  },
  Child: {
    // Async, so a failed scope look-up fails its own entity, not the whole `_entities` list.
    __resolveReference: (reference: { id?: unknown }, context: NeedToKnowContext) =>
      childReferenceInScope(reference, context.auth),
    needToKnow: (child: ChildRef): NeedToKnowRef => ({ childId: child.id }),
  },
  // Another authority's pupil on a school's roll (issue 15), joined by UPN; the reference
  // resolves only for a pupil the caller may see (pupils.ts).
  PupilOnRoll: {
    __resolveReference: (reference: { upn?: unknown }, context: NeedToKnowContext) =>
      pupilReferenceInScope(reference, context),
    needToKnow: (pupil: PupilRef): NeedToKnowRef => ({ upn: pupil.upn }),
  },
  NeedToKnow: {
    grants: (list: NeedToKnowRef, _args: unknown, context: NeedToKnowContext) =>
      'childId' in list
        ? context.loaders.activeGrants.load(list.childId)
        : context.loaders.activePupilGrants.load(list.upn),
    history: (list: NeedToKnowRef, _args: unknown, context: NeedToKnowContext) =>
      'childId' in list
        ? context.loaders.history.load(list.childId)
        : context.loaders.pupilHistory.load(list.upn),
  },
  NeedToKnowGrant: {
    staffMember: async (grant: Grant | PupilGrant, _args: unknown, context: NeedToKnowContext) =>
      toStaffMember(grant.staffId, await context.loaders.staffById.load(grant.staffId)),
  },
  NeedToKnowEvent: {
    action: (event: GrantEvent | PupilGrantEvent) => ACTIONS[event.action],
  },
};
