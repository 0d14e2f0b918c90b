/**
 * The finance subgraph's resolvers. A Child reference is resolved only for a child the caller
 * may see (scope facts from social care, one search for N references); its
 * `pupilPremiumPlus` goes through the per-request loader, so N children cost one search. The
 * unspent figure needs the year's top-slices: side-loaded by that search (loaders.ts), else
 * read once per request and year, and only when `topSliceShare` or `unspent` is asked for.
 * PP+ requests (CLA Graph's own store) are in pp-plus/.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import { childReferenceInScope, type ChildRef } from '../../lib/authz/child-reference';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { badUserInput } from '../../lib/errors';
import type { Clock } from '../../lib/clock';
import type { PpPlusRequestStore } from '../../stores/pupil-premium-plus/pp-plus-request-store';
import type { FinanceClient } from '../../upstream/finance/client';
import type { SocialCareClient } from '../../upstream/social-care/client';
import { financialYearOf, isFinancialYear } from '../../domain/financial-year';
import { spendSchoolsFor } from './funding-scope';
import type { FinanceLoaders } from './loaders';
import { ppPlusRequestResolvers, requestsOf, type RequestsOf } from './pp-plus/resolvers';
import {
  UNSPENT_RULE,
  pupilPremiumPlusFor,
  unspentFor,
  type PupilPremiumPlus,
  type UnspentPupilPremiumPlus,
} from '../../domain/measures/pupil-premium-plus';

export interface FinanceContext {
  loaders: FinanceLoaders;
  clock: Clock;
  /** PP+ requests and their history (CLA Graph's own). */
  store: PpPlusRequestStore;
  /** The finance system, for the commitments and payments PP+ requests make. */
  finance: FinanceClient;
  /** The case system, where the PEP targets PP+ is requested for are. */
  socialCare: SocialCareClient;
  /** The caller (read by the permission rules) and the children they may see. */
  caller: Caller | null;
  auth: RequestAuth;
}

/** The year asked for, checked, or the current one by the clock. */
export function financialYearArgument(value: string | null | undefined, clock: Clock): string {
  if (value === null || value === undefined) return financialYearOf(clock());
  if (!isFinancialYear(value)) {
    throw badUserInput(
      '`financialYear` must be a financial year written YYYY-YY with consecutive years, e.g. "2025-26".',
    );
  }
  return value;
}

/** A child's PP+ year, and what its requests are read by. */
type PupilPremiumPlusShape = PupilPremiumPlus & RequestsOf;

async function pupilPremiumPlus(
  child: ChildRef,
  args: { financialYear?: string | null },
  context: FinanceContext,
): Promise<PupilPremiumPlusShape | null> {
  const financialYear = financialYearArgument(args.financialYear, context.clock);
  const rolesInScope = context.auth.scope.rolesOf({ childId: child.id });
  const schools = spendSchoolsFor(context.caller, rolesInScope);
  // The year's top-slices are not read here: the client search side-loads them (loaders.ts),
  // and a read started beside it would be a second request before its answer primes them.
  const client = await context.loaders.clientByChildId.load(child.id);
  const ppp = pupilPremiumPlusFor(client, financialYear, schools);
  return ppp && { ...ppp, childId: child.id, requestSchools: schools };
}

/**
 * The unspent figure of a PP+ year; null (and no top-slice read) for a part view of spend. Runs
 * after the child's search answered, so a year it side-loaded is primed: no request.
 */
async function unspentOf(
  ppp: PupilPremiumPlus,
  context: FinanceContext,
): Promise<UnspentPupilPremiumPlus | null> {
  if (!ppp.allSpendShown) return null;
  return unspentFor(ppp, await context.loaders.topSlicesByYear.load(ppp.financialYear));
}

export const financeResolvers: GraphQLResolverMap<FinanceContext> = {
  ...ppPlusRequestResolvers,
  Child: {
    // The finance subgraph adds fields to a Child; it holds no Child of its own to look up.
    // Async, so a failed scope look-up fails its own entity, not the whole `_entities` list.
    __resolveReference: (reference: { id?: unknown }, context: FinanceContext) =>
      childReferenceInScope(reference, context.auth),
    pupilPremiumPlus,
  },
  PupilPremiumPlus: {
    topSliceShare: async (ppp: PupilPremiumPlus, _args: unknown, context: FinanceContext) =>
      (await unspentOf(ppp, context))?.topSliceShare ?? null,
    unspent: async (ppp: PupilPremiumPlus, _args: unknown, context: FinanceContext) =>
      (await unspentOf(ppp, context))?.unspent ?? null,
    unspentRule: () => UNSPENT_RULE,
    requests: (ppp: PupilPremiumPlusShape, _args: unknown, context: FinanceContext) =>
      requestsOf(ppp, context),
  },
};
