/**
 * The finance system's PP+ commitments and payments: an approval held against a child's
 * allocation (so it cannot be spent twice) and then paid, each payment a SPEND line booked to
 * the PEP target and school of the commitment. Both are idempotent by the caller's reference;
 * every check runs before anything changes, so a refusal (400, 404, 422) changes nothing.
 */
import type {
  FinCommitment,
  FinCommitmentPost,
  FinCommitmentResult,
  FinLedgerLine,
  FinPaymentPost,
  FinPaymentResult,
  FinRefusalCode,
} from '../../upstream/finance/contract';
import { badRequest, notFound, unprocessable } from '../common/errors';
import type { FinanceStore } from './store';

function refuse(code: FinRefusalCode, message: string, remaining?: number): never {
  throw unprocessable(code, message, remaining === undefined ? {} : { remaining_pence: remaining });
}

const sum = (items: readonly number[]) => items.reduce((total, n) => total + n, 0);

export class FinanceCommitments {
  /** commitment_ref -> commitment_id. */
  private readonly byRef = new Map<string, string>();
  /** payment_ref -> the commitment it paid and the line it booked. */
  private readonly payments = new Map<string, { commitmentId: string; line: FinLedgerLine }>();
  private seq = 0;
  private lineSeq = 0;

  constructor(
    private readonly store: FinanceStore,
    /** The system's today (the simulated world's as-of date, or later). */
    private readonly today: () => string,
  ) {}

  /**
   * What a new commitment may take of the child's year: allocated, less spent (spend and
   * corrections), less what open commitments still hold. Top-slices are not the finance
   * system's to share out: CLA Graph checks the child's share itself.
   */
  remaining(clientRef: string, fy: string): number {
    const client = this.store.client(clientRef, new Set(['allocations', 'ledger']), fy);
    const allocated = sum((client?.allocations ?? []).map((a) => a.amount_pence));
    const spent = sum(
      (client?.ledger ?? [])
        .filter((line) => line.type === 'SPEND' || line.type === 'ADJUST')
        .map((line) => line.amount_pence),
    );
    const held = sum(
      this.store
        .commitments(clientRef, fy)
        .filter((c) => c.status === 'OPEN')
        .map((c) => c.amount_pence - c.paid_pence),
    );
    return allocated - spent - held;
  }

  create(body: FinCommitmentPost): { status: 200 | 201; result: FinCommitmentResult } {
    const made = this.byRef.get(body.commitment_ref);
    const existing = made === undefined ? undefined : this.store.commitment(made);
    if (existing) return { status: 200, result: { data: existing, meta: { created: false } } };
    const remaining = this.remaining(body.client_ref, body.fy);
    if (body.amount_pence > remaining) {
      refuse(
        'OVER_ALLOCATION',
        `More than remains of ${body.client_ref}'s ${body.fy} allocation`,
        Math.max(0, remaining),
      );
    }
    this.seq += 1;
    const commitment: FinCommitment = {
      commitment_id: `CMT-${String(this.seq).padStart(6, '0')}`,
      commitment_ref: body.commitment_ref,
      client_ref: body.client_ref,
      fy: body.fy,
      amount_pence: body.amount_pence,
      paid_pence: 0,
      pep_target_id: body.pep_target_id,
      urn: body.urn,
      status: 'OPEN',
      created_on: this.today(),
    };
    this.store.putCommitment(commitment);
    this.byRef.set(body.commitment_ref, commitment.commitment_id);
    return { status: 201, result: { data: commitment, meta: { created: true } } };
  }

  pay(
    commitmentId: string | undefined,
    body: FinPaymentPost,
  ): { status: 200 | 201; result: FinPaymentResult } {
    const commitment = this.store.commitment(commitmentId ?? '');
    if (!commitment) throw notFound(`No commitment ${commitmentId}`);
    const done = this.payments.get(body.payment_ref);
    if (done) {
      if (done.commitmentId !== commitment.commitment_id) {
        refuse('REF_REUSED', 'The payment_ref paid another commitment');
      }
      return {
        status: 200,
        result: { data: { commitment, line: done.line }, meta: { created: false } },
      };
    }
    if (body.paid_on > this.today()) {
      throw badRequest('Invalid body: paid_on: must not be in the future', ['paid_on']);
    }
    if (commitment.status !== 'OPEN') refuse('NOT_OPEN', `Commitment ${commitmentId} is not open`);
    const unpaid = commitment.amount_pence - commitment.paid_pence;
    if (body.amount_pence > unpaid) {
      refuse('OVER_PAYMENT', 'More than is unpaid of the commitment', unpaid);
    }
    const costCentre = this.store.client(commitment.client_ref, new Set())?.cost_centre ?? '';
    this.lineSeq += 1;
    const line: FinLedgerLine = {
      line_id: `PAY-${String(this.lineSeq).padStart(6, '0')}`,
      client_ref: commitment.client_ref,
      fy: commitment.fy,
      posted_on: body.paid_on,
      type: 'SPEND',
      urn: commitment.urn,
      item: body.item,
      amount_pence: body.amount_pence,
      pep_target_id: commitment.pep_target_id,
      cost_centre: costCentre,
    };
    const paidPence = commitment.paid_pence + body.amount_pence;
    const next: FinCommitment = {
      ...commitment,
      paid_pence: paidPence,
      status: paidPence >= commitment.amount_pence ? 'PAID' : 'OPEN',
    };
    this.store.addLine(line);
    this.store.putCommitment(next);
    this.payments.set(body.payment_ref, { commitmentId: commitment.commitment_id, line });
    return { status: 201, result: { data: { commitment: next, line }, meta: { created: true } } };
  }
}
