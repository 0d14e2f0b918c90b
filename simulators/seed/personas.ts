/**
 * The people (and systems) who call CLA Graph, bound to seeded data so every access rule is
 * observable: a school with looked-after pupils of ours and of other authorities, NTK grants
 * naming one of its teachers and not another, a social worker with a restricted child. When
 * the random draw does not give such a school, the data is adjusted deterministically.
 */
import type { EdStaff } from '../../upstream/education/contract';
import type { ScPep } from '../../upstream/social-care/contract';
import { caseloads, largestCaseload } from './allocation';
import { authorityName } from './authorities';
import type { ChildDraft } from './children';
import type { SeedContext } from './context';
import { currentEnrolment, grantsFor } from './ntk';

import type { SchoolInfo } from './schools';
import type { StaffResult } from './staff';
import type { StudentEnv } from './students';
import { colaStudent } from './education';
import type { Workforce } from './workers';
import {
  PERSONA_NAMES,
  type NeedToKnowGrant,
  type Persona,
  type StudentFull,
  type World,
} from './world';

/** The placing authority persona is Wigan's virtual school system (another, if Wigan is home). */
export function placingAuthorityFor(homeCode: string): { code: string; sub: string } {
  const code = homeCode === '359' ? '341' : '359';
  return { code, sub: `client:la-${code}-virtual-school` };
}

export interface PersonaState {
  ctx: SeedContext;
  env: StudentEnv;
  drafts: ChildDraft[];
  /** Every pupil record (ours and COLA); fix-ups may append COLA pupils. */
  students: StudentFull[];
  staff: StaffResult;
  grants: NeedToKnowGrant[];
  workforce: Workforce;
  socialWorkerId: string;
  pepsByChild: Map<string, ScPep[]>;
}

interface SchoolTally {
  info: SchoolInfo;
  /** Our current, unrestricted pupils whose main enrolment is here (may hold grants). */
  own: ChildDraft[];
  cola: number;
  withGrants: number;
}

function tally(state: PersonaState): SchoolTally[] {
  const byUrn = new Map<string, SchoolTally>();
  for (const info of state.env.dir.inArea) {
    if (!state.staff.bySchool.get(info.school.urn)?.dt) continue;
    byUrn.set(info.school.urn, { info, own: [], cola: 0, withGrants: 0 });
  }
  for (const d of state.drafts) {
    if (!d.current || d.child.RESTRICTED || !d.student) continue;
    const e = currentEnrolment(d.student.enrolments);
    const t = e ? byUrn.get(e.urn) : undefined;
    if (t) t.own.push(d);
  }
  const ownUpns = new Set(state.drafts.map((d) => d.student?.upn));
  for (const s of state.students) {
    if (ownUpns.has(s.upn) || !s.looked_after) continue;
    for (const e of s.enrolments) {
      if (e.leaving_date !== null) continue;
      const t = byUrn.get(e.urn);
      if (t) t.cola++;
    }
  }
  const granted = new Map<string, Set<string>>();
  for (const g of state.grants) {
    let set = granted.get(g.urn);
    if (!set) granted.set(g.urn, (set = new Set()));
    set.add(g.childId);
  }
  for (const t of byUrn.values()) t.withGrants = granted.get(t.info.school.urn)?.size ?? 0;
  return [...byUrn.values()];
}

/** The school the designated-teacher, teacher-ntk, teacher and governor personas work at. */
function bindSchool(state: PersonaState): SchoolInfo {
  const rng = state.ctx.rng.fork('personas:school');
  const tallies = tally(state);
  const size = (t: SchoolTally): number => t.own.length + t.cola;
  const ok = (t: SchoolTally): boolean => size(t) >= 3 && t.cola >= 1 && t.withGrants >= 1;
  const byUrn = (a: SchoolTally, b: SchoolTally): number =>
    a.info.school.urn < b.info.school.urn ? -1 : 1;
  const good = tallies.filter(ok).sort((a, b) => size(b) - size(a) || byUrn(a, b));
  if (good.length > 0) return good[0]!.info;

  let chosen = tallies
    .filter((t) => t.own.length > 0)
    .sort((a, b) => b.own.length - a.own.length || byUrn(a, b))[0];
  if (!chosen) chosen = adoptSchoolWithoutDt(state);
  const urn = chosen.info.school.urn;
  const staff = state.staff.bySchool.get(urn)!;
  // Enough looked-after pupils, one of them looked after by another authority.
  let cola = chosen.cola;
  for (let i = 0; cola < 1 || chosen.own.length + cola < 3; i++) {
    state.students.push(colaStudent(rng.fork(`cola-fix:${i}`), state.env, chosen.info));
    cola++;
  }
  if (chosen.withGrants === 0) {
    const child = chosen.own[0]!;
    const enrolment = currentEnrolment(child.student!.enrolments)!;
    state.grants.push(
      ...grantsFor(
        rng,
        state.ctx,
        child,
        enrolment,
        staff,
        state.pepsByChild.get(child.child.CHILD) ?? [],
        1,
        staff.teachers[0],
      ),
    );
  }
  return chosen.info;
}

/**
 * No school with a designated teacher has one of our pupils: give the school of our first
 * pupil on roll in the authority a designated teacher.
 */
function adoptSchoolWithoutDt(state: PersonaState): SchoolTally {
  const rng = state.ctx.rng.fork('personas:adopt-dt');
  for (const d of state.drafts) {
    if (!d.current || d.child.RESTRICTED || !d.student) continue;
    const e = currentEnrolment(d.student.enrolments);
    const info = e ? state.env.dir.byUrn.get(e.urn) : undefined;
    if (!e || !info || !info.inArea) continue;
    const staff = state.staff.bySchool.get(info.school.urn)!;
    const dt = state.staff.factory.make(
      rng,
      info,
      'DT',
      'Designated Teacher for Children Looked After',
    );
    staff.dt = dt;
    state.staff.staff.push(dt);
    state.staff.designatedTeachers.push({
      urn: info.school.urn,
      staff_id: dt.staff_id,
      title: dt.title,
      forename: dt.forename,
      surname: dt.surname,
      job_title: dt.job_title,
      email: dt.email,
      phone: '0151 496 0000',
      confirmed_on: state.ctx.asOf,
      updated_at: `${state.ctx.asOf}T09:00:00Z`,
    });
    const t = tally(state).find((x) => x.info.school.urn === info.school.urn)!;
    return t;
  }
  throw new Error(
    'Cannot bind the designated-teacher persona: no pupil of ours is on roll at any of our schools',
  );
}

function staffName(s: EdStaff): string {
  return `${s.title ? `${s.title} ` : ''}${s.forename} ${s.surname}`;
}

/** Binds every persona to the data, adjusting it where needed; call after grants are made. */
export function bindPersonas(state: PersonaState): Persona[] {
  const { ctx, staff } = state;
  const school = bindSchool(state);
  const urn = school.school.urn;
  const schoolStaff = staff.bySchool.get(urn)!;
  const dt = schoolStaff.dt!;

  // A teacher named on grants, and one named on none.
  const grantsByStaff = new Map<string, number>();
  for (const g of state.grants)
    grantsByStaff.set(g.staffId, (grantsByStaff.get(g.staffId) ?? 0) + 1);
  let named = schoolStaff.teachers
    .filter((t) => (grantsByStaff.get(t.staff_id) ?? 0) > 0)
    .sort(
      (a, b) =>
        grantsByStaff.get(b.staff_id)! - grantsByStaff.get(a.staff_id)! ||
        (a.staff_id < b.staff_id ? -1 : 1),
    )[0];
  if (!named) {
    const rng = ctx.rng.fork('personas:teacher-ntk');
    const holder = state.grants.find((g) => g.urn === urn)!;
    const child = state.drafts.find((d) => d.child.CHILD === holder.childId)!;
    const enrolment = currentEnrolment(child.student!.enrolments)!;
    named = schoolStaff.teachers[0]!;
    state.grants.push(
      ...grantsFor(
        rng,
        ctx,
        child,
        enrolment,
        schoolStaff,
        state.pepsByChild.get(child.child.CHILD) ?? [],
        1,
        named,
      ),
    );
    grantsByStaff.set(named.staff_id, 1);
  }
  let unnamed = schoolStaff.teachers.find((t) => !grantsByStaff.has(t.staff_id));
  if (!unnamed) {
    unnamed = staff.factory.make(
      ctx.rng.fork('personas:teacher'),
      school,
      'TEACHER',
      'Class Teacher',
    );
    schoolStaff.teachers.push(unnamed);
    staff.staff.push(unnamed);
  }
  const governor = schoolStaff.governors[0]!;

  const vso = largestCaseload(caseloads(state.drafts, 'VS_CASEWORKER_ID'));
  const vsoWorker = state.workforce.officers.find((w) => w.STAFF_ID === vso)!;
  const sw = state.workforce.socialWorkers.find((w) => w.STAFF_ID === state.socialWorkerId)!;
  const head = state.workforce.head;
  const la = ctx.la.code;
  const placing = placingAuthorityFor(la);
  const base = (
    name: Persona['name'],
    sub: string,
    displayName: string,
    roles: string[],
    urns: string[] = [],
  ) => ({
    name,
    sub,
    displayName,
    roles,
    la,
    urns,
    description: '',
  });
  const personas: Persona[] = [
    base('vsh', head.STAFF_ID, head.NAME, ['virtual-school-head']),
    base('vs-officer', vsoWorker.STAFF_ID, vsoWorker.NAME, ['virtual-school-officer']),
    base('social-worker', sw.STAFF_ID, sw.NAME, ['social-worker']),
    base('designated-teacher', dt.staff_id, staffName(dt), ['designated-teacher'], [urn]),
    base('teacher-ntk', named.staff_id, staffName(named), ['teacher'], [urn]),
    base('teacher', unnamed.staff_id, staffName(unnamed), ['teacher'], [urn]),
    base('governor', governor.staff_id, staffName(governor), ['governor'], [urn]),
    base('analyst', 'A900001', 'Performance analyst (children\u2019s services)', ['analyst']),
    base('finance-officer', 'F900001', 'Finance officer (Virtual School budget)', [
      'finance-officer',
    ]),
    {
      ...base(
        'placing-authority',
        placing.sub,
        `${authorityName(placing.code)} Virtual School (system client)`,
        ['placing-authority'],
      ),
      la: placing.code,
    },
    base('auditor', 'AU900001', 'Information governance auditor', ['auditor']),
  ];
  if (personas.map((p) => p.name).join() !== PERSONA_NAMES.join())
    throw new Error('persona list out of step');
  return personas;
}

/** Fills in each persona's description, with the number of children they should see. */
export function describePersonas(world: World): void {
  const schoolName = (urn: string | undefined): string =>
    world.education.schools.find((s) => s.urn === urn)?.name ?? 'their school';
  const la = world.la;
  for (const p of world.personas) {
    const n = expectedVisibleCount(world, p);
    const at = schoolName(p.urns[0]);
    const text: Record<Persona['name'], string> = {
      vsh: `Virtual School Head for ${la.name}: every child looked after by ${la.code}, restricted records included; should see ${n} children.`,
      'vs-officer': `Virtual school officer: their caseload, restricted records excluded; should see ${n} children.`,
      'social-worker': `Social worker: the children allocated to them, restricted records included; should see ${n} children.`,
      'designated-teacher': `Designated teacher at ${at}: looked-after pupils on roll there (ours and other authorities'), restricted excluded; should see ${n} children.`,
      'teacher-ntk': `Teacher at ${at} named on need-to-know grants: only those children; should see ${n} children.`,
      teacher: `Teacher at ${at} named on no need-to-know grant; should see ${n} children.`,
      governor: `Governor at ${at}: disclosure-controlled aggregates of that school only; ${n} individual records.`,
      analyst: `Analyst for ${la.name}: disclosure-controlled aggregates only; ${n} individual records.`,
      'finance-officer': `Finance officer for ${la.name}: id, name and funding of every current child looked after; should see ${n} children.`,
      'placing-authority': `${p.displayName}, with client credentials: the DT register and virtual school contacts only; ${n} individual records.`,
      auditor: `Auditor: the audit log for any child, no other child data; ${n} individual records.`,
    };
    p.description = text[p.name];
  }
}

/**
 * How many individual children a persona should be able to see, computed from the world by
 * the access policy (restricted records: only the VSH and the allocated social worker).
 */
export function expectedVisibleCount(world: World, persona: Persona): number {
  const children = world.socialCare.children;
  const currentIds = new Set(
    world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD),
  );
  const current = children.filter((c) => currentIds.has(c.CHILD));
  const restrictedUpns = new Set(children.filter((c) => c.RESTRICTED).map((c) => c.UPN));
  const restrictedIds = new Set(children.filter((c) => c.RESTRICTED).map((c) => c.CHILD));
  switch (persona.name) {
    case 'vsh':
    case 'finance-officer':
      return current.length;
    case 'vs-officer':
      return current.filter((c) => c.VS_CASEWORKER_ID === persona.sub && !c.RESTRICTED).length;
    case 'social-worker':
      return current.filter((c) => c.SW_ID === persona.sub).length;
    case 'designated-teacher': {
      const urns = new Set(persona.urns);
      return world.education.students.filter(
        (s) =>
          s.looked_after &&
          !restrictedUpns.has(s.upn) &&
          s.enrolments.some((e) => e.leaving_date === null && urns.has(e.urn)),
      ).length;
    }
    case 'teacher-ntk':
    case 'teacher':
      return new Set(
        world.needToKnow
          .filter(
            (g) =>
              g.staffId === persona.sub &&
              !restrictedIds.has(g.childId) &&
              currentIds.has(g.childId),
          )
          .map((g) => g.childId),
      ).size;
    default:
      return 0;
  }
}
