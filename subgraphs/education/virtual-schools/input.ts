/**
 * An update to the Virtual School directory as the caller sent it, checked before anything is
 * read or written: one BAD_USER_INPUT naming every field that is wrong (never echoing a
 * value), so bad input changes nothing. The contact rules are the register's
 * (domain/contact-details.ts); the store checks them again.
 */
import { isPlainText, isUkPhone, isWorkEmail } from '../../../domain/contact-details';
import { isLaCode } from '../../../domain/identifiers';
import { badUserInput } from '../../../lib/errors';
import { VIRTUAL_SCHOOL_LIMITS } from '../../../stores/virtual-school-directory/virtual-school-directory-store';
import type { VirtualSchoolDetails } from '../../../stores/virtual-school-directory/types';

export interface RawVirtualSchoolInput {
  laCode?: unknown;
  headName?: unknown;
  email?: unknown;
  phone?: unknown;
  source?: unknown;
}

export interface VirtualSchoolInput extends VirtualSchoolDetails {
  laCode: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export function parseVirtualSchoolInput(raw: RawVirtualSchoolInput): VirtualSchoolInput {
  const input = {
    // `ID` arrives as a string, but a client may send a number for one.
    laCode: typeof raw.laCode === 'number' ? String(raw.laCode) : text(raw.laCode),
    headName: text(raw.headName),
    email: text(raw.email),
    phone: text(raw.phone),
    source: text(raw.source),
  };
  const problems: string[] = [];
  if (!isLaCode(input.laCode)) {
    problems.push('`laCode` must be a local authority code: 3 digits, e.g. "340".');
  }
  if (!isPlainText(input.headName, VIRTUAL_SCHOOL_LIMITS.headName)) {
    problems.push(`\`headName\` is required: 1 to ${VIRTUAL_SCHOOL_LIMITS.headName} characters.`);
  }
  if (!isWorkEmail(input.email)) {
    problems.push(
      '`email` must be the team\'s work e-mail address, e.g. "virtual.school@council.gov.uk".',
    );
  }
  if (!isUkPhone(input.phone)) {
    problems.push(
      '`phone` must be a UK telephone number, e.g. "0151 496 0123" or "+44 151 496 0123".',
    );
  }
  if (!isPlainText(input.source, VIRTUAL_SCHOOL_LIMITS.source)) {
    problems.push(
      `\`source\` is required: where the details come from, 1 to ${VIRTUAL_SCHOOL_LIMITS.source} characters.`,
    );
  }
  if (problems.length > 0) throw badUserInput(problems.join(' '));
  return input;
}
