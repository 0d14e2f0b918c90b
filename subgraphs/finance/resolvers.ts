/**
 * The finance subgraph's resolvers. A Child reference is resolved only for a child the caller
 * may see (scope facts from social care, one search for N references); its
 * `pupilPremiumPlus` goes through the per-request loader, so N children cost one search.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { badUserInput } from '../../lib/errors';
import type { Clock } from '../../lib/clock';
import { financialYearOf, isFinancialYear } from '../../domain/financial-year';
import { spendSchoolsFor } from './funding-scope';
import type { FinanceLoaders } from './loaders';
import {
  pupilPremiumPlusFor,
  type PupilPremiumPlus,
} from '../../domain/measures/pupil-premium-plus';
import { isChildId } from './mapping';

export interface FinanceContext {
  loaders: FinanceLoaders;
  clock: Clock;
  /** The caller (read by the permission rules) and the children they may see. */
  caller: Caller | null;
  auth: RequestAuth;
}

export interface ChildRef {
  id: string;
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

/** A representation's id is whatever the caller sent; `ID` allows numbers too. */
function keyText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * A child the caller may see, or null: out of scope, unknown to social care and malformed
 * give the same answer, with no error. The finance system is asked only about children in
 * scope (by `pupilPremiumPlus`).
 */
async function resolveChildReference(
  reference: { id?: unknown },
  context: FinanceContext,
): Promise<ChildRef | null> {
  const id = keyText(reference.id);
  // A malformed id cannot be a child social care knows: no need to ask it.
  if (!isChildId(id)) return null;
  const facts = await context.auth.facts.byId.load(id);
  // Asked even for no child: out of scope and non-existent do the same work (timing class).
  if (!(await context.auth.scope.includes(facts))) return null;
  return { id };
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

export const financeResolvers: GraphQLResolverMap<FinanceContext> = {
  Child: {
    // The finance subgraph adds fields to a Child; it holds no Child of its own to look up.
    // Async, so a failed scope look-up fails its own entity, not the whole `_entities` list.
    __resolveReference: (reference: { id?: unknown }, context: FinanceContext) =>
      resolveChildReference(reference, context),
    pupilPremiumPlus,
  },
};
