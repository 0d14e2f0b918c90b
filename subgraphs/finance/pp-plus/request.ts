/**
 * Making a PP+ request (a Virtual School officer: a PP+ request on a PEP target is part of
 * the PEP). Order: check the input, check who may change this child, answer a repeat of the
 * same request as it was, check the target belongs to the child's PEP in the case system, check
 * the amount against what remains of the year's PP+, then store the request with its history
 * in one transaction. Anything refused stores nothing.
 */
import { financialYearOf } from '../../../domain/financial-year';
import { badUserInput } from '../../../lib/errors';
import type { PpPlusRequest } from '../../../stores/pupil-premium-plus/types';
import type { ScPep } from '../../../upstream/social-care/contract';
import type { FinanceContext } from '../resolvers';
import { callerWhoMay, mayChangeChild, noSuchChild } from './authority';
import { parseRequestInput, type RequestInput } from './input';
import { overAllocation, remainingPence } from './remaining';

export interface PpPlusRequestChangeShape {
  request: PpPlusRequest;
  changed: boolean;
}

const idTaken = () =>
  badUserInput('This `requestId` was used for a different request: make up a new one.');

/** The same request as one made before: same child, target, amount and rationale. */
function isRepeat(stored: PpPlusRequest, input: RequestInput): boolean {
  return (
    stored.childId === input.childId &&
    stored.pepTargetId === input.pepTargetId &&
    stored.requestedPence === input.amountPence &&
    stored.rationale === input.rationale
  );
}

/** The child's PEP holding the target, from the case system; null when none does. */
async function pepWithTarget(
  context: FinanceContext,
  childId: string,
  targetId: string,
): Promise<ScPep | null> {
  const [record] = await context.socialCare.childrenByKey('ids', [childId], ['peps']);
  const peps = record?.CHILD === childId ? (record.peps ?? []) : [];
  return peps.find((pep) => pep.TARGETS.some((target) => target.TARGET_ID === targetId)) ?? null;
}

export async function requestPupilPremiumPlus(
  _parent: unknown,
  args: { input?: Record<string, unknown> | null },
  context: FinanceContext,
): Promise<PpPlusRequestChangeShape> {
  const caller = callerWhoMay(context, 'PEP');
  const input = parseRequestInput(args.input);
  if (!(await mayChangeChild(context, input.childId, 'PEP'))) throw noSuchChild();
  context.auth.auditTrail.recordChild(input.childId, 'FUNDING');

  const earlier = await context.store.get(input.requestId);
  if (earlier) {
    if (!isRepeat(earlier, input)) throw idTaken();
    return { request: earlier, changed: false };
  }

  const pep = await pepWithTarget(context, input.childId, input.pepTargetId);
  if (!pep) throw badUserInput("`pepTargetId` is not a target of this child's PEP.");
  const financialYear = financialYearOf(context.clock());
  const remaining = await remainingPence(context, input.childId, financialYear);
  if (input.amountPence > remaining) {
    throw overAllocation('The amount asked', financialYear, remaining);
  }

  const outcome = await context.store.create({
    id: input.requestId,
    childId: input.childId,
    financialYear,
    pepId: pep.PEP_ID,
    pepTargetId: input.pepTargetId,
    urn: pep.SCHOOL_URN,
    requestedPence: input.amountPence,
    rationale: input.rationale,
    actor: { sub: caller.sub, roles: caller.roles, requestId: context.auth.requestId },
  });
  switch (outcome.kind) {
    case 'created':
      return { request: outcome.request, changed: true };
    case 'repeated':
      return { request: outcome.request, changed: false };
    case 'id-taken':
      throw idTaken();
    case 'target-open':
      throw badUserInput(
        'This PEP target already has an open PP+ request (requested or committed): decide or ' +
          'pay that one first.',
      );
  }
}
