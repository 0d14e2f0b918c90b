/** The education system's data, indexed once at start. */
import type {
  EdDesignatedTeacher,
  EdDesignatedTeacherPut,
  EdDesignatedTeacherPutResult,
  EdInclude,
  EdSchool,
  EdStaff,
  EdStudentRecord,
  EdYearGroupAggregate,
} from '../../upstream/education/contract';
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
  /** Every member of staff, by staff id. */
  allStaff: readonly EdStaff[];
  /** URNs of the schools with a pupil on roll now whom `la` looks after. */
  schoolsWithLookedAfter(la: string): ReadonlySet<string>;
  /** Every designated teacher, by URN (the register changes through `putDesignatedTeacher`). */
  designatedTeachers: readonly EdDesignatedTeacher[];
  designatedTeacher(urn: string): EdDesignatedTeacher | undefined;
  /**
   * Sets a school's designated teacher entry (the school must exist). Idempotent: an entry
   * equal to the one held changes nothing, not even `updated_at`.
   */
  putDesignatedTeacher(urn: string, entry: EdDesignatedTeacherPut): EdDesignatedTeacherPutResult;
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

/**
 * The pupil with the parts `include` asks for (and nothing else), and always where their
 * attendance, exclusions and attainment come from. A part the system does not hold (a school
 * elsewhere that sends no return) is null, never an empty list.
 */
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
    coverage: student.coverage,
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
  const lookedAfterAt = new Map<string, Set<string>>();
  for (const student of students) {
    const urns = new Set(
      student.enrolments.filter((e) => e.leaving_date === null).map((e) => e.urn),
    );
    for (const urn of urns) {
      const list = roll.get(urn);
      if (list) list.push(student);
      else roll.set(urn, [student]);
      if (student.looked_after && student.looked_after_la !== null) {
        const at = lookedAfterAt.get(student.looked_after_la) ?? new Set<string>();
        at.add(urn);
        lookedAfterAt.set(student.looked_after_la, at);
      }
    }
  }
  const staffByUrn = new Map<string, EdStaff[]>();
  for (const member of [...data.staff].sort(byString((s) => s.staff_id))) {
    const list = staffByUrn.get(member.urn);
    if (list) list.push(member);
    else staffByUrn.set(member.urn, [member]);
  }

  const register = new DesignatedTeacherRegister(designatedTeachers, dtByUrn, [
    ...schools.map((s) => s.updated_at),
    ...designatedTeachers.map((d) => d.updated_at),
  ]);

  return {
    schools,
    school: (urn) => schoolsByUrn.get(urn),
    onRoll: (urn) => roll.get(urn) ?? [],
    students,
    student: (upn) => studentsByUpn.get(upn),
    staffAt: (urn) => staffByUrn.get(urn) ?? [],
    staff: (id) => staffById.get(id),
    allStaff: [...data.staff].sort(byString((s) => s.staff_id)),
    schoolsWithLookedAfter: (la) => lookedAfterAt.get(la) ?? new Set(),
    designatedTeachers,
    designatedTeacher: (urn) => dtByUrn.get(urn),
    putDesignatedTeacher: (urn, entry) => {
      // The staff record with the same work e-mail at the school, if there is one.
      const email = entry.email.toLowerCase();
      const member = (staffByUrn.get(urn) ?? []).find((s) => s.email.toLowerCase() === email);
      return register.put(urn, entry, member?.staff_id ?? null);
    },
    aggregates,
  };
}

const DT_FIELDS = [
  'staff_id',
  'title',
  'forename',
  'surname',
  'job_title',
  'email',
  'phone',
  'confirmed_on',
] as const satisfies readonly (keyof EdDesignatedTeacher)[];

/**
 * The designated teacher entries, kept sorted by URN in the very array the store lists, and
 * stamped on change with an `updated_at` that only moves forward: never before anything the
 * system already holds, so a client's "updated after" watermark never misses a change.
 */
class DesignatedTeacherRegister {
  private lastStamp: number;

  constructor(
    private readonly list: EdDesignatedTeacher[],
    private readonly byUrn: Map<string, EdDesignatedTeacher>,
    stamps: readonly string[],
  ) {
    this.lastStamp = Math.max(
      0,
      ...stamps.map((stamp) => Date.parse(stamp)).filter(Number.isFinite),
    );
  }

  put(
    urn: string,
    entry: EdDesignatedTeacherPut,
    staffId: string | null,
  ): EdDesignatedTeacherPutResult {
    const previous = this.byUrn.get(urn) ?? null;
    const next = {
      urn,
      staff_id: staffId,
      title: entry.title,
      forename: entry.forename,
      surname: entry.surname,
      job_title: entry.job_title,
      email: entry.email,
      phone: entry.phone,
      confirmed_on: entry.confirmed_on,
    };
    if (previous && DT_FIELDS.every((field) => previous[field] === next[field])) {
      return { data: previous, meta: { previous, changed: false } };
    }
    // A new object: the seeded world's own records are never changed in place.
    const current: EdDesignatedTeacher = { ...next, updated_at: this.stamp() };
    this.byUrn.set(urn, current);
    const index = this.list.findIndex((d) => d.urn >= urn);
    if (previous) this.list[index] = current;
    else if (index === -1) this.list.push(current);
    else this.list.splice(index, 0, current);
    return { data: current, meta: { previous, changed: true } };
  }

  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }
}
