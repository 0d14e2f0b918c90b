/**
 * The PP+ request mutations' inputs as the caller sent them, checked before anything is read
 * or written: one BAD_USER_INPUT naming every field that is wrong, never echoing a value (a
 * rationale may hold personal data), so bad input changes nothing.
 */
import { isChildId } from '../../../domain/identifiers';
import { badUserInput } from '../../../lib/errors';
import type { PpPlusDecision } from '../../../stores/pupil-premium-plus/types';

/** The most one request may ask for, or one payment pay: £10,000. */
export const MAX_PENCE = 1_000_000;
export const RATIONALE_MAX = 2000;
export const ITEM_MAX = 200;
export const REF_MAX = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TARGET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `ID` arguments arrive as strings, but a client may send a number for one. */
const idText = (value: unknown): string =>
  typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

const isPence = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_PENCE;

const isUuid = (value: string): boolean => UUID.test(value);

function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function textProblem(field: string, value: string, max: number): string | null {
  if (value.length === 0) return `\`${field}\` must not be empty.`;
  if (value.length > max) return `\`${field}\` is at most ${max} characters.`;
  return null;
}

function fail(problems: (string | null)[]): void {
  const found = problems.filter((problem): problem is string => problem !== null);
  if (found.length > 0) throw badUserInput(found.join(' '));
}

export interface RequestInput {
  childId: string;
  pepTargetId: string;
  amountPence: number;
  rationale: string;
  requestId: string;
}

export function parseRequestInput(raw: Record<string, unknown> | null | undefined): RequestInput {
  const input = raw ?? {};
  const childId = idText(input.childId);
  const pepTargetId = idText(input.pepTargetId);
  const rationale = text(input.rationale);
  const requestId = idText(input.requestId).toLowerCase();
  fail([
    isChildId(childId) ? null : '`childId` is 7 digits, e.g. "1000001".',
    TARGET_ID.test(pepTargetId) ? null : '`pepTargetId` must be a PEP target id.',
    isPence(input.amountPence)
      ? null
      : `\`amountPence\` must be a whole number of pence from 1 to ${MAX_PENCE}.`,
    textProblem('rationale', rationale, RATIONALE_MAX),
    isUuid(requestId) ? null : '`requestId` must be a UUID the caller makes up once per request.',
  ]);
  return { childId, pepTargetId, amountPence: input.amountPence as number, rationale, requestId };
}

export interface DecisionInput {
  id: string;
  decision: PpPlusDecision;
  /** As sent: checked against the request's amount once it is read (`approvedAmount`). */
  approvedPence: number | null;
  reason: string;
}

const DECISIONS: readonly unknown[] = ['APPROVE', 'PART_APPROVE', 'DECLINE'];

export function parseDecisionInput(raw: Record<string, unknown> | null | undefined): DecisionInput {
  const input = raw ?? {};
  const id = idText(input.id).toLowerCase();
  const decision = input.decision;
  const approved = input.approvedPence ?? null;
  const reason = text(input.reason);
  const known = DECISIONS.includes(decision);
  fail([
    isUuid(id) ? null : '`id` must be a PP+ request id (a UUID).',
    known ? null : '`decision` is APPROVE, PART_APPROVE or DECLINE.',
    decision === 'PART_APPROVE' && !isPence(approved)
      ? `\`approvedPence\` is required to part-approve: a whole number of pence from 1 to ${MAX_PENCE}.`
      : null,
    decision === 'DECLINE' && approved !== null
      ? '`approvedPence` must be left out to decline.'
      : null,
    decision === 'APPROVE' && approved !== null && !isPence(approved)
      ? '`approvedPence` to approve, if given, is the amount asked.'
      : null,
    textProblem('reason', reason, RATIONALE_MAX),
  ]);
  return {
    id,
    decision: decision as PpPlusDecision,
    approvedPence: approved as number | null,
    reason,
  };
}

/**
 * The amount a decision approves, once the request's own amount is known: the whole of it for
 * APPROVE, less than it for PART_APPROVE, nothing for DECLINE.
 */
export function approvedAmount(input: DecisionInput, requestedPence: number): number | null {
  if (input.decision === 'DECLINE') return null;
  if (input.decision === 'APPROVE') {
    if (input.approvedPence !== null && input.approvedPence !== requestedPence) {
      throw badUserInput(
        '`approvedPence` to approve is the amount asked; to approve less, PART_APPROVE.',
      );
    }
    return requestedPence;
  }
  if ((input.approvedPence as number) >= requestedPence) {
    throw badUserInput(
      '`approvedPence` to part-approve must be less than the amount asked; to approve it all, APPROVE.',
    );
  }
  return input.approvedPence;
}

export interface PaymentInput {
  id: string;
  paidOn: string;
  amountPence: number;
  item: string;
  paymentRef: string;
}

export function parsePaymentInput(
  raw: Record<string, unknown> | null | undefined,
  today: string,
): PaymentInput {
  const input = raw ?? {};
  const id = idText(input.id).toLowerCase();
  const paidOn = text(input.paidOn);
  const item = text(input.item);
  const paymentRef = text(input.paymentRef);
  fail([
    isUuid(id) ? null : '`id` must be a PP+ request id (a UUID).',
    isRealDate(paidOn) && paidOn <= today
      ? null
      : '`paidOn` must be a date written YYYY-MM-DD, not after today.',
    isPence(input.amountPence)
      ? null
      : `\`amountPence\` must be a whole number of pence from 1 to ${MAX_PENCE}.`,
    textProblem('item', item, ITEM_MAX),
    paymentRef.length > 0 && paymentRef.length <= REF_MAX && PRINTABLE.test(paymentRef)
      ? null
      : `\`paymentRef\` must be 1 to ${REF_MAX} characters with no spaces.`,
  ]);
  return { id, paidOn, amountPence: input.amountPence as number, item, paymentRef };
}
