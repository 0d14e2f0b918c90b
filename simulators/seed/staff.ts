/**
 * Staff of the authority's own schools (head, designated teacher for about 90% of schools,
 * 3-8 teachers, a SENCO, 1-2 governors) and the designated teacher register the LA keeps.
 */
import type { EdDesignatedTeacher, EdStaff } from '../../upstream/education/contract';
import { addDays, randomDate, timestampOn, type SeedContext } from './context';
import { adultName, emailPart, landline } from './names';
import type { Rng } from './random';
import type { SchoolDirectory, SchoolInfo } from './schools';

export const NAMED_GOVERNOR_TITLE = 'Named governor for children looked after';

export interface SchoolStaff {
  head: EdStaff;
  dt: EdStaff | null;
  teachers: EdStaff[];
  senco: EdStaff;
  governors: EdStaff[];
}

const DT_TITLES = [
  'Designated Teacher for Children Looked After',
  'Assistant Headteacher and Designated Teacher',
  'Deputy Headteacher (Designated Teacher for Looked-After Children)',
  'Inclusion Lead and Designated Teacher',
];
const SUBJECTS = [
  'English',
  'Mathematics',
  'Science',
  'History',
  'Geography',
  'Art',
  'Computing',
  'PE',
  'Music',
  'Religious Education',
  'French',
  'Design and Technology',
];

/** Hands out staff ids 'E' + 6 digits and e-mail addresses unique per school domain. */
export class StaffFactory {
  private next = 100001;
  private readonly emails = new Set<string>();

  make(rng: Rng, school: SchoolInfo, role: string, jobTitle: string): EdStaff {
    const n = adultName(rng);
    const local = `${emailPart(n.forename).slice(0, 1)}.${emailPart(n.surname)}`;
    let email = `${local}@${school.domain}`;
    for (let k = 2; this.emails.has(email); k++) email = `${local}${k}@${school.domain}`;
    this.emails.add(email);
    return {
      staff_id: `E${this.next++}`,
      urn: school.school.urn,
      title: n.title,
      forename: n.forename,
      surname: n.surname,
      role,
      job_title: jobTitle,
      email,
    };
  }
}

function teacherTitle(rng: Rng, school: SchoolInfo, i: number): string {
  switch (school.school.phase) {
    case 'PRIMARY': {
      const yg = school.yearGroups[i % school.yearGroups.length]!;
      return yg === 'R' ? 'Reception Class Teacher' : `Class Teacher (Year ${yg})`;
    }
    case 'SECONDARY':
    case 'ALL_THROUGH':
      return rng.chance(0.2)
        ? `Head of ${SUBJECTS[i % SUBJECTS.length]}`
        : `Teacher of ${SUBJECTS[i % SUBJECTS.length]}`;
    case 'NURSERY':
      return 'Nursery Teacher';
    default:
      return 'Class Teacher';
  }
}

export interface StaffResult {
  staff: EdStaff[];
  bySchool: Map<string, SchoolStaff>;
  designatedTeachers: EdDesignatedTeacher[];
  factory: StaffFactory;
}

export function generateStaff(ctx: SeedContext, dir: SchoolDirectory): StaffResult {
  const rng = ctx.rng.fork('staff');
  const factory = new StaffFactory();
  const staff: EdStaff[] = [];
  const bySchool = new Map<string, SchoolStaff>();
  const designatedTeachers: EdDesignatedTeacher[] = [];
  const schools = dir.inArea;
  schools.forEach((info, i) => {
    const r = rng.fork(`school-staff:${info.school.urn}`);
    const academy = info.school.type === 'ACADEMY';
    const head = factory.make(
      r,
      info,
      'HEAD',
      academy && r.chance(0.5) ? 'Principal' : 'Headteacher',
    );
    // About one school in ten has no designated teacher on the register; the first always has one.
    const dt = i === 0 || r.chance(0.9) ? factory.make(r, info, 'DT', r.pick(DT_TITLES)) : null;
    const teachers: EdStaff[] = [];
    const nTeachers = r.int(3, 8);
    for (let t = 0; t < nTeachers; t++) {
      teachers.push(factory.make(r, info, 'TEACHER', teacherTitle(r, info, t)));
    }
    const senco = factory.make(
      r,
      info,
      'SENCO',
      r.chance(0.5) ? 'SENCO' : 'Special Educational Needs Coordinator',
    );
    const governors = [factory.make(r, info, 'GOVERNOR', NAMED_GOVERNOR_TITLE)];
    if (r.chance(0.5)) {
      governors.push(
        factory.make(r, info, 'GOVERNOR', r.chance(0.5) ? 'Chair of Governors' : 'Parent Governor'),
      );
    }
    staff.push(head, ...(dt ? [dt] : []), ...teachers, senco, ...governors);
    bySchool.set(info.school.urn, { head, dt, teachers, senco, governors });
    if (dt) {
      // Most schools confirmed their entry within the last year; about 15% are stale.
      const confirmed = r.chance(0.85)
        ? randomDate(r, addDays(ctx.asOf, -364), ctx.asOf)
        : randomDate(r, addDays(ctx.asOf, -3 * 365), addDays(ctx.asOf, -366));
      designatedTeachers.push({
        urn: info.school.urn,
        staff_id: dt.staff_id,
        title: dt.title,
        forename: dt.forename,
        surname: dt.surname,
        job_title: dt.job_title,
        email: dt.email,
        phone: landline(r),
        confirmed_on: confirmed,
        updated_at: timestampOn(r, confirmed),
      });
    }
  });
  return { staff, bySchool, designatedTeachers, factory };
}
