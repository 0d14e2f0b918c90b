/**
 * A need-to-know change as the caller sent it, checked before anything is looked up or
 * stored. The shapes are the store's own (stores/validation.ts); the messages say what a good
 * value looks like and never echo the value sent.
 */
import { badUserInput } from '../../lib/errors';
import { childId, reason, staffId } from '../../stores/validation';

export interface NeedToKnowChangeInput {
  childId: string;
  staffId: string;
  /** Trimmed. */
  reason: string;
}

export const REASON_MAX = 500;

/** `ID` arguments arrive as strings, but a client may send a number for one. */
function idText(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

/** The input, checked and trimmed; BAD_USER_INPUT naming every field that is wrong. */
export function parseChangeInput(input: {
  childId?: unknown;
  staffId?: unknown;
  reason?: unknown;
}): NeedToKnowChangeInput {
  const child = childId.safeParse(idText(input.childId));
  const staff = staffId.safeParse(idText(input.staffId));
  const why = reason.safeParse(input.reason);
  const problems: string[] = [];
  if (!child.success) problems.push('A child id is 7 digits, e.g. "1000001".');
  if (!staff.success) {
    problems.push(
      'A staff id is the education system\'s: one or two capital letters and 4 to 6 digits, e.g. "ST1001".',
    );
  }
  if (!why.success) {
    const text = typeof input.reason === 'string' ? input.reason.trim() : '';
    problems.push(
      text.length === 0
        ? 'Give a reason: it must not be empty.'
        : `A reason is at most ${REASON_MAX} characters.`,
    );
  }
  if (!child.success || !staff.success || !why.success) throw badUserInput(problems.join(' '));
  return { childId: child.data, staffId: staff.data, reason: why.data };
}
