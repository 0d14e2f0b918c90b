/** The education system's data, indexed once at start. */
import type {
  EdDesignatedTeacher,
  EdInclude,
  EdSchool,
  EdStaff,
  EdStudentRecord,
  EdYearGroupAggregate,
} from '../contracts/education';
import type { StudentFull, World } from '../seed/world';

export interface EducationStore {
  /** Every school, by URN. */
  schools: readonly EdSchool[];
  school(urn: string): EdSchool | undefined;
  /** Pupils on roll now (an enrolment there with no leaving date), by UPN. */
  onRoll(urn: string): readonly StudentFull[];
  /** Every pupil, by UPN. */
  students: readonly StudentFull[];
  student(upn: string): StudentFull | undefined;
  staffAt(urn: string): readonly EdStaff[];
  staff(id: string): EdStaff | undefined;
  /** Every designated teacher, by URN. */
  designatedTeachers: readonly EdDesignatedTeacher[];
  designatedTeacher(urn: string): EdDesignatedTeacher | undefined;
  /** Every aggregate, by URN, academic year and year group. */
  aggregates: readonly EdYearGroupAggregate[];
}

const YEAR_GROUPS = ['N1', 'N2', 'R', ...Array.from({ length: 13 }, (_, i) => String(i + 1))];

function yearGroupRank(yearGroup: string): number {
  const index = YEAR_GROUPS.indexOf(yearGroup);
  return index === -1 ? YEAR_GROUPS.length : index;
}

const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    key(a).localeCompare(key(b));

/** The pupil with the parts `include` asks for (and nothing else). */
export function toStudentRecord(
  student: StudentFull,
  include: ReadonlySet<EdInclude>,
): EdStudentRecord {
  const record: EdStudentRecord = {
    upn: student.upn,
    forename: student.forename,
    surname: student.surname,
    dob: student.dob,
    gender: student.gender,
    looked_after: student.looked_after,
    looked_after_la: student.looked_after_la,
    updated_at: student.updated_at,
  };
  if (include.has('enrolments')) record.enrolments = student.enrolments;
  if (include.has('attendance')) record.attendance = student.attendance;
  if (include.has('exclusions')) record.exclusions = student.exclusions;
  if (include.has('sen')) record.sen = student.sen;
  if (include.has('attainment')) record.attainment = student.attainment;
  return record;
}

export function buildEducationStore(world: World): EducationStore {
  const data = world.education;
  const schools = [...data.schools].sort(byString((s) => s.urn));
  const students = [...data.students].sort(byString((s) => s.upn));
  const designatedTeachers = [...data.designatedTeachers].sort(byString((d) => d.urn));
  const aggregates = [...data.aggregates].sort(
    (a, b) =>
      a.urn.localeCompare(b.urn) ||
      a.academic_year.localeCompare(b.academic_year) ||
      yearGroupRank(a.year_group) - yearGroupRank(b.year_group),
  );

  const schoolsByUrn = new Map(schools.map((s) => [s.urn, s]));
  const studentsByUpn = new Map(students.map((s) => [s.upn, s]));
  const staffById = new Map(data.staff.map((s) => [s.staff_id, s]));
  const dtByUrn = new Map(designatedTeachers.map((d) => [d.urn, d]));

  const roll = new Map<string, StudentFull[]>();
  for (const student of students) {
    const urns = new Set(
      student.enrolments.filter((e) => e.leaving_date === null).map((e) => e.urn),
    );
    for (const urn of urns) {
      const list = roll.get(urn);
      if (list) list.push(student);
      else roll.set(urn, [student]);
    }
  }
  const staffByUrn = new Map<string, EdStaff[]>();
  for (const member of [...data.staff].sort(byString((s) => s.staff_id))) {
    const list = staffByUrn.get(member.urn);
    if (list) list.push(member);
    else staffByUrn.set(member.urn, [member]);
  }

  return {
    schools,
    school: (urn) => schoolsByUrn.get(urn),
    onRoll: (urn) => roll.get(urn) ?? [],
    students,
    student: (upn) => studentsByUpn.get(upn),
    staffAt: (urn) => staffByUrn.get(urn) ?? [],
    staff: (id) => staffById.get(id),
    designatedTeachers,
    designatedTeacher: (urn) => dtByUrn.get(urn),
    aggregates,
  };
}
