/**
 * Ties children looked after to the pupil database: which of them have a UPN and a pupil
 * record (school age, not newly arrived), who is in school, in further education (about 30% of
 * 16-17s) or without a place (about 5%); and the pupils other authorities look after in our
 * schools (COLA, about 15% of the child count).
 */
import { isSchoolAge } from './allocation';
import type { ChildDraft } from './children';
import { addDays } from './context';
import { currentEnrolment } from './ntk';
import { forename, surname } from './names';
import { Weighted, type Rng } from './random';
import type { SchoolInfo } from './schools';
import {
  buildStudent,
  dobForYearGroup,
  schoolYearIndex,
  type EduStatus,
  type StudentEnv,
  type StudentSpec,
} from './students';
import type { StudentFull } from './world';
import { YEAR_GROUPS, yearGroupIndex, type YearGroup } from '../../domain/school-calendar';

/** Gives a child a UPN and, where the pupil database would know them, a pupil record. */
export function assignEducation(env: StudentEnv, draft: ChildDraft): StudentSpec | null {
  const { ctx } = env;
  const c = draft.child;
  if (!isSchoolAge(draft.yearGroup)) {
    c.UPN = 'UN1';
    return null;
  }
  const r = ctx.rng.fork(`edu:${c.CHILD}`);
  if (c.UASC && r.chance(0.55)) {
    // Newly arrived: no English school yet.
    c.UPN = r.chance(0.5) ? 'UN2' : 'UN4';
    return null;
  }
  if (r.chance(0.005)) {
    c.UPN = 'UN5';
    return null;
  }
  const yg = draft.yearGroup as YearGroup;
  const idx = schoolYearIndex(yg);
  const status: EduStatus = idx >= 12 && r.chance(0.3) ? 'FE' : r.chance(0.05) ? 'NONE' : 'SCHOOL';
  const spec: StudentSpec = {
    forename: c.FORENAME,
    surname: c.SURNAME,
    dob: c.DOB,
    gender: draft.gender,
    yearGroup: yg,
    status,
    la: draft.schoolLa,
    lookedAfter: draft.current,
    lookedAfterLa: draft.current ? ctx.la.code : null,
    arrival: c.UASC ? addDays(draft.careStart, -r.int(0, 60)) : null,
    permanentExclusionChance: 0.012,
  };
  draft.student = buildStudent(r, env, spec);
  c.UPN = draft.student.upn;
  return spec;
}

/**
 * At least one permanent exclusion among our pupils this year (when the year has run long
 * enough): rebuild the first eligible pupil's record with one.
 */
export function ensurePermanentExclusion(
  env: StudentEnv,
  drafts: ChildDraft[],
  specs: Map<string, StudentSpec>,
): void {
  const has = drafts.some((d) => d.student?.exclusions?.some((e) => e.category === 'PERMANENT'));
  if (has) return;
  for (const d of drafts) {
    const spec = specs.get(d.child.CHILD);
    if (!spec || !d.student || !d.current || d.child.RESTRICTED || spec.status !== 'SCHOOL')
      continue;
    const idx = schoolYearIndex(spec.yearGroup);
    if (idx < 7 || idx > 11 || spec.la !== env.ctx.la.code) continue;
    const e = currentEnrolment(d.student.enrolments);
    if (!e || env.dir.byUrn.get(e.urn)?.kind !== 'MAINSTREAM') continue;
    const rebuilt = buildStudent(env.ctx.rng.fork(`edu-pex:${d.child.CHILD}`), env, {
      ...spec,
      upn: d.student.upn,
      forcePermanentExclusion: true,
    });
    if (rebuilt.exclusions?.some((x) => x.category === 'PERMANENT')) {
      d.student = rebuilt;
      return;
    }
  }
}

/** Pupils looked after by other authorities, on roll at our schools. */
export function generateCola(env: StudentEnv, children: number): StudentFull[] {
  const n = Math.round(children * 0.15);
  const out: StudentFull[] = [];
  for (let i = 0; i < n; i++) out.push(colaStudent(env.ctx.rng.fork(`cola:${i}`), env));
  return out;
}

/** A pupil looked after by another authority (COLA), at one of our schools. */
export function colaStudent(rng: Rng, env: StudentEnv, school?: SchoolInfo): StudentFull {
  const taught = (school?.yearGroups ?? COLA_YEARS).filter((yg) => yearGroupIndex(yg) >= 2);
  const yg: YearGroup = school ? rng.pick(taught) : COLA_YEAR_TABLE.draw(rng);
  const gender: 'M' | 'F' = rng.chance(0.55) ? 'M' : 'F';
  return buildStudent(rng, env, {
    forename: forename(rng, gender),
    surname: surname(rng),
    dob: dobForYearGroup(rng, env.ctx, yg),
    gender,
    yearGroup: yg,
    status: 'SCHOOL',
    la: env.ctx.la.code,
    lookedAfter: true,
    lookedAfterLa: env.ctx.neighbours.draw(rng),
    arrival: null,
    school,
    permanentExclusionChance: 0.006,
  });
}

/** Other authorities' pupils placed in our schools: Reception to Year 13. */
const COLA_YEARS: YearGroup[] = YEAR_GROUPS.filter((year) => year !== 'N1' && year !== 'N2');
const COLA_YEAR_TABLE = new Weighted<YearGroup>(
  COLA_YEARS.map((yg) => {
    const i = yearGroupIndex(yg) - 2;
    return [yg, i <= 6 ? 1 : i <= 11 ? 1.6 : 0.6] as const;
  }),
);
