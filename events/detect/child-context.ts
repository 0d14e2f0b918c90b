/**
 * What the detectors know about a child when they raise an event: the case record (for the
 * allocation, the restricted flag and the care history), the schools the child is on roll at
 * today (for the designated teachers to tell) and this year's attendance rate (for "any
 * absence of a child under the threshold"). Read in batches for every child a batch of
 * changes touches: one social care search and one education batch per 500 children.
 */
import { UPN } from '../../domain/identifiers';
import { toAttendance } from '../../domain/measures/attendance';
import { enrolmentsOpenOn } from '../../domain/measures/school-roll';
import type { EdEnrolment, EdStudentRecord } from '../../upstream/education/contract';
import type { EducationClient } from '../../upstream/education/client';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import type { SocialCareClient } from '../../upstream/social-care/client';
import type { RoutingFacts } from '../routing';

export interface ChildContext {
  record: ScChildRecord;
  routing: RoutingFacts;
  /** This academic year's attendance rate (%), null when none is held. */
  attendanceRate: number | null;
  /** Every enrolment the education system holds (empty when it holds no pupil). */
  enrolments: readonly EdEnrolment[];
}

export function contextOf(
  record: ScChildRecord,
  student: EdStudentRecord | undefined,
  la: string,
  today: string,
): ChildContext {
  const enrolments = student?.enrolments ?? [];
  const attendance = student?.attendance ? toAttendance(student.attendance) : null;
  return {
    record,
    enrolments,
    attendanceRate: attendance?.ratePercent ?? null,
    routing: {
      la,
      restricted: record.RESTRICTED,
      socialWorkerId: record.SW_ID,
      caseworkerId: record.VS_CASEWORKER_ID,
      schoolUrns: enrolmentsOpenOn(enrolments, today).map((e) => e.urn),
    },
  };
}

/** Reads the context of children by social care id or by UPN, in batches. */
export async function loadChildContexts(
  clients: {
    socialCare: Pick<SocialCareClient, 'childrenByKey'>;
    education: Pick<EducationClient, 'studentsByUpn'>;
  },
  key: 'ids' | 'upns',
  values: readonly string[],
  la: string,
  today: string,
): Promise<Map<string, ChildContext>> {
  const out = new Map<string, ChildContext>();
  if (values.length === 0) return out;
  const records = (await clients.socialCare.childrenByKey(key, values)).filter(
    // Our children only: another authority's pupil has no case record here (issue 15).
    (record) => record.LA === la,
  );
  const upns = records.map((record) => record.UPN).filter((upn) => UPN.test(upn));
  const students = new Map(
    (upns.length === 0
      ? []
      : await clients.education.studentsByUpn(upns, ['enrolments', 'attendance'])
    ).map((student) => [student.upn, student]),
  );
  for (const record of records) {
    const context = contextOf(record, students.get(record.UPN), la, today);
    out.set(key === 'ids' ? record.CHILD : record.UPN, context);
  }
  return out;
}
