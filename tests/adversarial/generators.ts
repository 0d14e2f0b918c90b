/**
 * Random callers and random operations, built from the seeded world (real staff ids, real
 * URNs, real codes) and the schema's entry points.
 */
import fc from 'fast-check';
import type { World } from '../../simulators/seed/world';
import {
  CHILD_FIELD_KEYS,
  NTK_PUPIL_FIELDS,
  PUPIL_FIELDS,
  PUPIL_FIELD_KEYS,
  childSelection,
  type ChildField,
  type PupilField,
} from './fields';
import { ROLES, type Caller, type ChildFilter, type Oracle, type Role } from './oracle';

/** An id no child has (7 digits, so well-formed). */
export const NONEXISTENT_ID = '1999999';
export const OTHER_LAS = ['359', '999'];

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

export interface Pools {
  subs: {
    socialWorkers: string[];
    caseworkers: string[];
    heads: string[];
    designatedTeachers: Array<{ sub: string; urn: string }>;
    namedTeachers: Array<{ sub: string; urn: string }>;
    otherStaff: Array<{ sub: string; urn: string }>;
    others: string[];
  };
  urns: { inArea: string[]; outOfArea: string[] };
  childIds: { current: string[]; ceased: string[]; restricted: string[] };
  colaUpns: string[];
  legalStatuses: string[];
  placementTypes: string[];
  personas: World['personas'];
}

export function poolsFrom(world: World, oracle: Oracle): Pools {
  const staffUrn = new Map(world.education.staff.map((s) => [s.staff_id, s.urn]));
  // Named on a list by child id (the seed's) or, for other authorities' pupils, by UPN.
  const named = uniq([
    ...world.needToKnow.map((g) => g.staffId),
    ...oracle.pupilGrantStaff().map((g) => g.staffId),
  ]);
  const dts = world.education.designatedTeachers
    .filter((d) => d.staff_id !== null)
    .map((d) => ({ sub: d.staff_id!, urn: d.urn }));
  const episodes = world.socialCare.episodes;
  return {
    subs: {
      socialWorkers: uniq(
        world.socialCare.children.map((c) => c.SW_ID).filter((x): x is string => !!x),
      ),
      caseworkers: uniq(
        world.socialCare.children.map((c) => c.VS_CASEWORKER_ID).filter((x): x is string => !!x),
      ),
      heads: world.socialCare.workers.filter((w) => w.ROLE === 'VSH').map((w) => w.STAFF_ID),
      designatedTeachers: dts,
      namedTeachers: named.map((sub) => ({ sub, urn: staffUrn.get(sub) ?? '' })),
      otherStaff: world.education.staff
        .filter((s) => s.role !== 'DT' && !named.includes(s.staff_id))
        .slice(0, 20)
        .map((s) => ({ sub: s.staff_id, urn: s.urn })),
      others: uniq([...world.personas.map((p) => p.sub), 'X0000001', 'client:la-999-system']),
    },
    urns: {
      inArea: world.education.schools.filter((s) => s.la_code === oracle.homeLa).map((s) => s.urn),
      outOfArea: world.education.schools
        .filter((s) => s.la_code !== oracle.homeLa)
        .map((s) => s.urn),
    },
    childIds: {
      current: oracle.children.filter((c) => c.current && !c.restricted).map((c) => c.id),
      ceased: oracle.children.filter((c) => !c.current).map((c) => c.id),
      restricted: oracle.children.filter((c) => c.restricted).map((c) => c.id),
    },
    colaUpns: oracle.cola.map((p) => p.upn),
    legalStatuses: uniq([...episodes.map((e) => e.LS), 'J1', 'J2', 'J3']).sort(),
    placementTypes: uniq(episodes.map((e) => e.PLACE)).sort(),
    personas: world.personas,
  };
}

/**
 * A caller: who (a real staff id with the role they really hold, their school; or anyone) and
 * a token that may claim that role or others (1 to 3 roles), for this authority or another,
 * with their own school's URN or not, and other schools' URNs.
 */
export function callerArb(pools: Pools, homeLa: string): fc.Arbitrary<Caller> {
  const s = pools.subs;
  type Who = { sub: string; ownUrn: string | null; role: Role | null };
  const staff = (xs: Array<{ sub: string; urn: string }>, role: Role) =>
    fc.constantFrom(...xs).map((x): Who => ({ sub: x.sub, ownUrn: x.urn, role }));
  const plain = (xs: string[], role: Role | null) =>
    fc.constantFrom(...xs).map((sub): Who => ({ sub, ownUrn: null, role }));
  const persona = (name: string, role: Role) => {
    const p = pools.personas.find((x) => x.name === name)!;
    return fc.constant<Who>({ sub: p.sub, ownUrn: p.urns[0] ?? null, role });
  };
  const who = fc.oneof(
    { weight: 3, arbitrary: plain(s.socialWorkers, 'social-worker') },
    { weight: 2, arbitrary: plain(s.caseworkers, 'virtual-school-officer') },
    { weight: 1, arbitrary: plain(s.heads, 'virtual-school-head') },
    { weight: 3, arbitrary: staff(s.designatedTeachers, 'designated-teacher') },
    { weight: 3, arbitrary: staff(s.namedTeachers, 'teacher') },
    { weight: 1, arbitrary: staff(s.otherStaff, 'teacher') },
    { weight: 2, arbitrary: persona('finance-officer', 'finance-officer') },
    { weight: 1, arbitrary: persona('governor', 'governor') },
    { weight: 1, arbitrary: persona('analyst', 'analyst') },
    { weight: 1, arbitrary: persona('auditor', 'auditor') },
    { weight: 1, arbitrary: persona('placing-authority', 'placing-authority') },
    { weight: 1, arbitrary: plain(s.others, null) },
  );
  const anyUrn = fc.constantFrom(...pools.urns.inArea, ...pools.urns.outOfArea);
  return fc
    .record({
      who,
      ownRole: fc.boolean(),
      otherRoles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 0, maxLength: 2 }),
      la: fc.oneof(
        { weight: 3, arbitrary: fc.constant(homeLa) },
        { weight: 1, arbitrary: fc.constantFrom(...OTHER_LAS) },
      ),
      ownSchool: fc.boolean(),
      otherUrns: fc.uniqueArray(anyUrn, { maxLength: 2 }),
    })
    .map(({ who, ownRole, otherRoles, la, ownSchool, otherUrns }): Caller => {
      let roles = uniq([...(ownRole && who.role ? [who.role] : []), ...otherRoles]);
      if (roles.length === 0) roles = [who.role ?? 'teacher'];
      return {
        sub: who.sub,
        roles: roles.slice(0, 3),
        la,
        urns: uniq([...(ownSchool && who.ownUrn ? [who.ownUrn] : []), ...otherUrns]),
      };
    });
}

export type Operation =
  | { kind: 'child'; id: string; fields: ChildField[] }
  | { kind: 'children'; first: number; pages: number; filter?: ChildFilter; fields: ChildField[] }
  | { kind: 'school'; urn: string; pupilFields: PupilField[]; childFields: ChildField[] | null }
  | { kind: 'ntk'; action: 'grant' | 'revoke'; childId: string }
  | { kind: 'ntkByUpn'; action: 'grant' | 'revoke'; upn: string }
  | { kind: 'ntkPupils' }
  | { kind: 'accessLog'; filter: { childId?: string; upn?: string; actor?: string }; first: number }
  | { kind: 'cohortReport'; filter: Record<string, unknown>; breakdown: string[] }
  | {
      kind: 'designatedTeachers';
      first: number;
      localAuthority?: readonly string[];
      history: boolean;
    }
  | { kind: 'chase' }
  | { kind: 'updateDesignatedTeacher'; urn: string }
  | { kind: 'rest'; path: string }
  | { kind: 'alerts'; first: number; filter: { childId?: string; types?: string[] } };

export function childIdArb(pools: Pools): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...pools.childIds.current) },
    { weight: 1, arbitrary: fc.constantFrom(...pools.childIds.ceased) },
    { weight: 2, arbitrary: fc.constantFrom(...pools.childIds.restricted) },
    { weight: 1, arbitrary: fc.constant(NONEXISTENT_ID) },
  );
}

const childFieldsArb = fc.uniqueArray(fc.constantFrom(...CHILD_FIELD_KEYS), {
  minLength: 1,
  maxLength: 6,
});

export function filterArb(pools: Pools): fc.Arbitrary<ChildFilter> {
  return fc.record(
    {
      legalStatus: fc.uniqueArray(fc.constantFrom(...pools.legalStatuses), {
        minLength: 1,
        maxLength: 3,
      }),
      placementType: fc.uniqueArray(fc.constantFrom(...pools.placementTypes), {
        minLength: 1,
        maxLength: 3,
      }),
      placedOutOfArea: fc.boolean(),
      uasc: fc.boolean(),
      minAge: fc.integer({ min: 0, max: 18 }),
      maxAge: fc.integer({ min: 5, max: 25 }),
      includeCeased: fc.boolean(),
    },
    { requiredKeys: [] },
  );
}

export function childOpArb(pools: Pools): fc.Arbitrary<Operation> {
  return fc.record({
    kind: fc.constant('child' as const),
    id: childIdArb(pools),
    fields: childFieldsArb,
  });
}

export function childrenOpArb(pools: Pools, withFilter: 'sometimes' | 'always' = 'sometimes') {
  return fc
    .record({
      first: fc.constantFrom(200, 1, 3, 25),
      pages: fc.integer({ min: 1, max: 2 }),
      filter:
        withFilter === 'always'
          ? filterArb(pools)
          : fc.option(filterArb(pools), { nil: undefined }),
      fields: childFieldsArb,
    })
    .map((r): Operation => ({
      kind: 'children',
      ...r,
      ...(r.filter ? {} : { filter: undefined }),
    }));
}

export function schoolOpArb(pools: Pools, oracle: Oracle): fc.Arbitrary<Operation> {
  // Schools with looked-after pupils on roll, ours or other authorities'.
  const withPupils = uniq([
    ...oracle.children.flatMap((c) => c.rollUrns),
    ...oracle.cola.flatMap((p) => p.rollUrns),
  ]);
  return fc.record({
    kind: fc.constant('school' as const),
    urn: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...withPupils) },
      { weight: 1, arbitrary: fc.constantFrom(...pools.urns.inArea, ...pools.urns.outOfArea) },
    ),
    pupilFields: fc.uniqueArray(fc.constantFrom(...PUPIL_FIELD_KEYS), { maxLength: 4 }),
    childFields: fc.option(childFieldsArb, { nil: null }),
  });
}

export function ntkOpArb(pools: Pools): fc.Arbitrary<Operation> {
  return fc.record({
    kind: fc.constant('ntk' as const),
    action: fc.constantFrom('grant' as const, 'revoke' as const),
    childId: childIdArb(pools),
  });
}

/** A UPN no pupil has (well-formed). */
export const NONEXISTENT_UPN = 'Z99999999999Z';

/**
 * Need-to-know changes by UPN (issue 15): other authorities' pupils, our own children's UPNs
 * (refused on this path: their list is by child id) and a UPN nobody has.
 */
export function ntkByUpnOpArb(pools: Pools, oracle: Oracle): fc.Arbitrary<Operation> {
  const ours = oracle.children.map((c) => c.upn).filter((upn) => !upn.startsWith('UN'));
  return fc.record({
    kind: fc.constant('ntkByUpn' as const),
    action: fc.constantFrom('grant' as const, 'revoke' as const),
    upn: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...pools.colaUpns) },
      { weight: 2, arbitrary: fc.constantFrom(...ours) },
      { weight: 1, arbitrary: fc.constant(NONEXISTENT_UPN) },
    ),
  });
}

/** A teacher's other-authority pupils on their need-to-know lists (`needToKnowPupils`). */
export function ntkPupilsOpArb(): fc.Arbitrary<Operation> {
  return fc.constant<Operation>({ kind: 'ntkPupils' });
}

const DIMENSIONS = [
  'AGE_BAND',
  'KEY_STAGE',
  'PLACEMENT_TYPE',
  'LEGAL_STATUS',
  'LOCATION',
  'GENDER',
  'SEN_STATUS',
  'SCHOOL',
];

export function entryPointGroups(pools: Pools, oracle: Oracle) {
  const anyUrn = fc.constantFrom(...pools.urns.inArea, ...pools.urns.outOfArea);
  const reportFilter = fc
    .record(
      {
        schoolUrn: anyUrn,
        uasc: fc.boolean(),
        location: fc.constantFrom('IN_AUTHORITY', 'OUT_OF_AUTHORITY'),
        legalStatus: fc.constantFrom(
          'FULL_CARE_ORDER',
          'SECTION_20',
          'YOUTH_JUSTICE',
          'PLACEMENT_ORDER',
        ),
        placementType: fc.constantFrom(
          'FOSTER',
          'CHILDRENS_HOMES_AND_SECURE',
          'PLACED_FOR_ADOPTION',
        ),
        ageBand: fc.constantFrom('AGE_10_TO_15', 'AGE_16_AND_OVER', 'AGE_5_TO_9'),
      },
      { requiredKeys: [] },
    )
    .map((f) => ({ academicYear: '2025/26', ...f }));
  const breakdown = fc.uniqueArray(fc.constantFrom(...DIMENSIONS), { maxLength: 2 });
  const toQuery = (f: Record<string, unknown>, b: string[]) =>
    new URLSearchParams({
      ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)])),
      ...(b.length ? { breakdown: b.join(',') } : {}),
    }).toString();
  const allChildIds = [...pools.childIds.current, ...pools.childIds.restricted];
  const accessLog = fc.oneof<fc.Arbitrary<Operation>[]>(
    fc.record({
      kind: fc.constant('accessLog' as const),
      filter: fc.oneof<fc.Arbitrary<{ childId?: string; upn?: string; actor?: string }>[]>(
        fc.record({ childId: fc.constantFrom(...allChildIds) }),
        fc.record({ upn: fc.constantFrom(...pools.colaUpns) }),
        fc.record({ actor: fc.constantFrom(...pools.subs.designatedTeachers.map((d) => d.sub)) }),
        fc.constant({}),
      ),
      first: fc.constantFrom(50, 500),
    }),
    fc
      .constantFrom(...allChildIds)
      .map((id): Operation => ({ kind: 'rest', path: `/audit/children/${id}/access-log.csv` })),
  );
  const reports = fc.oneof<fc.Arbitrary<Operation>[]>(
    fc.record({ kind: fc.constant('cohortReport' as const), filter: reportFilter, breakdown }),
    fc
      .tuple(fc.constantFrom('csv', 'json'), reportFilter, breakdown)
      .map(([ext, f, b]): Operation => ({
        kind: 'rest',
        path: `/reports/cohort.${ext}?${toQuery(f, b)}`,
      })),
  );
  const register = fc.oneof<fc.Arbitrary<Operation>[]>(
    fc.record({
      kind: fc.constant('designatedTeachers' as const),
      first: fc.constantFrom(500, 10),
      localAuthority: fc.option(
        fc.constant([...new Set(oracle.world.education.schools.map((s) => s.la_code))]),
        { nil: undefined },
      ),
      history: fc.boolean(),
    }),
    fc.constant({ kind: 'chase' as const }),
    fc.record({ kind: fc.constant('updateDesignatedTeacher' as const), urn: anyUrn }),
    fc
      .constantFrom('csv', 'json')
      .map((ext): Operation => ({ kind: 'rest', path: `/register/designated-teachers.${ext}` })),
  );
  return { accessLog, reports, register };
}

/** The alerts of the caller, unfiltered, about one child (any, in scope or not), or of some types. */
export function alertsOpArb(pools: Pools): fc.Arbitrary<Operation> {
  return fc.record({
    kind: fc.constant('alerts' as const),
    first: fc.constantFrom(10, 500),
    filter: fc.oneof<fc.Arbitrary<{ childId?: string; types?: string[] }>[]>(
      fc.constant({}),
      fc.record({ childId: childIdArb(pools) }),
      fc.record({
        types: fc.uniqueArray(
          fc.constantFrom(
            'PEP_OVERDUE',
            'PEP_DUE_SOON',
            'NO_SCHOOL_PLACE',
            'ATTENDANCE_BELOW_THRESHOLD',
            'SCHOOL_WITHOUT_DESIGNATED_TEACHER',
            'ABSENT_TODAY',
          ),
          { minLength: 1, maxLength: 3 },
        ),
      }),
    ),
  });
}

export function entryPointOpArb(pools: Pools, oracle: Oracle): fc.Arbitrary<Operation> {
  const { accessLog, reports, register } = entryPointGroups(pools, oracle);
  return fc.oneof(accessLog, reports, register);
}

/** The GraphQL text and variables of an operation. */
export function render(
  op: Operation,
  after?: string,
): { query: string; variables: Record<string, unknown> } {
  switch (op.kind) {
    case 'child':
      return {
        query: `query AdversarialChild($id: ID!) { child(id: $id) { ${childSelection(op.fields)} } }`,
        variables: { id: op.id },
      };
    case 'children':
      return {
        query: `query AdversarialChildren($first: Int, $after: String, $filter: ChildFilter) { children(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${childSelection(op.fields)} } } } }`,
        variables: {
          first: op.first,
          ...(after ? { after } : {}),
          ...(op.filter ? { filter: op.filter } : {}),
        },
      };
    case 'school': {
      const pupil = ['upn', ...op.pupilFields.map((f) => PUPIL_FIELDS[f].selection)];
      if (op.childFields) pupil.push(`child { ${childSelection(op.childFields)} }`);
      return {
        query: `query AdversarialSchool($urn: ID!) { school(urn: $urn) { urn name inAuthority lookedAfterPupils { ${pupil.join(' ')} } } }`,
        variables: { urn: op.urn },
      };
    }
    case 'ntk':
      return op.action === 'grant'
        ? {
            query: `mutation AdversarialGrant($input: GrantNeedToKnowInput!) { grantNeedToKnow(input: $input) { changed grant { urn staffMember { staffId name } } } }`,
            variables: {
              input: { childId: op.childId, staffId: 'E999999', reason: 'adversarial probe' },
            },
          }
        : {
            query: `mutation AdversarialRevoke($input: RevokeNeedToKnowInput!) { revokeNeedToKnow(input: $input) { changed grant { urn staffMember { staffId name } } } }`,
            variables: {
              input: { childId: op.childId, staffId: 'E999999', reason: 'adversarial probe' },
            },
          };
    case 'ntkByUpn': {
      const verb = op.action === 'grant' ? 'grant' : 'revoke';
      const input = verb === 'grant' ? 'GrantNeedToKnowByUpnInput' : 'RevokeNeedToKnowByUpnInput';
      return {
        query: `mutation AdversarialByUpn($input: ${input}!) { ${verb}NeedToKnowByUpn(input: $input) { changed grant { urn staffMember { staffId name } } } }`,
        variables: { input: { upn: op.upn, staffId: 'E999999', reason: 'adversarial probe' } },
      };
    }
    case 'ntkPupils':
      return {
        query: `query AdversarialNtkPupils { needToKnowPupils { ${Object.values(NTK_PUPIL_FIELDS)
          .map((f) => f.selection)
          .join(' ')} } }`,
        variables: {},
      };
    case 'accessLog':
      return {
        query: `query AdversarialAccessLog($filter: AccessLogFilter, $first: Int) { accessLog(filter: $filter, first: $first) { totalCount edges { node { requestId childId subjectUpn categories actor { sub la } } } } }`,
        variables: { filter: op.filter, first: op.first },
      };
    case 'cohortReport':
      return {
        query: `query AdversarialReport($filter: CohortFilter!, $breakdown: [CohortDimension!]) { cohortReport(filter: $filter, breakdown: $breakdown) { referenceDate measuredTo suppressedTotalOnly total { children { status marker value } } cells { bands { dimension code label } children { status marker value } measures { measure lookedAfter { status marker value numerator denominator } } } } }`,
        variables: { filter: op.filter, breakdown: op.breakdown },
      };
    case 'designatedTeachers':
      return {
        query: `query AdversarialRegister($first: Int, $filter: DesignatedTeacherFilter) { designatedTeachers(first: $first, filter: $filter) { totalCount edges { node { urn schoolName inAuthority localAuthority { code } designatedTeacher { name workEmail } virtualSchoolContact { name } ${op.history ? 'history { changedBy }' : ''} } } } }`,
        variables: {
          first: op.first,
          ...(op.localAuthority ? { filter: { localAuthority: op.localAuthority } } : {}),
        },
      };
    case 'chase':
      return {
        query: `query AdversarialChase { designatedTeachersToChase { reason entry { urn inAuthority } } }`,
        variables: {},
      };
    case 'updateDesignatedTeacher':
      return {
        query: `mutation AdversarialUpdateDt($input: UpdateDesignatedTeacherInput!) { updateDesignatedTeacher(input: $input) { changed entry { urn } } }`,
        variables: { input: { urn: op.urn, confirm: true } },
      };
    case 'rest':
      return { query: `GET ${op.path}`, variables: {} };
    case 'alerts':
      return {
        query: `query AdversarialAlerts($first: Int, $filter: AlertFilter) { alerts(first: $first, filter: $filter) { edges { node { id type category child { id name { displayName } } school { urn } facts { name value } } } } }`,
        variables: { first: op.first, filter: op.filter },
      };
  }
}
