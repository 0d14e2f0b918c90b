/**
 * The PEP workflow's inputs as the caller sent them, checked before anything is looked up or
 * written: one BAD_USER_INPUT naming every field that is wrong (by its path, e.g.
 * `targets[2].reviewDate`, never echoing a value, which could be a child's words), so bad
 * input changes nothing anywhere. The checks are the case system's own rules where it has them
 * (a SMART target has each of its parts; the child's views or why they were not given), plus
 * what makes a date sensible for a PEP held today.
 */
import { isChildId, isUrn } from '../../../domain/identifiers';
import { badUserInput } from '../../../lib/errors';

/** The most a target may ask for: one year's PP+ for one child (the 2025-26 rate, £2,630). */
export const PP_PLUS_RATE_PENCE = 263_000;

export const LIMITS = {
  targets: 10,
  attendees: 20,
  supportStrategies: 20,
  reviews: 10,
  signOff: 5,
  name: 100,
  area: 100,
  description: 1000,
  successMeasure: 500,
  owner: 100,
  longText: 4000,
  strategy: 500,
  comment: 1000,
  reasons: 2000,
  /** How far from today a meeting, a review date or a sign-off may be, in days. */
  meetingWindowDays: 366,
} as const;

export const ATTENDEE_ROLES = [
  'CHILD',
  'CARER',
  'DESIGNATED_TEACHER',
  'SOCIAL_WORKER',
  'VIRTUAL_SCHOOL',
  'PARENT',
  'OTHER',
] as const;
export type AttendeeRole = (typeof ATTENDEE_ROLES)[number];
export const SIGN_OFF_ROLES = ['DESIGNATED_TEACHER', 'SOCIAL_WORKER', 'VIRTUAL_SCHOOL'] as const;
export type SignOffRole = (typeof SIGN_OFF_ROLES)[number];
export const OUTCOMES = ['MET', 'PARTLY_MET', 'NOT_MET'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const RATINGS = ['RED', 'AMBER', 'GREEN'] as const;
export type Rating = (typeof RATINGS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PEP_ID = /^[A-Za-z0-9-]{1,40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export interface AttendeeInput {
  name: string;
  role: AttendeeRole;
}

export interface TargetInput {
  /** An existing target's id (updates only); null for a new one. */
  id: string | null;
  area: string;
  description: string;
  successMeasure: string;
  owner: string;
  reviewDate: string;
  pupilPremiumPlusRequestedPence: number;
}

/** What a draft says: the meeting and its plan (the same for a new draft and an update). */
export interface DraftContent {
  meetingDate: string;
  schoolUrn: string | null;
  attendees: AttendeeInput[];
  childViews: string | null;
  strengths: string | null;
  barriers: string | null;
  supportStrategies: string[];
  targets: TargetInput[];
}

export interface CreateDraftInput extends DraftContent {
  requestId: string;
  childId: string;
}

export interface UpdateDraftInput extends DraftContent {
  pepId: string;
  version: number;
}

export interface ReviewTargetsInput {
  pepId: string;
  atPepId: string;
  reviewedOn: string;
  reviews: Array<{ targetId: string; outcome: Outcome; comment: string }>;
}

export interface CompleteInput {
  pepId: string;
  completedOn: string;
  signOff: Array<{ role: SignOffRole; name: string; signedOn: string }>;
}

export interface QualityAssureInput {
  pepId: string;
  rating: Rating;
  reasons: string;
}

type Raw = Record<string, unknown>;

/** Collects every problem, each naming its field, and throws them together at the end. */
class Problems {
  private readonly found: string[] = [];

  add(field: string, what: string): void {
    this.found.push(`\`${field}\` ${what}`);
  }

  throwIfAny(): void {
    if (this.found.length > 0) {
      throw badUserInput(`The input is not valid: ${this.found.join('; ')}.`);
    }
  }
}

const asRecord = (value: unknown): Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};

/** `ID` arguments arrive as strings, but a client may send a number for one. */
const idText = (value: unknown): string =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

/** Plain text: no control characters other than line breaks and tabs. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Required text, trimmed, 1..max characters. */
function requiredText(problems: Problems, field: string, value: unknown, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0) problems.add(field, 'is required');
  else if (text.length > max) problems.add(field, `is at most ${max} characters`);
  else if (CONTROL.test(text)) problems.add(field, 'must be plain text');
  return text;
}

/** Optional text, trimmed; empty is null. */
function optionalText(
  problems: Problems,
  field: string,
  value: unknown,
  max: number,
): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    problems.add(field, 'must be text');
    return null;
  }
  const text = value.trim();
  if (text.length > max) problems.add(field, `is at most ${max} characters`);
  else if (CONTROL.test(text)) problems.add(field, 'must be plain text');
  return text === '' ? null : text;
}

const isRealDate = (text: string): boolean => {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** A bound on a date: the other date, and how to name it to the caller. */
interface Bound {
  date: string;
  what: string;
}

/**
 * A date `YYYY-MM-DD` that exists, within `meetingWindowDays` of today either way; `notAfter`
 * and `after` bound it further (ignored when the other date is itself bad: that one is named).
 */
function date(
  problems: Problems,
  field: string,
  value: unknown,
  today: string,
  bounds: { notAfter?: Bound; after?: Bound } = {},
): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!isRealDate(text)) {
    problems.add(field, 'must be a date, YYYY-MM-DD');
    return text;
  }
  const { notAfter, after } = bounds;
  if (Math.abs(daysBetween(today, text)) > LIMITS.meetingWindowDays) {
    problems.add(field, 'must be within a year of today');
  } else if (notAfter && isRealDate(notAfter.date) && text > notAfter.date) {
    problems.add(field, `must not be after ${notAfter.what}`);
  } else if (after && isRealDate(after.date) && text <= after.date) {
    problems.add(field, `must be after ${after.what}`);
  }
  return text;
}

function oneOf<T extends string>(
  problems: Problems,
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  problems.add(field, `must be one of ${allowed.join(', ')}`);
  return allowed[0] as T;
}

/** A list of 0..max (min given: min..max); anything that is not a list counts as empty. */
function list(
  problems: Problems,
  field: string,
  value: unknown,
  { min = 0, max }: { min?: number; max: number },
): unknown[] {
  const items = Array.isArray(value) ? value : [];
  if (items.length < min || items.length > max) {
    problems.add(field, min > 0 ? `must have ${min} to ${max} items` : `has at most ${max} items`);
  }
  return items.slice(0, max);
}

function pepIdOf(problems: Problems, field: string, value: unknown): string {
  const id = idText(value);
  if (!PEP_ID.test(id)) problems.add(field, 'must be a PEP id, e.g. "PEP0000123"');
  return id;
}

function parseTargets(
  problems: Problems,
  raw: unknown,
  meetingDate: string,
  today: string,
  updating: boolean,
): TargetInput[] {
  const items = list(problems, 'targets', raw, { min: 1, max: LIMITS.targets });
  const ids = new Set<string>();
  return items.map((item, index) => {
    const target = asRecord(item);
    const at = `targets[${index}]`;
    let id: string | null = null;
    if (updating && target.id !== null && target.id !== undefined) {
      id = idText(target.id);
      if (!PEP_ID.test(id)) problems.add(`${at}.id`, 'must be a target id of this PEP');
      else if (ids.has(id)) problems.add(`${at}.id`, 'names a target already given');
      ids.add(id);
    }
    const pence = target.pupilPremiumPlusRequestedPence ?? 0;
    if (
      typeof pence !== 'number' ||
      !Number.isInteger(pence) ||
      pence < 0 ||
      pence > PP_PLUS_RATE_PENCE
    ) {
      problems.add(
        `${at}.pupilPremiumPlusRequestedPence`,
        `must be whole pence from 0 to ${PP_PLUS_RATE_PENCE} (one year's PP+ rate)`,
      );
    }
    const reviewDate = date(problems, `${at}.reviewDate`, target.reviewDate, today, {
      after: { date: meetingDate, what: 'the meeting date' },
    });
    return {
      id,
      area: requiredText(problems, `${at}.area`, target.area, LIMITS.area),
      description: requiredText(
        problems,
        `${at}.description`,
        target.description,
        LIMITS.description,
      ),
      successMeasure: requiredText(
        problems,
        `${at}.successMeasure`,
        target.successMeasure,
        LIMITS.successMeasure,
      ),
      owner: requiredText(problems, `${at}.owner`, target.owner, LIMITS.owner),
      reviewDate,
      pupilPremiumPlusRequestedPence: typeof pence === 'number' ? pence : 0,
    };
  });
}

function parseContent(
  problems: Problems,
  raw: Raw,
  today: string,
  updating: boolean,
): DraftContent {
  const meetingDate = date(problems, 'meetingDate', raw.meetingDate, today);
  let schoolUrn: string | null = null;
  if (raw.schoolUrn !== null && raw.schoolUrn !== undefined) {
    schoolUrn = idText(raw.schoolUrn);
    if (!isUrn(schoolUrn)) problems.add('schoolUrn', 'must be a school URN: 6 digits');
  }
  const attendees = list(problems, 'attendees', raw.attendees, { max: LIMITS.attendees }).map(
    (item, index) => {
      const attendee = asRecord(item);
      return {
        name: requiredText(problems, `attendees[${index}].name`, attendee.name, LIMITS.name),
        role: oneOf(problems, `attendees[${index}].role`, attendee.role, ATTENDEE_ROLES),
      };
    },
  );
  const supportStrategies = list(problems, 'supportStrategies', raw.supportStrategies ?? [], {
    max: LIMITS.supportStrategies,
  }).map((item, index) =>
    requiredText(problems, `supportStrategies[${index}]`, item, LIMITS.strategy),
  );
  return {
    meetingDate,
    schoolUrn,
    attendees,
    childViews: optionalText(problems, 'childViews', raw.childViews, LIMITS.longText),
    strengths: optionalText(problems, 'strengths', raw.strengths, LIMITS.longText),
    barriers: optionalText(problems, 'barriers', raw.barriers, LIMITS.longText),
    supportStrategies,
    targets: parseTargets(problems, raw.targets, meetingDate, today, updating),
  };
}

export function parseCreateDraft(raw: unknown, today: string): CreateDraftInput {
  const input = asRecord(raw);
  const problems = new Problems();
  const requestId = idText(input.requestId);
  if (!UUID.test(requestId))
    problems.add('requestId', 'must be a UUID the client makes once per draft');
  const childId = idText(input.childId);
  if (!isChildId(childId)) problems.add('childId', 'must be a child id: 7 digits');
  const content = parseContent(problems, input, today, false);
  problems.throwIfAny();
  return { requestId: requestId.toLowerCase(), childId, ...content };
}

export function parseUpdateDraft(raw: unknown, today: string): UpdateDraftInput {
  const input = asRecord(raw);
  const problems = new Problems();
  const pepId = pepIdOf(problems, 'pepId', input.pepId);
  const version = input.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    problems.add('version', 'must be the version read with the draft (1 or more)');
  }
  const content = parseContent(problems, input, today, true);
  problems.throwIfAny();
  return { pepId, version: version as number, ...content };
}

export function parseReviewTargets(raw: unknown, today: string): ReviewTargetsInput {
  const input = asRecord(raw);
  const problems = new Problems();
  const pepId = pepIdOf(problems, 'pepId', input.pepId);
  const atPepId = pepIdOf(problems, 'atPepId', input.atPepId);
  if (PEP_ID.test(pepId) && pepId === atPepId) {
    problems.add('atPepId', 'must be a later PEP than the one whose targets are reviewed');
  }
  const reviewedOn = date(problems, 'reviewedOn', input.reviewedOn, today, {
    notAfter: { date: today, what: 'today' },
  });
  const seen = new Set<string>();
  const reviews = list(problems, 'reviews', input.reviews, { min: 1, max: LIMITS.reviews }).map(
    (item, index) => {
      const review = asRecord(item);
      const targetId = idText(review.targetId);
      if (!PEP_ID.test(targetId)) problems.add(`reviews[${index}].targetId`, 'must be a target id');
      else if (seen.has(targetId)) problems.add(`reviews[${index}].targetId`, 'is reviewed twice');
      seen.add(targetId);
      return {
        targetId,
        outcome: oneOf(problems, `reviews[${index}].outcome`, review.outcome, OUTCOMES),
        comment: requiredText(
          problems,
          `reviews[${index}].comment`,
          review.comment,
          LIMITS.comment,
        ),
      };
    },
  );
  problems.throwIfAny();
  return { pepId, atPepId, reviewedOn, reviews };
}

export function parseComplete(raw: unknown, today: string): CompleteInput {
  const input = asRecord(raw);
  const problems = new Problems();
  const pepId = pepIdOf(problems, 'pepId', input.pepId);
  const completedOn = date(problems, 'completedOn', input.completedOn, today, {
    notAfter: { date: today, what: 'today' },
  });
  const signOff = list(problems, 'signOff', input.signOff, { min: 2, max: LIMITS.signOff }).map(
    (item, index) => {
      const entry = asRecord(item);
      return {
        role: oneOf(problems, `signOff[${index}].role`, entry.role, SIGN_OFF_ROLES),
        name: requiredText(problems, `signOff[${index}].name`, entry.name, LIMITS.name),
        signedOn: date(problems, `signOff[${index}].signedOn`, entry.signedOn, today, {
          notAfter: { date: today, what: 'today' },
        }),
      };
    },
  );
  // The statutory sign-off: the designated teacher and the social worker (each once).
  for (const role of ['DESIGNATED_TEACHER', 'SOCIAL_WORKER'] as const) {
    const count = signOff.filter((entry) => entry.role === role).length;
    if (count === 0) problems.add('signOff', `needs the ${role} sign-off`);
    else if (count > 1) problems.add('signOff', `has more than one ${role} sign-off`);
  }
  problems.throwIfAny();
  return { pepId, completedOn, signOff };
}

export function parseQualityAssure(raw: unknown): QualityAssureInput {
  const input = asRecord(raw);
  const problems = new Problems();
  const pepId = pepIdOf(problems, 'pepId', input.pepId);
  const rating = oneOf(problems, 'rating', input.rating, RATINGS);
  const reasons = requiredText(problems, 'reasons', input.reasons, LIMITS.reasons);
  problems.throwIfAny();
  return { pepId, rating, reasons };
}
