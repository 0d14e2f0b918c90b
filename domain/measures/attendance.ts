/**
 * How attendance is counted from the DfE 2024 attendance codes: sessions possible, attended and
 * missed, the rate, and the persistent (10%+) and severe (50%+) absence flags. This is the single
 * place the rule lives: the education subgraph uses it for a pupil's attendance summary and the
 * reporting subgraph for its attendance measures, so a report and a pupil's record always agree.
 * Attended = present or at an approved educational activity; possible = attended + absent. A
 * not-possible code, `D` (dual registered, recorded by the other school) among them, is in no
 * total. Pure, apart from logging an unknown code.
 */
import type { EdAttendanceSummary } from '../../upstream/education/contract';
import {
  ATTENDANCE_CODES,
  attendanceCode,
  attendanceLabel,
  type AttendanceCategory,
} from '../codes/attendance';
import { logger } from '../../lib/logger';

export interface AttendanceCodeCount {
  code: string;
  meaning: string;
  category: AttendanceCategory;
  sessions: number;
}

export interface AttendanceShape {
  academicYear: string;
  from: string;
  to: string;
  possibleSessions: number;
  attendedSessions: number;
  authorisedAbsenceSessions: number;
  unauthorisedAbsenceSessions: number;
  ratePercent: number | null;
  persistentAbsence: boolean;
  severeAbsence: boolean;
  byCode: AttendanceCodeCount[];
}

/** Longest code text we repeat in a log line: a code is short; anything longer is not one. */
const LOGGED_CODE_LENGTH = 8;

/**
 * The attendance summary with the DfE 2024 measures. A code not in the 2024 list is listed in
 * `byCode` (as 'Unknown code (XX)', category NOT_POSSIBLE) but left out of every total: counting
 * it as attended or as absent would both be a guess, and a guess either way moves a child
 * across the persistent-absence line. The unknown code is logged (the code only) so the data
 * can be fixed at source.
 */
export function toAttendance(summary: EdAttendanceSummary): AttendanceShape {
  const byCode: (AttendanceCodeCount & { known: boolean })[] = [];
  for (const [code, sessions] of Object.entries(summary.codes)) {
    if (!Number.isInteger(sessions) || sessions <= 0) continue;
    const known = attendanceCode(code);
    if (!known) {
      logger.warn('unknown attendance code', { code: code.slice(0, LOGGED_CODE_LENGTH), sessions });
    }
    byCode.push({
      code,
      meaning: attendanceLabel(code),
      category: known?.category ?? 'NOT_POSSIBLE',
      sessions,
      known: known !== undefined,
    });
  }

  const total = (category: AttendanceCategory): number =>
    byCode
      .filter((entry) => entry.known && entry.category === category)
      .reduce((sum, entry) => sum + entry.sessions, 0);
  const authorised = total('AUTHORISED_ABSENCE');
  const unauthorised = total('UNAUTHORISED_ABSENCE');
  const attended = total('PRESENT') + total('APPROVED_EDUCATIONAL_ACTIVITY');
  const possible = attended + authorised + unauthorised;
  const missed = possible - attended;

  // The order of the DfE table (which runs category by category), unknown codes last.
  byCode.sort((a, b) => tableIndex(a.code) - tableIndex(b.code) || a.code.localeCompare(b.code));

  return {
    academicYear: summary.academic_year,
    from: summary.from,
    to: summary.to,
    possibleSessions: possible,
    attendedSessions: attended,
    authorisedAbsenceSessions: authorised,
    unauthorisedAbsenceSessions: unauthorised,
    ratePercent: possible === 0 ? null : Math.round((attended / possible) * 1000) / 10,
    // Integer comparisons: exactly 10% (or 50%) missed counts, with no floating-point doubt.
    persistentAbsence: possible > 0 && missed * 10 >= possible,
    severeAbsence: possible > 0 && missed * 2 >= possible,
    byCode: byCode.map(({ code, meaning, category, sessions }) => ({
      code,
      meaning,
      category,
      sessions,
    })),
  };
}

const TABLE_INDEX: ReadonlyMap<string, number> = new Map(
  ATTENDANCE_CODES.map((entry, index) => [entry.code, index]),
);

function tableIndex(code: string): number {
  return TABLE_INDEX.get(code) ?? Number.MAX_SAFE_INTEGER;
}
