/**
 * The social care subgraph's resolvers. A Child is the case system's record with every part
 * (episodes, placements, PEPs, worker), fetched once through the per-request loaders; each
 * field maps its piece of that record, so no field costs another upstream call.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import type { Category } from '../../domain/categories';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { factsFromSocialCare } from '../../lib/authz/scope-sources';
import { connectionFrom, decodeCursor, pageSize, type Connection } from '../../lib/graphql/relay';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import type { SocialCareClient } from '../../upstream/social-care/client';
import { argumentsUsed, categoriesUsed } from '../../lib/authz/arguments';
import { CHILD_FILTER_CATEGORIES, toChildSearch, type ChildFilterInput } from './children-search';
import { childIdArgument, isUpn } from './identifiers';
import { allScopedChildren, scopedChildrenPage } from './scoped-children';
import { toWorklist, WORKLIST_CATEGORIES, worklistReasons, type WorklistReason } from './worklist';
import { readWorklistFacts, type WorklistEducation } from './worklist-facts';
import type { SocialCareLoaders } from './loaders';
import type { PepWorkflowContext } from './pep-workflow/context';
import { pepWorkflowMutations } from './pep-workflow/mutations';
import type { PepChange } from '../../stores/peps/types';
import {
  toAge,
  toCareStatus,
  toGender,
  toName,
  toParentalResponsibility,
  toPepRecord,
  toPlacement,
  toSocialWorker,
  type MappingContext,
  type Pep,
  type Placement,
  type SocialWorker,
} from './mapping';

/** A placement as resolved, carrying whose it is for the audit log. */
export type PlacementWithChild = Placement & { childId: string };

export interface SocialCareContext {
  client: SocialCareClient;
  /** The education system, for worklist criteria (read-only, the scope look-ups' client). */
  education: WorklistEducation;
  loaders: SocialCareLoaders;
  /** CLA Graph's history of PEP changes (the workflow's mutations and `Pep.changes`). */
  pepWorkflow: PepWorkflowContext;
  /** Today (by the configured clock, fixed for the request) and this authority. */
  mapping: MappingContext;
  /** The caller (read by the permission rules) and the children they may see. */
  caller: Caller | null;
  auth: RequestAuth;
}

interface ChildrenArgs {
  first?: number | null;
  after?: string | null;
  filter?: ChildFilterInput | null;
}

/** A representation as the gateway sends it: one of the two keys. */
interface ChildReference {
  id?: unknown;
  upn?: unknown;
}

/** An edge of `children`, with the worklist criteria the child matched (null without a worklist). */
type ChildEdge = Connection<ScChildRecord>['edges'][number] & {
  worklistReasons: WorklistReason[] | null;
};

async function children(
  _parent: unknown,
  args: ChildrenArgs,
  context: SocialCareContext,
): Promise<Omit<Connection<ScChildRecord>, 'edges'> & { edges: ChildEdge[] }> {
  const first = pageSize(args.first);
  const offset = decodeCursor(args.after);
  const asOf = context.mapping.asOf;
  // Every argument is checked before anything is read.
  const search = toChildSearch(args.filter, asOf);
  const worklist = toWorklist(args.filter?.worklist, asOf);
  // The permission rule has refused a filter field no role of the caller may read; each child
  // returned or counted must also be readable in those categories (roles pair with scope).
  const needed = [
    ...new Set([
      ...categoriesUsed(argumentsUsed('filter', CHILD_FILTER_CATEGORIES, args.filter)),
      ...categoriesUsed(
        argumentsUsed('filter.worklist', WORKLIST_CATEGORIES, args.filter?.worklist),
      ),
    ]),
  ];

  let page: { records: ScChildRecord[]; total: number; counted: ScChildRecord[] | null };
  let reasons: Map<string, WorklistReason[]> | null = null;
  if (worklist === null) {
    page = await scopedChildrenPage(context.auth, context.client, search, offset, first, needed);
  } else {
    // Decided here, not by the case system: the whole scoped set is read, each criterion
    // decided from batched facts, and paging and the count are over the children that match.
    const candidates = await allScopedChildren(context.auth, context.client, search, needed);
    const facts = await readWorklistFacts(worklist, candidates, context.education);
    reasons = new Map();
    const matching: ScChildRecord[] = [];
    for (const fact of facts) {
      const matched = worklistReasons(worklist, fact, asOf);
      if (matched.length === 0) continue;
      reasons.set(fact.record.CHILD, matched);
      matching.push(fact.record);
    }
    page = {
      records: matching.slice(offset, offset + first),
      total: matching.length,
      // Every candidate was selected on (matched or not): that is what the filter learnt.
      counted: candidates,
    };
  }
  // What the filter selected by was learnt of every child it counted: that is a read too.
  for (const record of page.counted ?? page.records) {
    for (const category of needed) context.auth.auditTrail.recordChild(record.CHILD, category);
  }
  page.records.forEach(context.loaders.prime);
  const connection = connectionFrom(page.records, offset, page.total);
  return {
    ...connection,
    edges: connection.edges.map((edge) => ({
      ...edge,
      worklistReasons: reasons?.get(edge.node.CHILD) ?? null,
    })),
  };
}

/**
 * A child the caller may see, or null: out of scope and non-existent give the same answer,
 * whichever way the child was asked for (by id, or by the query planner's `_entities`).
 */
async function inScope(
  record: ScChildRecord | null,
  context: SocialCareContext,
  needed: readonly Category[] = [],
): Promise<ScChildRecord | null> {
  // Asked even for no child: out of scope and non-existent do the same work (timing class).
  const visible = await context.auth.scope.includes(record && factsFromSocialCare(record), needed);
  return visible ? record : null;
}

async function resolveChildReference(
  reference: ChildReference,
  context: SocialCareContext,
): Promise<ScChildRecord | null> {
  if (reference.id !== undefined && reference.id !== null) {
    return inScope(await context.loaders.childById.load(childIdArgument(reference.id)), context);
  }
  // Not a UPN (UN1..UN5, or malformed): no one child has it.
  if (typeof reference.upn !== 'string' || !isUpn(reference.upn)) return null;
  // Finding a child by UPN tells the caller the UPN is theirs: a read of ID (arguments are reads).
  return inScope(await context.loaders.childByUpn.load(reference.upn), context, ['ID']);
}

async function socialWorker(
  record: ScChildRecord,
  _args: unknown,
  context: SocialCareContext,
): Promise<SocialWorker | null> {
  // Records are fetched with their worker; the look-up is for one that came without.
  if (record.worker !== undefined) return toSocialWorker(record.worker);
  if (record.SW_ID === null) return null;
  return toSocialWorker(await context.loaders.workerById.load(record.SW_ID));
}

export const socialCareResolvers: GraphQLResolverMap<SocialCareContext> = {
  Query: {
    child: async (_parent: unknown, args: { id: unknown }, context: SocialCareContext) =>
      inScope(await context.loaders.childById.load(childIdArgument(args.id)), context),
    children,
  },
  Mutation: pepWorkflowMutations,
  Pep: {
    changes: (pep: Pep, _args: unknown, context: SocialCareContext) =>
      context.pepWorkflow.changes.load(pep.id),
  },
  PepChangeEntry: {
    changedBy: (change: PepChange) => change.actorSub,
  },
  Child: {
    // Async, so a bad reference fails its own entity, not the whole `_entities` list.
    __resolveReference: async (reference: ChildReference, context: SocialCareContext) =>
      resolveChildReference(reference, context),
    id: (record: ScChildRecord) => record.CHILD,
    upn: (record: ScChildRecord) => record.UPN,
    name: (record: ScChildRecord) => toName(record),
    dateOfBirth: (record: ScChildRecord) => record.DOB,
    age: (record: ScChildRecord, _args: unknown, context: SocialCareContext) =>
      toAge(record, context.mapping.asOf),
    gender: (record: ScChildRecord) => toGender(record.SEX),
    careStatus: (record: ScChildRecord, _args: unknown, context: SocialCareContext) =>
      toCareStatus(record, context.mapping),
    placement: (
      record: ScChildRecord,
      _args: unknown,
      context: SocialCareContext,
    ): PlacementWithChild | null => {
      const placement = toPlacement(record, context.mapping);
      // The child's id rides along (not in the schema) so reading the address can be audited.
      return placement && { ...placement, childId: record.CHILD };
    },
    socialWorker,
    parentalResponsibility: (record: ScChildRecord) => toParentalResponsibility(record),
    pep: (record: ScChildRecord, _args: unknown, context: SocialCareContext) =>
      toPepRecord(record, context.mapping),
    sharedSupportStrategies: (record: ScChildRecord, _args: unknown, context: SocialCareContext) =>
      toPepRecord(record, context.mapping).current?.supportStrategies ?? [],
    // Not in the API: the query planner carries it to the subgraphs extending the child.
    scopeFacts: (record: ScChildRecord, _args: unknown, context: SocialCareContext) =>
      context.auth.sealFacts(factsFromSocialCare(record)),
  },
};
