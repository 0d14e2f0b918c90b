/**
 * The finance subgraph's resolvers. A Child reference is resolved only for a child the caller
 * may see (scope facts from social care, one search for N references); its
 * `pupilPremiumPlus` goes through the per-request loader, so N children cost one search. The
 * unspent figure needs the year's top-slices: read once per request and year, and only when
 * `topSliceShare` or `unspent` is asked for.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import { childReferenceInScope, type ChildRef } from '../../lib/authz/child-reference';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { badUserInput } from '../../lib/errors';
import type { Clock } from '../../lib/clock';
import { financialYearOf, isFinancialYear } from '../../domain/financial-year';
import { spendSchoolsFor } from './funding-scope';
import type { FinanceLoaders } from './loaders';
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

async function pupilPremiumPlus(
  child: ChildRef,
  args: { financialYear?: string | null },
  context: FinanceContext,
): Promise<PupilPremiumPlus | null> {
  const financialYear = financialYearArgument(args.financialYear, context.clock);
  const client = await context.loaders.clientByChildId.load(child.id);
  const rolesInScope = context.auth.scope.rolesOf({ childId: child.id });
  return pupilPremiumPlusFor(client, financialYear, spendSchoolsFor(context.caller, rolesInScope));
}

/** The unspent figure of a PP+ year; null (and no top-slice read) for a part view of spend. */
async function unspentOf(
  ppp: PupilPremiumPlus,
  context: FinanceContext,
): Promise<UnspentPupilPremiumPlus | null> {
  if (!ppp.allSpendShown) return null;
  return unspentFor(ppp, await context.loaders.topSlicesByYear.load(ppp.financialYear));
}

export const financeResolvers: GraphQLResolverMap<FinanceContext> = {
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
  },
};
