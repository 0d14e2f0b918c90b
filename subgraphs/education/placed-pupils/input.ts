/**
 * What a designated teacher records about another authority's pupil, as they sent it, checked
 * before anything is read or written: one BAD_USER_INPUT naming every field that is wrong
 * (never echoing a value), so bad input changes nothing. The store checks it all again.
 */
import { LEGAL_STATUS } from '../../../domain/codes/ssda903';
import { isPlainText, isUkPhone, isWorkEmail } from '../../../domain/contact-details';
import { badUserInput } from '../../../lib/errors';
import {
  PLACED_PUPIL_LIMITS,
  isCurrentLegalStatus,
} from '../../../stores/placed-pupils/placed-pupil-store';
import { isUpn, isUrn } from '../identifiers';

export interface RawPlacedPupilInput {
  urn?: unknown;
  upn?: unknown;
  legalStatus?: unknown;
  parentalResponsibility?: unknown;
  delegatedAuthority?: unknown;
  socialWorkerName?: unknown;
  socialWorkerEmail?: unknown;
  socialWorkerPhone?: unknown;
  lastPepDate?: unknown;
  nextPepDate?: unknown;
  placingAuthorityConsent?: unknown;
}

export interface PlacedPupilInput {
  urn: string;
  upn: string;
  legalStatus: string;
  parentalResponsibility: string;
  delegatedAuthority: string | null;
  socialWorkerName: string;
  socialWorkerEmail: string | null;
  socialWorkerPhone: string | null;
  lastPepDate: string | null;
  nextPepDate: string | null;
  placingAuthorityConsent: boolean;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
/** Absent, null or blank: not given. */
const optional = (value: unknown): string | null => (text(value) === '' ? null : text(value));

/** A real calendar date, YYYY-MM-DD. */
function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

export function parsePlacedPupilInput(raw: RawPlacedPupilInput): PlacedPupilInput {
  const input: PlacedPupilInput = {
    // `ID` arrives as a string, but a client may send a number for one.
    urn: typeof raw.urn === 'number' ? String(raw.urn) : text(raw.urn),
    upn: text(raw.upn).toUpperCase(),
    legalStatus: text(raw.legalStatus).toUpperCase(),
    parentalResponsibility: text(raw.parentalResponsibility),
    delegatedAuthority: optional(raw.delegatedAuthority),
    socialWorkerName: text(raw.socialWorkerName),
    socialWorkerEmail: optional(raw.socialWorkerEmail),
    socialWorkerPhone: optional(raw.socialWorkerPhone),
    lastPepDate: optional(raw.lastPepDate),
    nextPepDate: optional(raw.nextPepDate),
    placingAuthorityConsent: raw.placingAuthorityConsent === true,
  };
  const problems: string[] = [];
  if (!isUrn(input.urn)) problems.push('`urn` must be a school URN: 6 digits.');
  if (!isUpn(input.upn)) {
    problems.push('`upn` must be a unique pupil number: a letter, 11 digits, a digit or letter.');
  }
  if (!isCurrentLegalStatus(input.legalStatus)) {
    problems.push(
      `\`legalStatus\` must be an SSDA903 legal status code of ${LEGAL_STATUS.collectionYear}, e.g. "C2" (full care order) or "V2" (section 20).`,
    );
  }
  if (!isPlainText(input.parentalResponsibility, PLACED_PUPIL_LIMITS.parentalResponsibility)) {
    problems.push(
      `\`parentalResponsibility\` is required: who holds it, 1 to ${PLACED_PUPIL_LIMITS.parentalResponsibility} characters.`,
    );
  }
  if (
    input.delegatedAuthority !== null &&
    !isPlainText(input.delegatedAuthority, PLACED_PUPIL_LIMITS.delegatedAuthority)
  ) {
    problems.push(
      `\`delegatedAuthority\` is at most ${PLACED_PUPIL_LIMITS.delegatedAuthority} characters.`,
    );
  }
  if (!isPlainText(input.socialWorkerName, PLACED_PUPIL_LIMITS.socialWorkerName)) {
    problems.push(
      `\`socialWorkerName\` is required: 1 to ${PLACED_PUPIL_LIMITS.socialWorkerName} characters.`,
    );
  }
  if (input.socialWorkerEmail === null && input.socialWorkerPhone === null) {
    problems.push('Give the social worker’s `socialWorkerEmail` or `socialWorkerPhone`, or both.');
  }
  if (input.socialWorkerEmail !== null && !isWorkEmail(input.socialWorkerEmail)) {
    problems.push('`socialWorkerEmail` must be a work e-mail address, e.g. "name@council.gov.uk".');
  }
  if (input.socialWorkerPhone !== null && !isUkPhone(input.socialWorkerPhone)) {
    problems.push(
      '`socialWorkerPhone` must be a UK telephone number, e.g. "0151 496 0123" or "+44 151 496 0123".',
    );
  }
  for (const field of ['lastPepDate', 'nextPepDate'] as const) {
    const value = input[field];
    if (value !== null && !isDate(value)) {
      problems.push(`\`${field}\` must be a date, YYYY-MM-DD.`);
    }
  }
  if (
    input.lastPepDate !== null &&
    input.nextPepDate !== null &&
    isDate(input.lastPepDate) &&
    isDate(input.nextPepDate) &&
    input.nextPepDate <= input.lastPepDate
  ) {
    problems.push('`nextPepDate` must come after `lastPepDate`.');
  }
  if (typeof raw.placingAuthorityConsent !== 'boolean') {
    problems.push('`placingAuthorityConsent` must be true or false.');
  }
  if (problems.length > 0) throw badUserInput(problems.join(' '));
  return input;
}
