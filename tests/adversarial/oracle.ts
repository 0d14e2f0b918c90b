/**
 * The independent oracle: who may see which child, and which parts of the record, computed
 * from the seeded world (the data the simulators serve) and `shared/spec/access.md` alone.
 * Nothing here comes from the code under test's rule modules (lib/authz, the subgraphs'
 * permissions or field-category tables): the tables below are written from access.md's
 * Roles table and category list, and from the schema.
 */
import type { World } from '../../simulators/seed/world';

export const ROLES = [
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
  'teacher',
  'governor',
  'analyst',
  'finance-officer',
  'placing-authority',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * access.md's categories, with the two partial grants the Roles table makes spelled out:
 * ID_BASIC is "id and name only" (finance officer), CLASSROOM is what a teacher reads beyond
 * ID ("year group, the classroom support strategies the PEP shares with staff, the DT's
 * contact").
 */
export type Cat =
  | 'ID_BASIC'
  | 'ID'
  | 'CARE'
  | 'PLACEMENT'
  | 'ADDRESS'
  | 'PR'
  | 'EDU'
  | 'PEP'
  | 'FUNDING'
  | 'NTK'
  | 'CLASSROOM'
  | 'AUDIT';

const ALL_CHILD: Cat[] = [
  'ID_BASIC',
  'ID',
  'CARE',
  'PLACEMENT',
  'PR',
  'EDU',
  'PEP',
  'FUNDING',
  'NTK',
  'CLASSROOM',
];

/** access.md, Roles table, "may read" column (individual records). */
export const MAY_READ: Record<Role, readonly Cat[]> = {
  'virtual-school-head': [...ALL_CHILD, 'ADDRESS', 'AUDIT'],
  'virtual-school-officer': ALL_CHILD,
  'social-worker': [...ALL_CHILD, 'ADDRESS'],
  // FUNDING "for their school only": tolerated (may be null), never required.
  'designated-teacher': ALL_CHILD.filter((c) => c !== 'FUNDING'),
  teacher: ['ID_BASIC', 'ID', 'CLASSROOM'],
  governor: [],
  analyst: [],
  'finance-officer': ['ID_BASIC', 'FUNDING'],
  'placing-authority': [],
  auditor: ['AUDIT'],
};

/** Categories a role may return without the oracle requiring them (DT funding, own school only). */
const TOLERATED: Partial<Record<Role, readonly Cat[]>> = {
  'designated-teacher': ['FUNDING'],
};

export interface Caller {
  sub: string;
  roles: Role[];
  la: string;
  urns: string[];
}

/** IN: must be visible. MAYBE: may be visible (stricter product behaviour allowed). OUT: must not. */
export type Verdict = 'IN' | 'MAYBE' | 'OUT';

export interface ChildFacts {
  id: string;
  upn: string;
  forename: string;
  surname: string;
  current: boolean;
  restricted: boolean;
  swId: string | null;
  caseworkerId: string | null;
  legalStatus: string | null;
  placementType: string | null;
  outOfArea: boolean | null;
  uasc: boolean;
  age: number;
  /** URNs the child is on roll at now (single or main registration), and subsidiary ones. */
  rollUrns: string[];
  subsidiaryUrns: string[];
  /** The education system's census flag. */
  censusLookedAfter: boolean;
}

export interface ColaPupil {
  upn: string;
  forename: string;
  surname: string;
  rollUrns: string[];
}

/**
 * A need-to-know grant: one of our children by child id, or (issue 15) a pupil another
 * authority looks after, by UPN (our social care system has no record of them).
 */
export type NtkGrant = ({ childId: string } | { upn: string }) & {
  staffId: string;
  urn: string;
};

export function ageOn(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export class Oracle {
  readonly homeLa: string;
  readonly children: ChildFacts[];
  readonly childById: Map<string, ChildFacts>;
  readonly cola: ColaPupil[];
  readonly colaByUpn: Map<string, ColaPupil>;
  private readonly grants: NtkGrant[];
  /** Full names held by exactly one child or pupil (safe to search a response for). */
  readonly uniqueNames: Set<string>;

  constructor(
    readonly world: World,
    extraGrants: NtkGrant[] = [],
  ) {
    this.homeLa = world.la.code;
    const open = new Map<string, World['socialCare']['episodes'][number]>();
    for (const e of world.socialCare.episodes) if (e.DEC === null) open.set(e.CHILD, e);
    const students = new Map(world.education.students.map((s) => [s.upn, s]));
    this.children = world.socialCare.children.map((c) => {
      const episode = open.get(c.CHILD) ?? null;
      const student = students.get(c.UPN);
      const now = (student?.enrolments ?? []).filter((e) => e.leaving_date === null);
      return {
        id: c.CHILD,
        upn: c.UPN,
        forename: c.FORENAME,
        surname: c.SURNAME,
        current: episode !== null,
        restricted: c.RESTRICTED,
        swId: c.SW_ID,
        caseworkerId: c.VS_CASEWORKER_ID,
        legalStatus: episode?.LS ?? null,
        placementType: episode?.PLACE ?? null,
        outOfArea: episode ? episode.PL_LA !== this.homeLa : null,
        uasc: c.UASC,
        age: ageOn(c.DOB, world.asOf),
        rollUrns: now.filter((e) => e.enrolment_status !== 'S').map((e) => e.urn),
        subsidiaryUrns: now.filter((e) => e.enrolment_status === 'S').map((e) => e.urn),
        censusLookedAfter: student?.looked_after ?? false,
      };
    });
    this.childById = new Map(this.children.map((c) => [c.id, c]));
    const ours = new Set(this.children.map((c) => c.upn));
    this.cola = world.education.students
      .filter((s) => s.looked_after && s.looked_after_la !== this.homeLa && !ours.has(s.upn))
      .map((s) => ({
        upn: s.upn,
        forename: s.forename,
        surname: s.surname,
        rollUrns: s.enrolments.filter((e) => e.leaving_date === null).map((e) => e.urn),
      }));
    this.colaByUpn = new Map(this.cola.map((p) => [p.upn, p]));
    this.grants = [
      ...world.needToKnow.map((g) => ({ childId: g.childId, staffId: g.staffId, urn: g.urn })),
      ...extraGrants,
    ];
    const counts = new Map<string, number>();
    const names = [
      ...this.children.map((c) => `${c.forename} ${c.surname}`),
      ...world.education.students
        .filter((s) => !ours.has(s.upn))
        .map((s) => `${s.forename} ${s.surname}`),
      ...world.education.staff.map((s) => `${s.forename} ${s.surname}`),
      ...world.socialCare.workers.map((w) => w.NAME),
      ...world.socialCare.placements.map((p) => p.CARER_NAME),
      ...world.personas.map((p) => p.displayName),
    ];
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
    this.uniqueNames = new Set(names.filter((n) => counts.get(n) === 1));
  }

  addGrant(grant: NtkGrant): void {
    this.grants.push(grant);
  }

  /** Effective roles: authority first (access.md), another authority's token is a placing authority. */
  effectiveRoles(caller: Caller): Role[] {
    return caller.la === this.homeLa ? caller.roles : ['placing-authority'];
  }

  /** One role's scope for one of our children. */
  roleVerdict(role: Role, caller: Caller, child: ChildFacts): Verdict {
    const ceased = (v: Verdict): Verdict => (v === 'IN' && !child.current ? 'MAYBE' : v);
    switch (role) {
      case 'virtual-school-head':
        return ceased('IN');
      case 'virtual-school-officer':
        return !child.restricted && child.caseworkerId === caller.sub ? ceased('IN') : 'OUT';
      case 'social-worker':
        return child.swId === caller.sub ? ceased('IN') : 'OUT';
      case 'finance-officer':
        return child.restricted ? 'OUT' : ceased('IN');
      case 'designated-teacher': {
        if (child.restricted) return 'OUT';
        if (child.rollUrns.some((u) => caller.urns.includes(u)))
          return child.censusLookedAfter ? ceased('IN') : 'MAYBE';
        return child.subsidiaryUrns.some((u) => caller.urns.includes(u)) ? 'MAYBE' : 'OUT';
      }
      case 'teacher': {
        if (child.restricted) return 'OUT';
        // Only a grant by child id names one of our children (a UPN grant never does).
        const named = this.grants.some(
          (g) => 'childId' in g && g.childId === child.id && g.staffId === caller.sub,
        );
        if (!named) return 'OUT';
        // The product also asks that the child be on roll at the teacher's school: allowed.
        const onRoll = child.rollUrns.some((u) => caller.urns.includes(u));
        return onRoll && child.censusLookedAfter ? ceased('IN') : 'MAYBE';
      }
      default:
        return 'OUT';
    }
  }

  verdict(caller: Caller, child: ChildFacts): Verdict {
    let best: Verdict = 'OUT';
    for (const role of this.effectiveRoles(caller)) {
      const v = this.roleVerdict(role, caller, child);
      if (v === 'IN') return 'IN';
      if (v === 'MAYBE') best = 'MAYBE';
    }
    return best;
  }

  /**
   * Categories the caller may read about this child: the union over its roles r of r's
   * categories when the child is in r's scope. `sure` only counts IN roles and leaves out the
   * tolerated ones (what the caller must be able to read); `possible` what it may.
   */
  readable(caller: Caller, child: ChildFacts): { sure: Set<Cat>; possible: Set<Cat> } {
    const sure = new Set<Cat>();
    const possible = new Set<Cat>();
    for (const role of this.effectiveRoles(caller)) {
      const v = this.roleVerdict(role, caller, child);
      if (v === 'OUT') continue;
      for (const c of MAY_READ[role]) {
        possible.add(c);
        if (v === 'IN') sure.add(c);
      }
      for (const c of TOLERATED[role] ?? []) possible.add(c);
    }
    return { sure, possible };
  }

  /** The grants of other authorities' pupils, by UPN. */
  pupilGrants(): Array<{ upn: string; staffId: string; urn: string }> {
    return this.grants.flatMap((g) =>
      'upn' in g ? [{ upn: g.upn, staffId: g.staffId, urn: g.urn }] : [],
    );
  }

  /** Staff named on a need-to-know grant of another authority's pupil (by UPN). */
  pupilGrantStaff(): Array<{ staffId: string; urn: string }> {
    return this.grants.filter((g) => 'upn' in g).map((g) => ({ staffId: g.staffId, urn: g.urn }));
  }

  /**
   * The roles whose scope holds a pupil another authority looks after, on a roll (access.md):
   * the designated teacher of a school they are on roll at ("children looked after (by any
   * LA) on roll at the caller's school(s)"), and a teacher at such a school whose need-to-know
   * list for the pupil (kept by UPN, issue 15) names them. Nobody of the virtual school: they
   * are not our children.
   */
  colaRoles(caller: Caller, pupil: ColaPupil): Role[] {
    if (!pupil.rollUrns.some((u) => caller.urns.includes(u))) return [];
    const roles: Role[] = [];
    for (const role of this.effectiveRoles(caller)) {
      if (role === 'designated-teacher') roles.push(role);
      if (
        role === 'teacher' &&
        this.grants.some((g) => 'upn' in g && g.upn === pupil.upn && g.staffId === caller.sub)
      )
        roles.push(role);
    }
    return roles;
  }

  colaVerdict(caller: Caller, pupil: ColaPupil): Verdict {
    return this.colaRoles(caller, pupil).length > 0 ? 'IN' : 'OUT';
  }

  /** Roles pair with their own scope: the union of the categories of the roles that hold the pupil. */
  colaReadable(caller: Caller, pupil: ColaPupil): Set<Cat> {
    return new Set(this.colaRoles(caller, pupil).flatMap((role) => MAY_READ[role]));
  }

  /** May the caller change this pupil's need-to-know list (by UPN)? Their school's DT only. */
  colaNtkChangeable(caller: Caller, pupil: ColaPupil): boolean {
    return this.colaRoles(caller, pupil).includes('designated-teacher');
  }

  /** Whether any effective role of the caller may read the category (for anyone at all). */
  anyRoleMayRead(caller: Caller, cat: Cat): boolean {
    return this.effectiveRoles(caller).some(
      (r) => MAY_READ[r].includes(cat) || (TOLERATED[r] ?? []).includes(cat),
    );
  }

  hasEffective(caller: Caller, role: Role): boolean {
    return this.effectiveRoles(caller).includes(role);
  }
}

/** ChildFilter, as the schema has it. */
export interface ChildFilter {
  legalStatus?: string[];
  placementType?: string[];
  placedOutOfArea?: boolean;
  uasc?: boolean;
  minAge?: number;
  maxAge?: number;
  includeCeased?: boolean;
}

/** "Arguments are reads": the category each filter field reads (access.md). */
export function filterCategories(filter: ChildFilter | undefined): Cat[] {
  if (!filter) return [];
  const cats = new Set<Cat>();
  if (filter.legalStatus !== undefined || filter.uasc !== undefined || filter.includeCeased)
    cats.add('CARE');
  if (filter.placementType !== undefined || filter.placedOutOfArea !== undefined)
    cats.add('PLACEMENT');
  if (filter.minAge !== undefined || filter.maxAge !== undefined) cats.add('ID');
  return [...cats];
}

/** The filter's meaning, on the world's data (the social care system's own semantics). */
export function matchesFilter(child: ChildFacts, filter: ChildFilter | undefined): boolean {
  const f = filter ?? {};
  if (!child.current && !f.includeCeased) return false;
  if (f.legalStatus && !f.legalStatus.includes(child.legalStatus ?? '')) return false;
  if (f.placementType && !f.placementType.includes(child.placementType ?? '')) return false;
  if (f.placedOutOfArea !== undefined && child.outOfArea !== f.placedOutOfArea) return false;
  if (f.uasc !== undefined && child.uasc !== f.uasc) return false;
  if (f.minAge !== undefined && child.age < f.minAge) return false;
  if (f.maxAge !== undefined && child.age > f.maxAge) return false;
  return true;
}
