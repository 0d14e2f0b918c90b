/**
 * The register's filter, checked before anything is read: every bad part is named in one
 * BAD_USER_INPUT error, which never echoes the value sent.
 */
import { isLaCode } from '../../../domain/identifiers';
import { badUserInput } from '../../../lib/errors';
import type { EdPhase } from '../../../upstream/education/contract';
import { isUrn } from '../identifiers';
import { epochMs, type RegisterEntryShape } from './entries';

export interface DesignatedTeacherFilterArgs {
  localAuthority?: readonly unknown[] | null;
  phase?: readonly EdPhase[] | null;
  urns?: readonly unknown[] | null;
  name?: string | null;
  changedSince?: string | null;
}

export interface RegisterFilter {
  localAuthority: ReadonlySet<string> | null;
  phase: ReadonlySet<EdPhase> | null;
  urns: ReadonlySet<string> | null;
  /** Lower-cased. */
  name: string | null;
  /** Epoch milliseconds. */
  changedSince: number | null;
}

export const MAX_FILTER_URNS = 500;
export const MAX_FILTER_AUTHORITIES = 50;
export const MAX_NAME_SEARCH = 100;

/** A date, or a date-time with a zone (Z or an offset), ISO 8601. */
const ISO_DATE_OR_TIME =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The date part is a real calendar date and the whole parses. */
function isRealDate(value: string): boolean {
  const day = value.slice(0, 10);
  const midnight = Date.parse(`${day}T00:00:00Z`);
  return (
    Number.isFinite(midnight) &&
    new Date(midnight).toISOString().slice(0, 10) === day &&
    Number.isFinite(epochMs(value))
  );
}

/** `ID` values arrive as strings, but a client may send a number for one. */
const idText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

export function parseFilter(args: DesignatedTeacherFilterArgs | null | undefined): RegisterFilter {
  const problems: string[] = [];
  const authorities = args?.localAuthority?.map(idText) ?? null;
  if (
    authorities &&
    (authorities.length > MAX_FILTER_AUTHORITIES || !authorities.every(isLaCode))
  ) {
    problems.push(
      `\`localAuthority\` takes up to ${MAX_FILTER_AUTHORITIES} 3-digit authority codes, e.g. "340".`,
    );
  }
  const urns = args?.urns?.map(idText) ?? null;
  if (urns && (urns.length > MAX_FILTER_URNS || !urns.every(isUrn))) {
    problems.push(`\`urns\` takes up to ${MAX_FILTER_URNS} school URNs of 6 digits.`);
  }
  const name = args?.name?.trim() ?? null;
  if (name !== null && (name.length === 0 || name.length > MAX_NAME_SEARCH)) {
    problems.push(`\`name\` is 1 to ${MAX_NAME_SEARCH} characters of a school's name.`);
  }
  const since = args?.changedSince ?? null;
  if (since !== null && !(ISO_DATE_OR_TIME.test(since) && isRealDate(since))) {
    problems.push(
      '`changedSince` is an ISO 8601 date or date-time with a zone, e.g. "2026-01-31" or "2026-01-31T18:00:00Z".',
    );
  }
  if (problems.length > 0) throw badUserInput(problems.join(' '));
  return {
    localAuthority: authorities ? new Set(authorities) : null,
    phase: args?.phase ? new Set(args.phase) : null,
    urns: urns ? new Set(urns) : null,
    name: name?.toLowerCase() ?? null,
    changedSince: since === null ? null : epochMs(since),
  };
}

export function matches(filter: RegisterFilter): (entry: RegisterEntryShape) => boolean {
  return (entry) =>
    (filter.localAuthority === null || filter.localAuthority.has(entry.localAuthority.code)) &&
    (filter.phase === null || filter.phase.has(entry.phase)) &&
    (filter.urns === null || filter.urns.has(entry.urn)) &&
    (filter.name === null || entry.schoolName.toLowerCase().includes(filter.name)) &&
    (filter.changedSince === null || Date.parse(entry.updatedAt) > filter.changedSince);
}
