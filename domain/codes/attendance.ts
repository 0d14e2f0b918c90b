/**
 * DfE school attendance codes in force from 19 August 2024 ("Working together to improve
 * school attendance", statutory guidance), with what each means and how it counts.
 *
 * `D` (dual registered, at the other school) is not a possible session at this school: the other
 * school records the session's real mark (present, absent...) in its own register, so counting
 * it here as attended would give a pupil in alternative provision a rate made of sessions
 * nobody saw them attend. It sits with the other not-possible codes, out of the denominator.
 * Reports reuse `attendanceCategory`.
 */

import type { CodeListSource } from './code-list-source';

export type AttendanceCategory =
  | 'PRESENT'
  | 'APPROVED_EDUCATIONAL_ACTIVITY'
  | 'AUTHORISED_ABSENCE'
  | 'UNAUTHORISED_ABSENCE'
  | 'NOT_POSSIBLE';

export interface AttendanceCode {
  code: string;
  meaning: string;
  category: AttendanceCategory;
}

const code = (code: string, category: AttendanceCategory, meaning: string): AttendanceCode => ({
  code,
  meaning,
  category,
});

/** The list: the DfE codes in force from 19 August 2024, still the list for 2025/26. */
export const ATTENDANCE_CODE_LIST: CodeListSource = {
  collectionYear: '2025/26',
  inForceFrom: '2024-08-19',
  source:
    'DfE, Working together to improve school attendance (statutory guidance, August 2024): ' +
    'school attendance and absence codes',
};

/** Every 2024 code, in the order of the DfE table. */
export const ATTENDANCE_CODES: readonly AttendanceCode[] = [
  code('/', 'PRESENT', 'Present (AM)'),
  code('\\', 'PRESENT', 'Present (PM)'),
  code('L', 'PRESENT', 'Late arrival before the register closed'),

  code(
    'K',
    'APPROVED_EDUCATIONAL_ACTIVITY',
    'Attending education provision arranged by the local authority',
  ),
  code('V', 'APPROVED_EDUCATIONAL_ACTIVITY', 'Attending an educational visit or trip'),
  code('P', 'APPROVED_EDUCATIONAL_ACTIVITY', 'Participating in a supervised sporting activity'),
  code('W', 'APPROVED_EDUCATIONAL_ACTIVITY', 'Attending work experience'),
  code('B', 'APPROVED_EDUCATIONAL_ACTIVITY', 'Attending any other approved educational activity'),

  code('C', 'AUTHORISED_ABSENCE', 'Leave of absence for exceptional circumstances'),
  code(
    'C1',
    'AUTHORISED_ABSENCE',
    'Leave of absence to take part in a regulated performance or employment abroad',
  ),
  code('C2', 'AUTHORISED_ABSENCE', 'Leave of absence: part-time timetable'),
  code(
    'E',
    'AUTHORISED_ABSENCE',
    'Suspended or permanently excluded, no alternative provision made',
  ),
  code('I', 'AUTHORISED_ABSENCE', 'Illness (not a medical or dental appointment)'),
  code('M', 'AUTHORISED_ABSENCE', 'Leave of absence for a medical or dental appointment'),
  code('J1', 'AUTHORISED_ABSENCE', 'Leave of absence for an interview for employment or admission'),
  code('S', 'AUTHORISED_ABSENCE', 'Leave of absence to study for a public examination'),
  code('T', 'AUTHORISED_ABSENCE', 'Parent travelling for occupational purposes'),
  code('R', 'AUTHORISED_ABSENCE', 'Religious observance'),

  code('G', 'UNAUTHORISED_ABSENCE', 'Holiday not granted by the school'),
  code('N', 'UNAUTHORISED_ABSENCE', 'Reason for absence not yet established'),
  code('O', 'UNAUTHORISED_ABSENCE', 'Absent in other or unknown circumstances'),
  code('U', 'UNAUTHORISED_ABSENCE', 'Arrived after the register closed'),

  code('Q', 'NOT_POSSIBLE', 'Unable to attend: lack of access arrangements'),
  code('Y1', 'NOT_POSSIBLE', 'Unable to attend: transport normally provided not available'),
  code('Y2', 'NOT_POSSIBLE', 'Unable to attend: widespread disruption to travel'),
  code('Y3', 'NOT_POSSIBLE', 'Unable to attend: part of the school premises closed'),
  code('Y4', 'NOT_POSSIBLE', 'Unable to attend: whole school site unexpectedly closed'),
  code('Y5', 'NOT_POSSIBLE', 'Unable to attend: in criminal justice detention'),
  code('Y6', 'NOT_POSSIBLE', 'Unable to attend: public health guidance or law'),
  code('Y7', 'NOT_POSSIBLE', 'Unable to attend: any other unavoidable cause'),
  code('X', 'NOT_POSSIBLE', 'Not of compulsory school age, not required to attend'),
  code('Z', 'NOT_POSSIBLE', 'Prospective pupil not on the admission register'),
  code('#', 'NOT_POSSIBLE', 'Planned whole or partial school closure'),
  code('D', 'NOT_POSSIBLE', 'Dual registered: at the other school, which records the session'),
];

const BY_CODE: ReadonlyMap<string, AttendanceCode> = new Map(
  ATTENDANCE_CODES.map((entry) => [entry.code, entry]),
);

/** The 2024 code, or undefined when `code` is not one. */
export function attendanceCode(code: string): AttendanceCode | undefined {
  return BY_CODE.get(code);
}

/** How a session with this code counts; undefined for a code not in the 2024 list. */
export function attendanceCategory(code: string): AttendanceCategory | undefined {
  return BY_CODE.get(code)?.category;
}

/** What the code means, or 'Unknown code (XX)' for a code not in the 2024 list. */
export function attendanceLabel(code: string): string {
  return BY_CODE.get(code)?.meaning ?? `Unknown code (${code})`;
}

/** Categories whose sessions count as attended. */
export function isAttended(category: AttendanceCategory): boolean {
  return category === 'PRESENT' || category === 'APPROVED_EDUCATIONAL_ACTIVITY';
}
