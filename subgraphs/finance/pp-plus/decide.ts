/**
 * Deciding a PP+ request (the Virtual School Head: funding allocations). A decline is stored at
 * once. An approval is committed in the finance system first, then stored as COMMITTED: if the
 * finance system refuses (over the child's allocation there) or cannot be reached, nothing is
 * stored and the request stays REQUESTED, so there is never an approval without its
 * commitment. The commitment's reference is the request's id, so if the commitment is made but
 * cannot be recorded here, the same decision sent again finds it (the finance system answers
 * the same commitment) and finishes the job without committing twice.
 */
import { formatPence } from '../../../domain/money';
import {
  ErrorCode,
  PublicError,
  UpstreamUnavailableError,
  badUserInput,
} from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import type { PpPlusRequest } from '../../../stores/pupil-premium-plus/types';
import { clientRefFor } from '../../../upstream/finance/contract';
import type { FinanceContext } from '../resolvers';
import { callerWhoMay, mayChangeChild, noSuchRequest } from './authority';
import { commitToFinance } from './finance-writes';
import { approvedAmount, parseDecisionInput } from './input';
import type { PpPlusRequestChangeShape } from './request';
import { overAllocation, remainingPence } from './remaining';

const STILL_REQUESTED = 'The request is still REQUESTED: nothing was approved.';

/** A decided request, asked the same again: a repeat. */
function sameDecision(request: PpPlusRequest, decision: string, approved: number | null): boolean {
  return request.decision === decision && request.approvedPence === approved;
}

export async function decidePupilPremiumPlusRequest(
  _parent: unknown,
  args: { input?: Record<string, unknown> | null },
  context: FinanceContext,
): Promise<PpPlusRequestChangeShape> {
  const caller = callerWhoMay(context, 'FUNDING_ALLOCATION');
  const input = parseDecisionInput(args.input);
  const request = await context.store.get(input.id);
  if (!request || !(await mayChangeChild(context, request.childId, 'FUNDING_ALLOCATION'))) {
    throw noSuchRequest();
  }
  context.auth.auditTrail.recordChild(request.childId, 'FUNDING');
  const approved = approvedAmount(input, request.requestedPence);

  if (request.status !== 'REQUESTED') {
    if (sameDecision(request, input.decision, approved)) return { request, changed: false };
    throw badUserInput(
      `This request was already decided (${request.status}); a decision is not changed.`,
    );
  }
  const actor = { sub: caller.sub, roles: caller.roles, requestId: context.auth.requestId };
  if (approved === null) {
    const declined = await context.store.decide(request.id, {
      decision: 'DECLINE',
      approvedPence: null,
      reason: input.reason,
      commitmentId: null,
      actor,
    });
    return settled(declined, input.decision, approved);
  }

  // Reading what remains and committing both need the finance system: if it cannot be
  // reached for either, nothing is approved.
  const { remaining, commitment } = await whileFinanceAnswers(async () => {
    const left = await remainingPence(context, request.childId, request.financialYear, request.id);
    if (approved > left) return { remaining: left, commitment: null };
    const made = await commitToFinance(context.finance, {
      commitment_ref: request.id,
      client_ref: clientRefFor(request.childId),
      fy: request.financialYear,
      amount_pence: approved,
      pep_target_id: request.pepTargetId,
      urn: request.urn,
    });
    return { remaining: left, commitment: made };
  });
  if (commitment === null) {
    throw overAllocation('The amount approved', request.financialYear, remaining, STILL_REQUESTED);
  }
  if (commitment.kind === 'over-allocation') {
    const left =
      commitment.remainingPence === null
        ? ''
        : ` ${formatPence(Math.max(0, commitment.remainingPence))} remains there.`;
    throw badUserInput(
      `The finance system refused the commitment: the amount approved is more than the ` +
        `child's remaining allocation it holds for ${request.financialYear}.${left} ${STILL_REQUESTED}`,
    );
  }
  if (commitment.kind === 'ref-reused' || commitment.commitment.amount_pence !== approved) {
    // A commitment for this request was made earlier with another amount.
    throw badUserInput(
      'This request is already committed in the finance system with another amount: decide ' +
        'it with the amount committed.',
    );
  }

  try {
    const committed = await context.store.decide(request.id, {
      decision: input.decision,
      approvedPence: approved,
      reason: input.reason,
      commitmentId: commitment.commitment.commitment_id,
      actor,
    });
    return settled(committed, input.decision, approved);
  } catch (error) {
    if (error instanceof PublicError) throw error;
    logger.error('PP+ commitment made but not recorded', {
      kind: error instanceof Error ? error.constructor.name : typeof error,
    });
    throw new PublicError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      'The commitment was made but could not be recorded here. Send the same decision again ' +
        'to finish: it will not commit twice.',
    );
  }
}

/** `work`, with the finance system being unreachable told as: nothing approved, try again. */
async function whileFinanceAnswers<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UpstreamUnavailableError)) throw error;
    throw new PublicError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `The finance system could not be reached, so no commitment was made. ${STILL_REQUESTED} Try again.`,
    );
  }
}

/** The store's answer: changed, a repeat of the same decision, or someone else's first. */
function settled(
  outcome: { request: PpPlusRequest; changed: boolean } | null,
  decision: string,
  approved: number | null,
): PpPlusRequestChangeShape {
  if (!outcome) throw noSuchRequest();
  if (outcome.changed || sameDecision(outcome.request, decision, approved)) return outcome;
  throw badUserInput(
    `This request was already decided (${outcome.request.status}); a decision is not changed.`,
  );
}
