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
import { ForwardClock } from '../common/change-log';

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
  /** The pupil as the seeded world holds them, whatever the write routes changed since. */
  seeded(upn: string): StudentFull | undefined;
  /**
   * Replaces a known pupil's record with `next` (same UPN), stamped with an `updated_at` past
   * everything the system holds, in every list and roll. The seeded objects are never changed.
   */
  replaceStudent(next: Omit<StudentFull, 'updated_at'>): StudentFull;
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

  const seededByUpn = new Map(students.map((s) => [s.upn, s]));
  const indexByUpn = new Map(students.map((s, index) => [s.upn, index]));
  const rolls = new Rolls();
  for (const student of students) rolls.add(student);
  const studentClock = new ForwardClock(students.map((s) => s.updated_at));
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
    onRoll: (urn) => rolls.onRoll(urn),
    students,
    student: (upn) => studentsByUpn.get(upn),
    staffAt: (urn) => staffByUrn.get(urn) ?? [],
    staff: (id) => staffById.get(id),
    allStaff: [...data.staff].sort(byString((s) => s.staff_id)),
    schoolsWithLookedAfter: (la) => rolls.schoolsWithLookedAfter(la),
    designatedTeachers,
    designatedTeacher: (urn) => dtByUrn.get(urn),
    putDesignatedTeacher: (urn, entry) => {
      // The staff record with the same work e-mail at the school, if there is one.
      const email = entry.email.toLowerCase();
      const member = (staffByUrn.get(urn) ?? []).find((s) => s.email.toLowerCase() === email);
      return register.put(urn, entry, member?.staff_id ?? null);
    },
    aggregates,
    seeded: (upn) => seededByUpn.get(upn),
    replaceStudent: (next) => {
      const index = indexByUpn.get(next.upn);
      const previous = studentsByUpn.get(next.upn);
      if (index === undefined || !previous) throw new Error('replaceStudent: unknown pupil');
      const current: StudentFull = { ...next, updated_at: studentClock.stamp() };
      students[index] = current;
      studentsByUpn.set(current.upn, current);
      rolls.remove(previous);
      rolls.add(current);
      return current;
    },
  };
}

/**
 * Who is on each school's roll now (an enrolment there with no leaving date), kept in UPN
 * order, and how many of them each authority looks after, per school.
 */
class Rolls {
  private readonly byUrn = new Map<string, StudentFull[]>();
  private readonly lookedAfter = new Map<string, Map<string, number>>();

  add(student: StudentFull): void {
    for (const urn of Rolls.openUrns(student)) {
      const list = this.byUrn.get(urn) ?? [];
      // At start pupils come in UPN order: appending is the common case.
      const last = list[list.length - 1];
      const at =
        last === undefined || last.upn < student.upn
          ? -1
          : list.findIndex((s) => s.upn > student.upn);
      if (at === -1) list.push(student);
      else list.splice(at, 0, student);
      this.byUrn.set(urn, list);
      this.countLookedAfter(student, urn, 1);
    }
  }

  remove(student: StudentFull): void {
    for (const urn of Rolls.openUrns(student)) {
      const list = this.byUrn.get(urn) ?? [];
      const at = list.findIndex((s) => s.upn === student.upn);
      if (at !== -1) list.splice(at, 1);
      this.countLookedAfter(student, urn, -1);
    }
  }

  onRoll(urn: string): readonly StudentFull[] {
    return this.byUrn.get(urn) ?? [];
  }

  schoolsWithLookedAfter(la: string): ReadonlySet<string> {
    return new Set(this.lookedAfter.get(la)?.keys() ?? []);
  }

  private countLookedAfter(student: StudentFull, urn: string, by: number): void {
    if (!student.looked_after || student.looked_after_la === null) return;
    const counts = this.lookedAfter.get(student.looked_after_la) ?? new Map<string, number>();
    const count = (counts.get(urn) ?? 0) + by;
    if (count > 0) counts.set(urn, count);
    else counts.delete(urn);
    this.lookedAfter.set(student.looked_after_la, counts);
  }

  private static openUrns(student: StudentFull): Set<string> {
    return new Set(student.enrolments.filter((e) => e.leaving_date === null).map((e) => e.urn));
  }
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
