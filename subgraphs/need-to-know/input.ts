/**
 * A need-to-know change as the caller sent it, checked before anything is looked up or
 * stored. The shapes are the store's own (stores/validation.ts); the messages say what a good
 * value looks like and never echo the value sent.
 */
import { badUserInput } from '../../lib/errors';
import { childId, reason, staffId, upn } from '../../stores/validation';

export interface NeedToKnowChangeInput {
  childId: string;
  staffId: string;
  /** Trimmed. */
  reason: string;
}

/** A change for another authority's pupil (issue 15), named by UPN. */
export interface PupilNeedToKnowChangeInput {
  upn: string;
  staffId: string;
  /** Trimmed. */
  reason: string;
}

export const REASON_MAX = 500;

/** `ID` arguments arrive as strings, but a client may send a number for one. */
function idText(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

/** The member of staff and the reason, with what is wrong with each (child and pupil alike). */
function parseStaffAndReason(
  input: { staffId?: unknown; reason?: unknown },
  problems: string[],
): { staffId: string; reason: string } | null {
  const staff = staffId.safeParse(idText(input.staffId));
  const why = reason.safeParse(input.reason);
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
  return staff.success && why.success ? { staffId: staff.data, reason: why.data } : null;
}

/** The input, checked and trimmed; BAD_USER_INPUT naming every field that is wrong. */
export function parseChangeInput(input: {
  childId?: unknown;
  staffId?: unknown;
  reason?: unknown;
}): NeedToKnowChangeInput {
  const child = childId.safeParse(idText(input.childId));
  const problems: string[] = [];
  if (!child.success) problems.push('A child id is 7 digits, e.g. "1000001".');
  const rest = parseStaffAndReason(input, problems);
  if (!child.success || rest === null) throw badUserInput(problems.join(' '));
  return { childId: child.data, ...rest };
}

/** A pupil's change, checked as a child's is; BAD_USER_INPUT naming every field that is wrong. */
export function parsePupilChangeInput(input: {
  upn?: unknown;
  staffId?: unknown;
  reason?: unknown;
}): PupilNeedToKnowChangeInput {
  const pupil = upn.safeParse(input.upn);
  const problems: string[] = [];
  if (!pupil.success) {
    problems.push(
      'A UPN is 13 characters: a capital letter, 11 digits, then a digit or capital letter.',
    );
  }
  const rest = parseStaffAndReason(input, problems);
  if (!pupil.success || rest === null) throw badUserInput(problems.join(' '));
  return { upn: pupil.data, ...rest };
}
