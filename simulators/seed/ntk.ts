/**
 * Need-to-know grants: for about 40% of this authority's current pupils on roll at its own
 * schools (not restricted, and only where the school has a designated teacher), 1-3 teachers
 * or the SENCO the child and the DT agreed may know the child is looked after.
 */
import type { EdEnrolment, EdStaff } from '../../upstream/education/contract';
import type { ScPep } from '../../upstream/social-care/contract';
import type { ChildDraft } from './children';
import { maxDate, randomDate, type SeedContext } from './context';
import { weighted, type Rng } from './random';
import type { SchoolStaff } from './staff';
import type { NeedToKnowGrant } from './world';

export const NTK_REASONS = [
  'Child agreed at PEP meeting',
  'Child asked for their class teacher to know',
  'SENCO coordinating the support plan',
  'Key adult for daily check-ins',
  'Carer and child agreed at transition meeting',
] as const;

/** The open main enrolment (C or M) of a pupil, if any. */
export function currentEnrolment(enrolments: readonly EdEnrolment[]): EdEnrolment | null {
  return enrolments.find((e) => e.leaving_date === null && e.enrolment_status !== 'S') ?? null;
}

/** Grants for one child at their current school (none when the school has no DT). */
export function grantsFor(
  rng: Rng,
  ctx: SeedContext,
  draft: ChildDraft,
  enrolment: EdEnrolment,
  staff: SchoolStaff,
  peps: readonly ScPep[],
  count: number,
  only?: EdStaff,
): NeedToKnowGrant[] {
  if (!staff.dt) return [];
  const pool = [...staff.teachers, staff.senco];
  const named = only ? [only] : rng.sample(pool, Math.min(count, pool.length));
  const since = maxDate(enrolment.entry_date, draft.careStart);
  const pepAtSchool = peps.filter((p) => p.SCHOOL_URN === enrolment.urn && p.MEETING_DATE >= since);
  return named.map((s) => {
    const atPep = pepAtSchool.length > 0 && rng.chance(0.6);
    const grantedAt = atPep ? rng.pick(pepAtSchool).MEETING_DATE : randomDate(rng, since, ctx.asOf);
    return {
      childId: draft.child.CHILD,
      staffId: s.staff_id,
      urn: enrolment.urn,
      grantedBy: staff.dt!.staff_id,
      grantedAt,
      reason: atPep
        ? NTK_REASONS[0]
        : s.role === 'SENCO'
          ? NTK_REASONS[2]
          : rng.pick([NTK_REASONS[1], NTK_REASONS[3], NTK_REASONS[4]]),
    };
  });
}

export function generateGrants(
  ctx: SeedContext,
  drafts: readonly ChildDraft[],
  staffBySchool: Map<string, SchoolStaff>,
  pepsByChild: Map<string, ScPep[]>,
): NeedToKnowGrant[] {
  const rng = ctx.rng.fork('ntk');
  const grants: NeedToKnowGrant[] = [];
  for (const d of drafts) {
    if (!d.current || d.child.RESTRICTED || !d.student) continue;
    const enrolment = currentEnrolment(d.student.enrolments);
    if (!enrolment) continue;
    const staff = staffBySchool.get(enrolment.urn);
    if (!staff || !staff.dt) continue;
    if (!rng.chance(0.4)) continue;
    const n = weighted(rng, [
      [1, 55],
      [2, 30],
      [3, 15],
    ]);
    grants.push(
      ...grantsFor(rng, ctx, d, enrolment, staff, pepsByChild.get(d.child.CHILD) ?? [], n),
    );
  }
  return grants;
}
