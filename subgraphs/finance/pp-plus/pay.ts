/**
 * Recording a payment of a committed PP+ request (a finance officer: funding transactions).
 * The finance system books it as a spend line against the commitment (the PEP target and the
 * PEP's school come from the commitment) and owns the paid total; CLA Graph records the
 * payment in the request's history and the total the finance system gives back. The payment
 * reference makes it idempotent at both ends: sent again, it changes nothing anywhere.
 */
import { formatPence } from '../../../domain/money';
import {
  ErrorCode,
  PublicError,
  UpstreamUnavailableError,
  badUserInput,
} from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import type { FinanceContext } from '../resolvers';
import { callerWhoMay, mayChangeChild, noSuchRequest } from './authority';
import { payToFinance } from './finance-writes';
import { parsePaymentInput } from './input';
import type { PpPlusRequestChangeShape } from './request';

const NOT_PAYABLE: Record<string, string> = {
  REQUESTED: 'This request has not been approved yet: nothing can be paid against it.',
  DECLINED: 'This request was declined: nothing can be paid against it.',
  PAID: 'This request is already paid in full.',
};

/** What the finance system's refusals of a payment mean to the caller. */
const REFUSED = {
  'over-payment':
    'The finance system refused the payment: it is more than is still to pay of the commitment.',
  'not-open': 'The finance system refused the payment: the commitment is no longer open.',
  'ref-reused':
    'The finance system refused the payment: this `paymentRef` was used for a different payment.',
} as const;

export async function recordPupilPremiumPlusPayment(
  _parent: unknown,
  args: { input?: Record<string, unknown> | null },
  context: FinanceContext,
): Promise<PpPlusRequestChangeShape> {
  const caller = callerWhoMay(context, 'FUNDING_TRANSACTION');
  const input = parsePaymentInput(args.input, context.clock());
  const request = await context.store.get(input.id);
  if (!request || !(await mayChangeChild(context, request.childId, 'FUNDING_TRANSACTION'))) {
    throw noSuchRequest();
  }
  context.auth.auditTrail.recordChild(request.childId, 'FUNDING');

  const history = (await context.store.history([request.id])).get(request.id) ?? [];
  if (history.some((event) => event.paymentRef === input.paymentRef)) {
    return { request, changed: false };
  }
  const refusal = NOT_PAYABLE[request.status];
  if (refusal !== undefined || request.commitmentId === null || request.approvedPence === null) {
    throw badUserInput(refusal ?? NOT_PAYABLE.REQUESTED!);
  }
  const unpaid = request.approvedPence - request.paidPence;
  if (input.amountPence > unpaid) {
    throw badUserInput(
      `\`amountPence\` is more than is still to pay of the approval: ${formatPence(unpaid)}.`,
    );
  }

  const paid = await payToFinance(context.finance, request.commitmentId, {
    payment_ref: input.paymentRef,
    paid_on: input.paidOn,
    amount_pence: input.amountPence,
    item: input.item,
  }).catch((error: unknown) => {
    if (error instanceof UpstreamUnavailableError) {
      throw new PublicError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        'The finance system could not be reached, so the payment may not have been recorded. ' +
          'Send it again with the same `paymentRef`: it will not be paid twice.',
      );
    }
    throw error;
  });
  if (paid.kind === 'refused') throw badUserInput(REFUSED[paid.why]);

  try {
    const outcome = await context.store.recordPayment(request.id, {
      paymentRef: input.paymentRef,
      paidPence: paid.commitment.paid_pence,
      actor: { sub: caller.sub, roles: caller.roles, requestId: context.auth.requestId },
    });
    if (!outcome) throw noSuchRequest();
    return outcome;
  } catch (error) {
    if (error instanceof PublicError) throw error;
    logger.error('PP+ payment made but not recorded', {
      kind: error instanceof Error ? error.constructor.name : typeof error,
    });
    throw new PublicError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      'The payment was booked but could not be recorded here. Send it again with the same ' +
        '`paymentRef` to finish: it will not be paid twice.',
    );
  }
}
