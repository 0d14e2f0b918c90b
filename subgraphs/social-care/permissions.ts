/**
 * Who may read which social care field, mapped onto the shared rule library. Deny by default:
 * a field not listed here is refused. Which children come back at all is decided by scope in
 * the resolvers (see scoped-children.ts and `inScope`); these rules decide which categories
 * of a visible child's record each role reads. The same category table drives the audit log.
 */
import { auditMiddleware, fieldRules, type FieldCategories } from '../../lib/audit/child-audit';
import { and } from 'graphql-shield';
import { argumentsReadable } from '../../lib/authz/arguments';
import { guardedByParent, hasRole, mayChange, subgraphShield } from '../../lib/authz/rules';
import { CHILD_FILTER_CATEGORIES } from './children-search';
import { WORKLIST_CATEGORIES } from './worklist';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import type { Pep } from './mapping';
import type { PlacementWithChild } from './resolvers';

/** The data category (access.md) of every Child field this subgraph serves. */
export const CHILD_FIELDS: FieldCategories = {
  id: 'ID_BASIC',
  name: 'ID_BASIC',
  upn: 'ID',
  dateOfBirth: 'ID',
  age: 'ID',
  gender: 'ID',
  careStatus: 'CARE',
  placement: 'PLACEMENT',
  socialWorker: 'PR',
  parentalResponsibility: 'PR',
  pep: 'PEP',
  sharedSupportStrategies: 'CLASSROOM',
  // Not in the API (only the query planner reads it), and only facts that decide who sees the
  // child at all: whoever may know the child exists may have them vouched for.
  scopeFacts: 'ID_BASIC',
};

/** The address is the one confidential part of a placement: never for school staff. */
const PLACEMENT_FIELDS: FieldCategories = { address: 'ADDRESS' };

/**
 * A PEP's history of changes through the graph is PEP data of its child (the Pep itself is
 * reached only through `Child.pep`, or a PEP mutation's answer, both PEP already).
 */
const PEP_FIELDS: FieldCategories = { changes: 'PEP' };

const childOf = (record: ScChildRecord) => record.CHILD;
const pepChildOf = (pep: Pep) => pep.childId;
const placementChildOf = (placement: PlacementWithChild) => placement.childId;

/** Roles that read individual children's records at all (the rest get FORBIDDEN, not an empty answer). */
const readsIndividualRecords = hasRole(
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
  'teacher',
  'finance-officer',
);

export const socialCarePermissions = subgraphShield({
  Query: {
    child: readsIndividualRecords,
    // Selecting by a value is reading it: each filter field needs its category.
    children: and(
      readsIndividualRecords,
      argumentsReadable('filter', CHILD_FILTER_CATEGORIES),
      argumentsReadable('filter.worklist', WORKLIST_CATEGORIES),
    ),
  },
  // The PEP workflow (access.md "may change"): the shield lets through a caller with a role
  // that holds the change at all; the child's scope is checked where the change is made.
  Mutation: {
    createPepDraft: mayChange('PEP'),
    updatePepDraft: mayChange('PEP'),
    reviewPepTargets: mayChange('PEP'),
    completePep: mayChange('PEP', 'PEP_STATUS'),
    qualityAssurePep: mayChange('PEP', 'PEP_STATUS'),
  },
  Child: fieldRules('Child', CHILD_FIELDS, childOf),
  Placement: {
    '*': guardedByParent,
    ...fieldRules('Placement', PLACEMENT_FIELDS, placementChildOf),
  },
  // Value types are reachable only through the guarded fields above.
  ChildConnection: guardedByParent,
  ChildEdge: guardedByParent,
  PageInfo: guardedByParent,
  PersonName: guardedByParent,
  CodedValue: guardedByParent,
  LocalAuthority: guardedByParent,
  Money: guardedByParent,
  CareStatus: guardedByParent,
  CareEpisode: guardedByParent,
  Carer: guardedByParent,
  PlacementAddress: guardedByParent,
  SocialWorker: guardedByParent,
  ParentalResponsibility: guardedByParent,
  PepRecord: guardedByParent,
  Pep: { '*': guardedByParent, ...fieldRules('Pep', PEP_FIELDS, pepChildOf) },
  PepTarget: guardedByParent,
  PepTargetReview: guardedByParent,
  PepAttendee: guardedByParent,
  PepSignOff: guardedByParent,
  PepQualityAssurance: guardedByParent,
  PepChangeEntry: guardedByParent,
  PepChange: guardedByParent,
});

/** Records each category of each child's record the request returned. */
export const socialCareAudit = [
  auditMiddleware('Child', CHILD_FIELDS, childOf),
  auditMiddleware('Placement', PLACEMENT_FIELDS, placementChildOf),
];
