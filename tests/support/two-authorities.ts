/**
 * Two neighbouring authorities' worlds that agree with each other, for the exchange's
 * end-to-end test: the home authority's world as generated (its children placed out of area
 * attend schools in the neighbours), and the partner's world, generated for the partner's own
 * code, plus the schools the home world placed children at in the partner's area: they are
 * the partner's own schools, so the partner's education system holds them and a designated
 * teacher for each (synthetic: reserved e-mail domains and Ofcom drama numbers), and the home
 * authority's children on their rolls, as children another authority looks after.
 *
 * Opt-in, and only for this test: `generateWorld` itself is unchanged.
 */
import type { EdDesignatedTeacher } from '../../upstream/education/contract';
import { generateWorld } from '../../simulators/seed/generate';
import type { StudentFull, World } from '../../simulators/seed/world';

export interface TwoAuthorities {
  home: World;
  partner: World;
  /** The partner's schools where the home authority's children are on roll now. */
  sharedUrns: string[];
  /** Those children, as the partner's pupil database holds them. */
  placedThere: StudentFull[];
}

const FORENAMES = ['Alex', 'Sam', 'Jordan', 'Priya', 'Morgan', 'Chris', 'Nadia', 'Owen'];
const SURNAMES = ['Marsh', 'Hale', 'Ashworth', 'Pennington', 'Holt', 'Lowe', 'Fairclough'];

export function twoAuthorities(options: {
  asOf: string;
  children: number;
  home: { seed: number; la: { code: string; name: string } };
  partner: { seed: number; la: { code: string; name: string } };
}): TwoAuthorities {
  const home = generateWorld({
    seed: options.home.seed,
    children: options.children,
    asOf: options.asOf,
    la: options.home.la,
  });
  const generated = generateWorld({
    seed: options.partner.seed,
    children: options.children,
    asOf: options.asOf,
    la: options.partner.la,
  });
  const partnerCode = options.partner.la.code;
  const taken = new Set(generated.education.schools.map((school) => school.urn));
  const adopted = home.education.schools.filter(
    (school) => school.la_code === partnerCode && !taken.has(school.urn),
  );
  const teachers: EdDesignatedTeacher[] = adopted.map((school, i) => ({
    urn: school.urn,
    staff_id: null,
    title: i % 2 === 0 ? 'Mrs' : 'Mr',
    forename: FORENAMES[i % FORENAMES.length]!,
    surname: SURNAMES[i % SURNAMES.length]!,
    job_title: 'Designated Teacher for Looked After Children',
    email: `designated.teacher@school-${school.urn}.sch.example`,
    phone: `01632 96${String(1000 + i).slice(-4)}`,
    confirmed_on: '2025-09-15',
    updated_at: '2025-09-15T08:00:00.000Z',
  }));
  // The home authority's children on those schools' rolls are on the partner's pupil database
  // too, as children another authority looks after (its enrolments there only).
  const homeCode = options.home.la.code;
  const adoptedUrns = new Set(adopted.map((school) => school.urn));
  const placedThere: StudentFull[] = home.education.students
    .filter((student) => student.looked_after_la === homeCode)
    .map((student) => ({
      ...student,
      enrolments: student.enrolments.filter((enrolment) => adoptedUrns.has(enrolment.urn)),
    }))
    .filter((student) => student.enrolments.some((enrolment) => enrolment.leaving_date === null));
  const partner: World = {
    ...generated,
    education: {
      ...generated.education,
      schools: [...generated.education.schools, ...adopted],
      students: [...generated.education.students, ...placedThere],
      designatedTeachers: [...generated.education.designatedTeachers, ...teachers],
    },
  };
  const onRollThere = new Set(
    placedThere
      .flatMap((student) => student.enrolments)
      .filter((enrolment) => enrolment.leaving_date === null)
      .map((enrolment) => enrolment.urn),
  );
  return {
    home,
    partner,
    sharedUrns: adopted.map((school) => school.urn).filter((urn) => onRollThere.has(urn)),
    placedThere,
  };
}
