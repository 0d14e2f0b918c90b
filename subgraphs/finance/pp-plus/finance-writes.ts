/**
 * The two writes a PP+ request makes in the finance system, with the finance system's
 * refusals told apart from its failures: a refusal (422: over the allocation, or more than is
 * unpaid) is an answer the caller can act on; a failure (5xx, time-out, circuit open) reaches
 * the caller as UpstreamUnavailableError, and the request is left as it was.
 */
import type { FinanceClient } from '../../../upstream/finance/client';
import type {
  FinCommitment,
  FinCommitmentPost,
  FinPaymentPost,
} from '../../../upstream/finance/contract';
import { UpstreamRejectedError } from '../../../upstream/common/http-client';
import { FIN_REFUSALS } from '../../../upstream/finance/contract';

export type CommitOutcome =
  | { kind: 'committed'; commitment: FinCommitment }
  /** Over the child's allocation as the finance system counts it; what remains there, if said. */
  | { kind: 'over-allocation'; remainingPence: number | null }
  /** The reference (the request's id) already made a commitment of another amount. */
  | { kind: 'ref-reused' };

export type PaymentOutcome =
  | { kind: 'paid'; commitment: FinCommitment }
  /** More than is unpaid of the commitment, the commitment is not open, or the ref was used. */
  | { kind: 'refused'; why: 'over-payment' | 'not-open' | 'ref-reused' };

const isRefusal = (error: unknown): error is UpstreamRejectedError =>
  error instanceof UpstreamRejectedError && error.status === 422;

export async function commitToFinance(
  client: FinanceClient,
  body: FinCommitmentPost,
): Promise<CommitOutcome> {
  try {
    const { data } = await client.createCommitment(body);
    return { kind: 'committed', commitment: data };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (error.code === FIN_REFUSALS.REF_REUSED) return { kind: 'ref-reused' };
    const remaining = error.details?.remaining_pence;
    return {
      kind: 'over-allocation',
      remainingPence: Number.isSafeInteger(remaining) ? (remaining as number) : null,
    };
  }
}

export async function payToFinance(
  client: FinanceClient,
  commitmentId: string,
  body: FinPaymentPost,
): Promise<PaymentOutcome> {
  try {
    const { data } = await client.recordPayment(commitmentId, body);
    return { kind: 'paid', commitment: data.commitment };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (error.code === FIN_REFUSALS.NOT_OPEN) return { kind: 'refused', why: 'not-open' };
    if (error.code === FIN_REFUSALS.REF_REUSED) return { kind: 'refused', why: 'ref-reused' };
    return { kind: 'refused', why: 'over-payment' };
  }
}
