/**
 * The period a report covers, from the filter: an academic year, or whole school terms within
 * one. Nothing finer: a period that could end on any day would let two reports a day apart be
 * differenced down to the child who entered or left care that day.
 */
import { badUserInput } from '../../lib/errors';
import {
  academicYearOf,
  academicYearStart,
  financialYearOf,
  isoToDayNumber,
  termOf,
  termsOfAcademicYear,
} from '../../domain/school-calendar';

export type CohortBasis = 'LOOKED_AFTER_AT_DATE' | 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS';

export interface PeriodInput {
  academicYear?: string | null;
  dateRange?: { from: string; to: string } | null;
  basis?: CohortBasis | null;
}

export interface ReportPeriod {
  academicYear: string;
  from: string;
  to: string;
  /** Events are counted up to here: `to`, or today when that is earlier. */
  measuredTo: string;
  /** The cohort is taken on this day. */
  referenceDate: string;
  basis: CohortBasis;
  /** PP+ figures are for the financial year the period starts in. */
  financialYear: string;
  /** The period starts on 1 September (year-to-date figures from the education system fit it). */
  fromYearStart: boolean;
}

const ACADEMIC_YEAR = /^(\d{4})\/(\d{2})$/;

function isIsoDate(value: string): boolean {
  try {
    isoToDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

function academicYearBounds(label: string): { from: string; to: string } {
  const match = ACADEMIC_YEAR.exec(label);
  const start = Number(match?.[1]);
  if (!match || (start + 1) % 100 !== Number(match[2])) {
    throw badUserInput('`academicYear` must be an academic year such as "2025/26".');
  }
  return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

/** "autumn 2025-09-01 to 2025-12-19, spring ..." for the academic year containing `date`. */
function termDates(date: string): string {
  return termsOfAcademicYear(date)
    .map((term) => `${term.name.toLowerCase()} ${term.start} to ${term.end}`)
    .join(', ');
}

function termBounds(range: { from: string; to: string }): { from: string; to: string } {
  const { from, to } = range;
  if (!isIsoDate(from) || !isIsoDate(to)) {
    throw badUserInput('`dateRange.from` and `dateRange.to` must be dates, YYYY-MM-DD.');
  }
  if (termOf(from).start !== from || termOf(to).end !== to) {
    throw badUserInput(
      '`dateRange` must be whole terms: `from` the first school day of a term and `to` the ' +
        `last school day of one (the LA's terms in ${academicYearOf(from)}: ` +
        `${termDates(from)}).`,
    );
  }
  if (from > to || academicYearOf(from) !== academicYearOf(to)) {
    throw badUserInput('`dateRange` must run forwards, within one academic year.');
  }
  return { from, to };
}

export function resolvePeriod(input: PeriodInput, today: string): ReportPeriod {
  const hasYear = input.academicYear !== undefined && input.academicYear !== null;
  const hasRange = input.dateRange !== undefined && input.dateRange !== null;
  if (hasYear && hasRange) {
    throw badUserInput('Give either `academicYear` or `dateRange` in the filter, not both.');
  }
  if (!hasYear && !hasRange) {
    throw badUserInput(
      'Give the period: `academicYear` (e.g. "2025/26") or `dateRange` in the filter.',
    );
  }
  const basis = input.basis ?? 'LOOKED_AFTER_AT_DATE';
  const { from, to } = hasYear
    ? academicYearBounds(input.academicYear!)
    : termBounds(input.dateRange!);
  if (from > today) throw badUserInput('The period has not started yet.');
  const measuredTo = to < today ? to : today;
  let referenceDate = measuredTo;
  if (basis === 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS') {
    if (!hasYear) {
      throw badUserInput(
        'The outcome cohort (looked after for 12 months at 31 March) is for an `academicYear`.',
      );
    }
    referenceDate = `${Number(from.slice(0, 4)) + 1}-03-31`;
    if (referenceDate > today) {
      throw badUserInput(
        `The outcome cohort for ${input.academicYear} is taken on ${referenceDate}, which is still to come.`,
      );
    }
  }
  return {
    academicYear: academicYearOf(from),
    from,
    to,
    measuredTo,
    referenceDate,
    basis,
    financialYear: financialYearOf(from),
    // 1 September, or the autumn term's first day when 1 September is not a school day.
    fromYearStart: from === academicYearStart(from) || from === termsOfAcademicYear(from)[0]!.start,
  };
}
