/**
 * An update to the register as the caller sent it, checked before anything is looked up or
 * written: one BAD_USER_INPUT naming every field that is wrong (never echoing a value), so
 * bad input changes nothing. The rules are the ones the education system applies
 * (domain/contact-details.ts).
 */
import {
  CONTACT_LIMITS,
  isPlainText,
  isUkPhone,
  isWorkEmail,
} from '../../../domain/contact-details';
import { badUserInput } from '../../../lib/errors';
import { isUrn } from '../identifiers';

export interface DesignatedTeacherDetails {
  title: string | null;
  forename: string;
  surname: string;
  jobTitle: string;
  workEmail: string;
  workPhone: string;
}

export interface UpdateInput {
  urn: string;
  /** Trimmed; null to confirm the entry as it stands. */
  details: DesignatedTeacherDetails | null;
  confirm: boolean;
}

interface RawDetails {
  title?: unknown;
  forename?: unknown;
  surname?: unknown;
  jobTitle?: unknown;
  workEmail?: unknown;
  workPhone?: unknown;
}

export interface RawUpdateInput {
  urn?: unknown;
  designatedTeacher?: RawDetails | null;
  confirm?: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

function parseDetails(raw: RawDetails, problems: string[]): DesignatedTeacherDetails {
  const title = text(raw.title);
  const details = {
    title: title === '' ? null : title,
    forename: text(raw.forename),
    surname: text(raw.surname),
    jobTitle: text(raw.jobTitle),
    workEmail: text(raw.workEmail),
    workPhone: text(raw.workPhone),
  };
  if (details.title !== null && !isPlainText(details.title, CONTACT_LIMITS.title)) {
    problems.push(`\`title\` is at most ${CONTACT_LIMITS.title} characters, e.g. "Ms".`);
  }
  for (const field of ['forename', 'surname'] as const) {
    if (!isPlainText(details[field], CONTACT_LIMITS.name)) {
      problems.push(`\`${field}\` is required: 1 to ${CONTACT_LIMITS.name} characters.`);
    }
  }
  if (!isPlainText(details.jobTitle, CONTACT_LIMITS.jobTitle)) {
    problems.push(`\`jobTitle\` is required: 1 to ${CONTACT_LIMITS.jobTitle} characters.`);
  }
  if (!isWorkEmail(details.workEmail)) {
    problems.push('`workEmail` must be a work e-mail address, e.g. "name@school.sch.uk".');
  }
  if (!isUkPhone(details.workPhone)) {
    problems.push(
      '`workPhone` must be a UK telephone number, e.g. "0151 496 0123" or "+44 151 496 0123".',
    );
  }
  return details;
}

export function parseUpdateInput(raw: RawUpdateInput): UpdateInput {
  const problems: string[] = [];
  const urn = typeof raw.urn === 'number' ? String(raw.urn) : text(raw.urn);
  if (!isUrn(urn)) problems.push('`urn` must be a school URN: 6 digits.');
  const details = raw.designatedTeacher ? parseDetails(raw.designatedTeacher, problems) : null;
  const confirm = raw.confirm === true;
  if (details === null && !confirm) {
    problems.push('Give the `designatedTeacher` details, or `confirm: true` to confirm the entry.');
  }
  if (problems.length > 0) throw badUserInput(problems.join(' '));
  return { urn, details, confirm };
}
