/**
 * The education subgraph over real HTTP: the education simulator serving the tiny world on a
 * free port, the social care simulator beside it (scope facts come from social care), the
 * subgraph pointed at both, and GraphQL posted straight to the subgraph with gateway-signed
 * tokens, as the gateway's query planner would. The simulators' counters prove the batching.
 */
import type { EdDesignatedTeacher, EdSchool } from '../../upstream/education/contract';
import type { ScChild } from '../../upstream/social-care/contract';
import { tinyWorld } from '../../tests/support/tiny-world';
import { listen, type RunningServer as SubgraphServer } from '../../lib/http/http-server';
import { forbidden } from '../../lib/errors';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { Caller, Role } from '../../identity/caller';
import {
  caller,
  createTestIdentity,
  grantsReader,
  type TestIdentity,
} from '../../tests/support/identity';
import { memoryDesignatedTeacherHistory } from '../../tests/support/designated-teacher-history';
import { memoryVirtualSchoolDirectory } from '../../tests/support/virtual-school-directory';
import { memoryPlacedPupils } from '../../tests/support/placed-pupils';
import {
  startTinySimulators,
  subgraphClient,
  type GraphQLResponse,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import type { EducationConfig } from './config';
import { createEducationSubgraph } from './subgraph';

const API_KEY = 'education-test-key-0123456789';
const SOCIAL_CARE_KEY = 'social-care-test-key-0123456789';
/** The shield's refusal of a field, as every subgraph words it (lib/errors). */
const FORBIDDEN_MESSAGE = forbidden().message;
/** How the scope facts are read: one social care search per 500 children. */
const FACTS_SEARCH = 'POST /api/v1/children/search';

/** Three more schools, each with a designated teacher, so one request can ask for six. */
function extraSchools(): { schools: EdSchool[]; teachers: EdDesignatedTeacher[] } {
  const urns = ['100004', '100005', '100006'];
  return {
    schools: urns.map((urn, index) => ({
      urn,
      laestab: `340200${index + 2}`,
      name: `Extra School ${index + 1}`,
      phase: 'PRIMARY',
      type: 'COMMUNITY',
      la_code: '340',
      la_name: 'Knowsley',
      postcode: 'L34 1ZZ',
      updated_at: '2025-09-01T08:00:00Z',
    })),
    teachers: urns.map((urn, index) => ({
      urn,
      staff_id: `STX00${index}`,
      title: null,
      forename: 'Sam',
      surname: `Teacher${index}`,
      job_title: 'Designated Teacher',
      email: `dt${index}@extra.example`,
      phone: '0151 496 0000',
      confirmed_on: '2025-09-01',
      updated_at: '2025-09-01T08:00:00Z',
    })),
  };
}

/** A pupil whose record names a school the system does not hold (a child of ours). */
const ORPHAN_UPN = 'B340200118009';
const ORPHAN_ID = '1000009';

/**
 * Children of ours at schools outside the authority (domain.md, "Schools outside the
 * authority"): Pennine Way sends the Virtual School no returns; Moorside sent its latest on
 * 7 November.
 */
const PENNINE_WAY = '100007';
const MOORSIDE = '100008';
const NO_RETURN_UPN = 'R340200118011';
const NO_RETURN_ID = '1000011';
const RETURNS_UPN = 'M340200118012';
const RETURNS_ID = '1000012';

/** Children of ours with an education record and no enrolment, to fill batches past 500. */
const SYNTHETIC_CHILDREN = 520;
const syntheticUpn = (n: number) => `S${String(n).padStart(12, '0')}`;
const syntheticId = (n: number) => String(2_000_000 + n);

/** Staff of the tiny world's schools (see tests/support/tiny-world.ts). */
const BROOKFIELD = '100001';
const HOLLIN_VALE = '100002';
const MARSH_LANE = '100003';
/** A teacher at Brookfield whom Ava's (and the restricted Noah's) need-to-know list names. */
const NTK_TEACHER = 'T100';

const AVA = 'A340200118001';
const JONAS = 'P340200118002';
/** Restricted: the virtual school head and the allocated social worker (SW001) only. */
const NOAH = 'D340200119004';
/** Looked after by Wigan (359), on roll at Hollin Vale. */
const MIA = 'Z359400117005';

/**
 * `Child` is joined by social care id (`CHILD` in tests/support/tiny-world.ts); the
 * subgraph finds the UPN in social care's facts.
 */
const AVA_ID = '1000001';
const JONAS_ID = '1000002';
/** Leah: social care records no UPN for her (UN1). */
const LEAH_ID = '1000003';
const NOAH_ID = '1000004';
/**
 * Mia's case as another authority's (Wigan's) record in social care: known there, on roll at
 * Hollin Vale, but never a `Child` this subgraph answers for (not looked after by us).
 */
const MIA_ID = '1000010';

let simulators: TestSimulators;
let subgraph: SubgraphApp;
let server: SubgraphServer;
let identity: TestIdentity;
/** The virtual school head: every child of the authority, every category. */
let vshToken: string;

const resetStats = () => simulators.resetStats('education', 'socialCare');
const stats = () => simulators.stats('education');
const setFaults = (faults: Record<string, number>) => simulators.setFaults('education', faults);

/** A gateway-signed token for this subgraph. */
const tokenFor = (roles: Role[], overrides: Partial<Caller> = {}) =>
  identity.tokenFor(caller(roles, overrides), 'education');

const { graphql } = subgraphClient(
  () => server.url,
  () => vshToken,
);

/** Upstream requests to the education system in this test, after a reset. */
async function requests(): Promise<Record<string, number>> {
  return (await stats()).byRoute;
}

/** Scope-fact searches social care answered in this test. */
async function factSearches(): Promise<number> {
  const sc = await simulators.stats('socialCare');
  return sc.byRoute[FACTS_SEARCH] ?? 0;
}

beforeAll(async () => {
  const world = tinyWorld();
  const extra = extraSchools();
  world.education.schools.push(...extra.schools);
  world.education.designatedTeachers.push(...extra.teachers);
  const ava = world.education.students[0]!;
  const avaCase: ScChild = world.socialCare.children.find((child) => child.CHILD === '1000001')!;
  world.education.students.push({
    ...ava,
    upn: ORPHAN_UPN,
    enrolments: [
      {
        urn: '100099',
        year_group: '5',
        entry_date: '2024-09-02',
        leaving_date: null,
        enrolment_status: 'C',
      },
    ],
  });
  world.socialCare.children.push({ ...avaCase, CHILD: ORPHAN_ID, UPN: ORPHAN_UPN });
  const jonas = world.education.students.find((student) => student.upn === JONAS)!;
  const marshLane = world.education.schools.find((school) => school.urn === MARSH_LANE)!;
  world.education.schools.push(
    { ...marshLane, urn: PENNINE_WAY, laestab: '3594002', name: 'Pennine Way Academy' },
    { ...marshLane, urn: MOORSIDE, laestab: '3594003', name: 'Moorside High School' },
  );
  const elsewhere = (urn: string) => [
    {
      urn,
      year_group: '11',
      entry_date: '2024-09-04',
      leaving_date: null,
      enrolment_status: 'C' as const,
    },
  ];
  world.education.students.push(
    {
      ...jonas,
      upn: NO_RETURN_UPN,
      enrolments: elsewhere(PENNINE_WAY),
      coverage: { source: 'NO_RETURN', latest_return_on: null },
      attendance: null,
      exclusions: null,
      attainment: null,
    },
    {
      ...jonas,
      upn: RETURNS_UPN,
      enrolments: elsewhere(MOORSIDE),
      coverage: { source: 'SCHOOL_RETURN', latest_return_on: '2025-11-07' },
      attendance: {
        academic_year: '2025/26',
        from: '2025-09-01',
        to: '2025-11-07',
        codes: { '/': 42, '\\': 42, N: 6 },
      },
      exclusions: [
        {
          category: 'FIXED',
          urn: MOORSIDE,
          start_date: '2025-10-20',
          sessions: 2,
          reasons: ['PA'],
        },
      ],
      attainment: {
        ks2: [
          { year: '2022', reading_scaled: 97, maths_scaled: 99, writing_ta: 'WTS' },
          { year: '2023', reading_scaled: 103, maths_scaled: 101, writing_ta: 'EXS' },
        ],
        ks4: [],
      },
    },
  );
  world.socialCare.children.push(
    { ...avaCase, CHILD: NO_RETURN_ID, UPN: NO_RETURN_UPN },
    { ...avaCase, CHILD: RETURNS_ID, UPN: RETURNS_UPN },
  );
  world.socialCare.children.push({
    ...avaCase,
    CHILD: MIA_ID,
    UPN: MIA,
    FORENAME: 'Mia',
    SURNAME: 'Kowal',
    LA: '359',
  });
  for (let n = 0; n < SYNTHETIC_CHILDREN; n += 1) {
    world.education.students.push({ ...ava, upn: syntheticUpn(n), enrolments: [] });
    world.socialCare.children.push({
      ...avaCase,
      CHILD: syntheticId(n),
      UPN: syntheticUpn(n),
    });
  }
  simulators = await startTinySimulators(world, {
    education: API_KEY,
    socialCare: SOCIAL_CARE_KEY,
  });
  identity = await createTestIdentity();
  vshToken = await tokenFor(['virtual-school-head'], { sub: 'VSH001' });
  const config: EducationConfig = {
    port: 0,
    education: {
      baseUrl: simulators.urls.education,
      apiKey: API_KEY,
      timeoutMs: 2_000,
      deadlineMs: 3_000,
      retries: 1,
    },
    laCode: '340',
    asOf: '2025-11-14',
    production: false,
    scope: {
      homeLa: '340',
      socialCare: { baseUrl: simulators.urls.socialCare, apiKey: SOCIAL_CARE_KEY },
      education: { baseUrl: simulators.urls.education, apiKey: API_KEY },
      timeoutMs: 2_000,
      deadlineMs: 3_000,
      gatewayJwksUrl: 'http://127.0.0.1:1/unused',
    },
  };
  // Ava's and Noah's need-to-know lists name the teacher (Noah's record is restricted).
  const grants = grantsReader({ [NTK_TEACHER]: ['1000001', '1000004'] });
  subgraph = await createEducationSubgraph(config, {
    ...identity.security('education', grants),
    stores: {
      designatedTeacherHistory: memoryDesignatedTeacherHistory(),
      virtualSchoolDirectory: memoryVirtualSchoolDirectory(),
      placedPupils: memoryPlacedPupils(),
    },
  });
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close(100);
  await subgraph?.stop();
  await simulators?.close();
});

beforeEach(async () => {
  await resetStats();
});

const CHILD_ENTITIES = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Child {
        id
        education {
          yearGroup
          currentSchool {
            urn
            name
            inAuthority
          }
          enrolments {
            school {
              urn
              name
            }
            registration
            entryDate
            leavingDate
          }
          attendance {
            possibleSessions
            attendedSessions
            ratePercent
            persistentAbsence
          }
          exclusions {
            kind
            sessions
            reasons {
              code
              label
            }
            school {
              urn
            }
          }
          sen {
            status
            primaryNeed {
              code
              label
            }
          }
        }
      }
    }
  }
`;

/** A well-formed social care id the tiny world does not hold. */
const unknownId = (n: number) => String(9_000_000 + n);
/** `Child` representations, as the gateway's query planner sends them: by social care id. */
const childRefs = (...ids: string[]) => ids.map((id) => ({ __typename: 'Child', id }));

describe('Child references', () => {
  it('resolves 50 references with one facts search and one students/batch (schools side-loaded)', async () => {
    const known = [AVA_ID, JONAS_ID, NOAH_ID];
    const unknown = Array.from({ length: 46 }, (_, i) => unknownId(i));
    // Leah is known to social care, but with no UPN (UN1): the education system cannot know her.
    const representations = childRefs(...known, ...unknown, LEAH_ID);
    expect(representations).toHaveLength(50);

    const result = await graphql(CHILD_ENTITIES, { r: representations });

    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities as ({
      id: string;
      education: Record<string, unknown> | null;
    } | null)[];
    expect(entities).toHaveLength(50);
    // Unknown children (and Leah) are null entities, exactly as children out of scope are.
    expect(entities.slice(0, 3).map((entity) => entity?.id)).toEqual(known);
    expect(entities.slice(3).every((entity) => entity === null)).toBe(true);

    const jonas = entities[1]?.education;
    expect(jonas).toMatchObject({
      yearGroup: '11',
      currentSchool: { urn: '100003', name: 'Marsh Lane High School', inAuthority: false },
      enrolments: [
        { school: { urn: '100003' }, registration: 'SINGLE', leavingDate: null },
        { school: { urn: '100002', name: 'Hollin Vale Academy' }, leavingDate: '2025-01-31' },
      ],
      attendance: {
        possibleSessions: 100,
        attendedSessions: 86,
        ratePercent: 86,
        persistentAbsence: true,
      },
      exclusions: [
        {
          kind: 'SUSPENSION',
          sessions: 4,
          reasons: [{ code: 'PA', label: 'Physical assault against an adult' }],
          school: { urn: '100002' },
        },
      ],
      sen: {
        status: 'EHC_PLAN',
        primaryNeed: { code: 'SEMH', label: 'Social, emotional and mental health' },
      },
    });

    // The education system is asked only about the three children in scope; the schools their
    // records name come in the same request (include=schools,designated_teachers).
    expect(await factSearches()).toBe(1);
    expect(await requests()).toEqual({ 'POST /v1/students/batch': 1 });
  });

  it('answers schools and designated teachers from the students/batch, with no more requests', async () => {
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Child {
              id
              designatedTeacher {
                name
              }
              education {
                currentSchool {
                  urn
                  name
                  designatedTeacher {
                    name
                  }
                }
                enrolments {
                  school {
                    urn
                    name
                  }
                }
                exclusions {
                  school {
                    name
                  }
                }
              }
            }
          }
        }
      `,
      { r: childRefs(AVA_ID, JONAS_ID) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toMatchObject([
      {
        id: AVA_ID,
        designatedTeacher: { name: 'Mr Owen Price' },
        education: {
          currentSchool: { urn: '100001', designatedTeacher: { name: 'Mr Owen Price' } },
        },
      },
      {
        id: JONAS_ID,
        // Marsh Lane has no designated teacher on record: null, as the single look-up answers.
        designatedTeacher: null,
        education: {
          currentSchool: {
            urn: '100003',
            name: 'Marsh Lane High School',
            designatedTeacher: null,
          },
          enrolments: [
            { school: { urn: '100003' } },
            { school: { urn: '100002', name: 'Hollin Vale Academy' } },
          ],
          exclusions: [{ school: { name: 'Hollin Vale Academy' } }],
        },
      },
    ]);
    expect(await requests()).toEqual({ 'POST /v1/students/batch': 1 });
  });

  it('splits more than 500 references into batches of 500', async () => {
    const representations = childRefs(
      ...Array.from({ length: SYNTHETIC_CHILDREN }, (_, i) => syntheticId(i)),
      ...Array.from({ length: 1_001 - SYNTHETIC_CHILDREN }, (_, i) => unknownId(i)),
    );
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Child {
              id
              education {
                yearGroup
              }
            }
          }
        }
      `,
      { r: representations },
    );
    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities as unknown[];
    expect(entities.length).toBe(1_001);
    expect(entities.filter((entity) => entity !== null)).toHaveLength(SYNTHETIC_CHILDREN);
    // 1,001 ids to social care (500 + 500 + 1), then the 520 in scope to education (500 + 20).
    expect(await factSearches()).toBe(3);
    expect(await requests()).toEqual({ 'POST /v1/students/batch': 2 });
  });

  it('answers malformed ids (a UPN among them) with null and no upstream call', async () => {
    const representations = [
      ...childRefs('100000', '10000001', 'a000001', '', ' 1000001', AVA, 'UN1'),
      { __typename: 'Child', upn: AVA },
    ];
    const result = await graphql(CHILD_ENTITIES, { r: representations });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual(representations.map(() => null));
    expect(await requests()).toEqual({});
    expect(await factSearches()).toBe(0);
  });

  it('answers a child with no UPN on record (UN1) with null, asking education nothing', async () => {
    const result = await graphql(CHILD_ENTITIES, { r: childRefs(LEAH_ID) });
    expect(result).toEqual({ status: 200, data: { _entities: [null] } });
    expect(await factSearches()).toBe(1);
    expect(await requests()).toEqual({});
  });

  it('answers another authority’s child, even one in the caller’s scope, with null', async () => {
    // Hollin Vale's DT sees Mia on the roll (COLA), but she is no `Child` of ours.
    const dt = await tokenFor(['designated-teacher'], { sub: 'ST2001', urns: [HOLLIN_VALE] });
    for (const token of [vshToken, dt]) {
      const result = await graphql(CHILD_ENTITIES, { r: childRefs(MIA_ID) }, token);
      expect(result).toEqual({ status: 200, data: { _entities: [null] } });
    }
    // The DT's roll is read whatever the child, as for one in or out of their scope: no
    // answer comes sooner for a child that is not there (timing is a channel).
    expect(await requests()).toEqual({ 'GET /v1/schools/:urn/students': 1 });
  });

  it('fails a pupil whose record names an unknown school with NOT_FOUND, not a 500', async () => {
    const result = await graphql(CHILD_ENTITIES, { r: childRefs(ORPHAN_ID) });
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([{ id: ORPHAN_ID, education: null }]);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(result.errors?.[0]?.message).toBe(
      'A school named in this record is not in the education system.',
    );
  });
});

describe('where the education data come from', () => {
  const QUERY = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          id
          education {
            currentSchool {
              urn
              inAuthority
            }
            dataSource {
              source
              latestReturnOn
              missing
            }
            attendance {
              to
              possibleSessions
            }
            exclusions {
              kind
              startDate
            }
            attainment {
              ks2 {
                year
                academicYear
              }
              ks2Results {
                year
                academicYear
                expectedStandardRwm
              }
              ks4Results {
                year
              }
            }
          }
        }
      }
    }
  `;
  type Entity = { id: string; education: Record<string, unknown> };

  it.each([
    {
      name: 'a school of this authority: everything, from its feed',
      id: AVA_ID,
      expected: {
        currentSchool: { urn: BROOKFIELD, inAuthority: true },
        dataSource: { source: 'LA_FEED', latestReturnOn: null, missing: [] },
        attendance: { to: '2025-11-14', possibleSessions: 100 },
        exclusions: [],
      },
    },
    {
      name: 'a school elsewhere with returns: attendance and exclusions to the latest return',
      id: RETURNS_ID,
      expected: {
        currentSchool: { urn: MOORSIDE, inAuthority: false },
        dataSource: { source: 'SCHOOL_RETURN', latestReturnOn: '2025-11-07', missing: [] },
        attendance: { to: '2025-11-07', possibleSessions: 90 },
        exclusions: [{ kind: 'SUSPENSION', startDate: '2025-10-20' }],
      },
    },
    {
      name: 'a school elsewhere that sent no return: nothing held, and said so',
      id: NO_RETURN_ID,
      expected: {
        currentSchool: { urn: PENNINE_WAY, inAuthority: false },
        dataSource: {
          source: 'NO_RETURN',
          latestReturnOn: null,
          missing: ['ATTENDANCE', 'EXCLUSIONS', 'ATTAINMENT'],
        },
        // Null, never zero sessions or an empty list that would read as "no exclusions".
        attendance: null,
        exclusions: null,
        attainment: { ks2: null, ks2Results: [], ks4Results: [] },
      },
    },
  ])('$name', async ({ id, expected }) => {
    const result = await graphql(QUERY, { r: childRefs(id) });
    expect(result.errors).toBeUndefined();
    const [entity] = result.data?._entities as Entity[];
    expect(entity).toMatchObject({ id, education: expected });
  });

  it('lists KS2 results of two years, each naming its academic year, the latest as ks2', async () => {
    const result = await graphql(QUERY, { r: childRefs(RETURNS_ID) });
    const [entity] = result.data?._entities as Entity[];
    expect(entity!.education.attainment).toEqual({
      ks2: { year: '2023', academicYear: '2022/23' },
      ks2Results: [
        { year: '2022', academicYear: '2021/22', expectedStandardRwm: false },
        { year: '2023', academicYear: '2022/23', expectedStandardRwm: true },
      ],
      ks4Results: [],
    });
  });

  it('refuses the data source to whoever may not read the education record, as its siblings', async () => {
    const teacher = await tokenFor(['teacher'], { sub: NTK_TEACHER, urns: [BROOKFIELD] });
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Child {
              education {
                dataSource {
                  source
                }
              }
            }
          }
        }
      `,
      { r: childRefs(AVA_ID) },
      teacher,
    );
    expect(result.data?._entities).toEqual([{ education: null }]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 0, 'education'],
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
  });
});

describe('schools', () => {
  it('looks a school up by URN, null when unknown', async () => {
    const result = await graphql(/* GraphQL */ `
      {
        known: school(urn: "100001") {
          urn
          laestab
          name
          phase
          type
          localAuthority {
            code
            name
          }
          inAuthority
        }
        unknown: school(urn: "999999") {
          urn
        }
      }
    `);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      known: {
        urn: '100001',
        laestab: '3402001',
        name: 'Brookfield Primary School',
        phase: 'PRIMARY',
        type: 'COMMUNITY',
        localAuthority: { code: '340', name: 'Knowsley' },
        inAuthority: true,
      },
      unknown: null,
    });
    expect(await requests()).toEqual({ 'POST /v1/schools/batch': 1 });
  });

  it('rejects a malformed URN as BAD_USER_INPUT without asking the system', async () => {
    const result = await graphql(/* GraphQL */ `
      {
        school(urn: "12345") {
          urn
        }
      }
    `);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ school: null });
    expect(result.errors).toEqual([
      {
        message: '`urn` must be a school URN: 6 digits.',
        path: ['school'],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    expect(await requests()).toEqual({});
  });

  it('resolves School references in one schools/batch request, null for unknown or malformed', async () => {
    const urns = ['100001', '100002', '100003', '999999', 'x1'];
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on School {
              urn
              name
            }
          }
        }
      `,
      { r: urns.map((urn) => ({ __typename: 'School', urn })) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { urn: '100001', name: 'Brookfield Primary School' },
      { urn: '100002', name: 'Hollin Vale Academy' },
      { urn: '100003', name: 'Marsh Lane High School' },
      null,
      null,
    ]);
    expect(await requests()).toEqual({ 'POST /v1/schools/batch': 1 });
  });

  it('fetches designated teachers one GET per school for a few schools', async () => {
    const result = await graphql(/* GraphQL */ `
      {
        a: school(urn: "100001") {
          designatedTeacher {
            name
            jobTitle
            workEmail
            workPhone
            confirmedOn
          }
        }
        b: school(urn: "100003") {
          designatedTeacher {
            name
          }
        }
      }
    `);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      a: {
        designatedTeacher: {
          name: 'Mr Owen Price',
          jobTitle: 'Designated Teacher for Looked After Children',
          workEmail: 'o.price@brookfield.example',
          workPhone: '0151 496 3001',
          confirmedOn: '2025-09-10',
        },
      },
      // Marsh Lane has none on record: the system answers 404.
      b: { designatedTeacher: null },
    });
    expect(await requests()).toEqual({
      'POST /v1/schools/batch': 1,
      'GET /v1/schools/:urn/designated-teacher': 2,
    });
  });

  it('reads the designated-teacher list once when many schools are asked for', async () => {
    const urns = ['100001', '100002', '100003', '100004', '100005', '100006'];
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on School {
              urn
              designatedTeacher {
                name
              }
            }
          }
        }
      `,
      { r: urns.map((urn) => ({ __typename: 'School', urn })) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { urn: '100001', designatedTeacher: { name: 'Mr Owen Price' } },
      { urn: '100002', designatedTeacher: { name: 'Ms Priya Shah' } },
      { urn: '100003', designatedTeacher: null },
      { urn: '100004', designatedTeacher: { name: 'Sam Teacher0' } },
      { urn: '100005', designatedTeacher: { name: 'Sam Teacher1' } },
      { urn: '100006', designatedTeacher: { name: 'Sam Teacher2' } },
    ]);
    expect(await requests()).toEqual({
      'POST /v1/schools/batch': 1,
      'GET /v1/designated-teachers': 1,
    });
  });
});

describe('looked-after pupils on roll', () => {
  const PUPILS = /* GraphQL */ `
    query ($urn: ID!) {
      school(urn: $urn) {
        lookedAfterPupils {
          upn
          name {
            forename
            surname
            preferred
            displayName
          }
          yearGroup
          lookedAfterBy {
            code
            name
          }
          education {
            currentSchool {
              urn
            }
            sen {
              status
            }
          }
          child {
            id
            education {
              yearGroup
            }
          }
        }
      }
    }
  `;

  type Pupil = { upn: string; child: { id: string } | null };
  const upnsOf = (result: GraphQLResponse) =>
    (result.data?.school as { lookedAfterPupils: Pupil[] | null } | null)?.lookedAfterPupils?.map(
      (pupil) => pupil.upn,
    );

  it('shows the school’s DT another authority’s pupils (COLA), not linked to social care', async () => {
    const dt = await tokenFor(['designated-teacher'], { sub: 'ST2001', urns: [HOLLIN_VALE] });
    const result = await graphql(PUPILS, { urn: HOLLIN_VALE }, dt);
    expect(result.errors).toBeUndefined();
    // K340400116006 is on roll but not looked after: the list leaves him out.
    expect(result.data).toEqual({
      school: {
        lookedAfterPupils: [
          {
            upn: MIA,
            name: { forename: 'Mia', surname: 'Kowal', preferred: null, displayName: 'Mia Kowal' },
            yearGroup: '10',
            lookedAfterBy: { code: '359', name: 'Wigan' },
            education: { currentSchool: { urn: '100002' }, sen: { status: 'NONE' } },
            child: null,
          },
        ],
      },
    });
    // The roll once for the list and once for the DT's scope; social care is not asked about
    // another authority's child.
    expect(await requests()).toEqual({
      'POST /v1/schools/batch': 1,
      'GET /v1/schools/:urn/students': 2,
    });
    expect(await factSearches()).toBe(0);
  });

  it('never lists a restricted child to the school’s DT', async () => {
    const dt = await tokenFor(['designated-teacher'], { sub: 'ST1002', urns: [BROOKFIELD] });
    const result = await graphql(PUPILS, { urn: BROOKFIELD }, dt);
    expect(result.errors).toBeUndefined();
    const pupils = (result.data?.school as { lookedAfterPupils: Pupil[] }).lookedAfterPupils;
    // Noah (D340200119004) is on roll here too, but his record is restricted.
    expect(pupils.map((pupil) => [pupil.upn, pupil.child])).toEqual([
      [AVA, { id: AVA_ID, education: { yearGroup: '5' } }],
    ]);
    expect(await factSearches()).toBe(1);
  });

  it('shows the virtual school head this authority’s pupils only, restricted ones too', async () => {
    const brookfield = await graphql(PUPILS, { urn: BROOKFIELD });
    expect(brookfield.errors).toBeUndefined();
    const pupils = (brookfield.data?.school as { lookedAfterPupils: Pupil[] }).lookedAfterPupils;
    expect(pupils.map((pupil) => [pupil.upn, pupil.child])).toEqual([
      [AVA, { id: AVA_ID, education: { yearGroup: '5' } }],
      [NOAH, { id: NOAH_ID, education: { yearGroup: '1' } }],
    ]);
    // One facts search for the whole roll; no students/batch: the list primed the pupil loader.
    expect(await factSearches()).toBe(1);
    expect(await requests()).toEqual({
      'POST /v1/schools/batch': 1,
      'GET /v1/schools/:urn/students': 1,
    });

    // Mia is Wigan's child: not ours to see.
    const hollinVale = await graphql(PUPILS, { urn: HOLLIN_VALE });
    expect(hollinVale.errors).toBeUndefined();
    expect(upnsOf(hollinVale)).toEqual([]);
  });

  it('reads the scope facts of several schools’ rolls in one search', async () => {
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on School {
              urn
              lookedAfterPupils {
                upn
              }
            }
          }
        }
      `,
      { r: [BROOKFIELD, HOLLIN_VALE, MARSH_LANE].map((urn) => ({ __typename: 'School', urn })) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { urn: BROOKFIELD, lookedAfterPupils: [{ upn: AVA }, { upn: NOAH }] },
      { urn: HOLLIN_VALE, lookedAfterPupils: [] },
      { urn: MARSH_LANE, lookedAfterPupils: [{ upn: JONAS }] },
    ]);
    expect(await factSearches()).toBe(1);
  });

  // A rule cached per request (graphql-shield's 'contextual') would give every school the
  // first school's answer: the DT of one school would read every roll in the same request.
  it('decides the DT rule per school, not once per request', async () => {
    const dt = await tokenFor(['designated-teacher'], { sub: 'ST1002', urns: [BROOKFIELD] });
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on School {
              urn
              lookedAfterPupils {
                upn
              }
            }
          }
        }
      `,
      { r: [BROOKFIELD, HOLLIN_VALE].map((urn) => ({ __typename: 'School', urn })) },
      dt,
    );
    expect(result.data?._entities).toEqual([
      { urn: BROOKFIELD, lookedAfterPupils: [{ upn: AVA }] },
      { urn: HOLLIN_VALE, lookedAfterPupils: null },
    ]);
    expect(result.errors).toEqual([
      {
        message: FORBIDDEN_MESSAGE,
        path: ['_entities', 1, 'lookedAfterPupils'],
        extensions: { code: 'FORBIDDEN' },
      },
    ]);
  });

  it('refuses the roll to a DT of another school and to a teacher, keeping the rest', async () => {
    const otherDt = await tokenFor(['designated-teacher'], { sub: 'ST2001', urns: [HOLLIN_VALE] });
    const teacher = await tokenFor(['teacher'], { sub: NTK_TEACHER, urns: [BROOKFIELD] });
    for (const token of [otherDt, teacher]) {
      const result = await graphql(
        /* GraphQL */ `
          query ($urn: ID!) {
            school(urn: $urn) {
              name
              lookedAfterPupils {
                upn
              }
            }
          }
        `,
        { urn: BROOKFIELD },
        token,
      );
      expect(result.data).toEqual({
        school: { name: 'Brookfield Primary School', lookedAfterPupils: null },
      });
      expect(result.errors).toEqual([
        {
          message: FORBIDDEN_MESSAGE,
          path: ['school', 'lookedAfterPupils'],
          extensions: { code: 'FORBIDDEN' },
        },
      ]);
    }
    // Refused before the roll was read.
    expect(await requests()).toEqual({ 'POST /v1/schools/batch': 2 });
  });
});

describe('identity', () => {
  const QUERY = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          id
          education {
            yearGroup
          }
        }
      }
    }
  `;
  const R = { r: childRefs(AVA_ID) };

  const refusals: [string, () => Promise<string | null>][] = [
    ['no token', async () => null],
    ['a token that is not a JWT', async () => 'not-a-token'],
    [
      'a token signed by another key',
      async () =>
        (await createTestIdentity()).tokenFor(caller(['virtual-school-head']), 'education'),
    ],
    [
      'a token for another subgraph',
      async () => identity.tokenFor(caller(['virtual-school-head']), 'social-care'),
    ],
  ];

  it.each(refusals)('answers %s with 401, no data and no upstream call', async (_name, token) => {
    const result = await graphql(QUERY, R, await token());
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      { message: 'Authentication required.', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(await requests()).toEqual({});
    expect(await factSearches()).toBe(0);
  });
});

describe('scope', () => {
  const QUERY = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          id
          yearGroup
        }
      }
    }
  `;
  const refs = (...ids: string[]) => ({ r: childRefs(...ids) });
  const visible = (result: GraphQLResponse) =>
    (result.data?._entities as ({ id: string } | null)[]).map((entity) => entity?.id ?? null);

  it('answers a child out of scope exactly as an unknown one: null, no error', async () => {
    const stranger = await tokenFor(['social-worker'], { sub: 'SW999' });
    const outOfScope = await graphql(QUERY, refs(AVA_ID), stranger);
    const unknown = await graphql(QUERY, refs(unknownId(1)), stranger);
    expect(outOfScope).toEqual({ status: 200, data: { _entities: [null] } });
    expect(unknown).toEqual(outOfScope);
    // Nothing was read from the education system for either.
    expect(await requests()).toEqual({});
  });

  it('shows a social worker their allocated children, restricted ones too', async () => {
    const sw = await tokenFor(['social-worker'], { sub: 'SW001' });
    const result = await graphql(QUERY, refs(AVA_ID, JONAS_ID, NOAH_ID, MIA_ID), sw);
    expect(result.errors).toBeUndefined();
    expect(visible(result)).toEqual([AVA_ID, null, NOAH_ID, null]);
  });

  it('shows a virtual school officer their caseload, without restricted records', async () => {
    const vso = await tokenFor(['virtual-school-officer'], { sub: 'VSO001' });
    const result = await graphql(QUERY, refs(AVA_ID, JONAS_ID, NOAH_ID), vso);
    expect(result.errors).toBeUndefined();
    expect(visible(result)).toEqual([AVA_ID, JONAS_ID, null]);
  });

  it('shows a DT the unrestricted children on roll at their school only', async () => {
    const dt = await tokenFor(['designated-teacher'], { sub: 'ST1002', urns: [BROOKFIELD] });
    const result = await graphql(QUERY, refs(AVA_ID, JONAS_ID, NOAH_ID, MIA_ID), dt);
    expect(result.errors).toBeUndefined();
    // Mia is on roll elsewhere, and is not a Child this authority looks after anyway.
    expect(visible(result)).toEqual([AVA_ID, null, null, null]);
  });

  it('shows a teacher nobody without a need-to-know grant', async () => {
    const ungranted = await tokenFor(['teacher'], { sub: 'T999', urns: [BROOKFIELD] });
    const result = await graphql(QUERY, refs(AVA_ID, NOAH_ID), ungranted);
    expect(result).toEqual({ status: 200, data: { _entities: [null, null] } });
  });

  it('batches scope with a school roll: one facts search, one roll, one students/batch', async () => {
    const dt = await tokenFor(['designated-teacher'], { sub: 'ST1002', urns: [BROOKFIELD] });
    const ids = [AVA_ID, NOAH_ID, JONAS_ID, ...Array.from({ length: 47 }, (_, i) => unknownId(i))];
    const result = await graphql(QUERY, refs(...ids), dt);
    expect(result.errors).toBeUndefined();
    expect(visible(result).filter((id) => id !== null)).toEqual([AVA_ID]);
    expect(await factSearches()).toBe(1);
    expect(await requests()).toEqual({
      'GET /v1/schools/:urn/students': 1,
      'POST /v1/students/batch': 1,
    });
  });
});

describe('categories', () => {
  const QUERY = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          yearGroup
          designatedTeacher {
            name
            workEmail
          }
          education {
            yearGroup
          }
        }
      }
    }
  `;
  const refs = (...ids: string[]) => ({ r: childRefs(...ids) });
  const forbiddenAt = (...path: (string | number)[]) => ({
    message: FORBIDDEN_MESSAGE,
    path,
    extensions: { code: 'FORBIDDEN' },
  });
  const OWEN_PRICE = { name: 'Mr Owen Price', workEmail: 'o.price@brookfield.example' };

  it('shows a teacher on the need-to-know list the year group and DT, not the education record', async () => {
    const teacher = await tokenFor(['teacher'], { sub: NTK_TEACHER, urns: [BROOKFIELD] });
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Child {
              id
              yearGroup
              designatedTeacher {
                name
                workEmail
              }
              education {
                yearGroup
              }
            }
          }
        }
      `,
      refs(AVA_ID, NOAH_ID),
      teacher,
    );
    expect(result.status).toBe(200);
    // Noah is on the teacher's list too, but restricted: he does not exist for them.
    expect(result.data?._entities).toEqual([
      { id: AVA_ID, yearGroup: '5', designatedTeacher: OWEN_PRICE, education: null },
      null,
    ]);
    expect(result.errors).toEqual([forbiddenAt('_entities', 0, 'education')]);
  });

  it('shows a finance officer none of a child’s education', async () => {
    const financeOfficer = await tokenFor(['finance-officer'], { sub: 'FO001' });
    const result = await graphql(QUERY, refs(AVA_ID), financeOfficer);
    expect(result.data?._entities).toEqual([
      { yearGroup: null, designatedTeacher: null, education: null },
    ]);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        forbiddenAt('_entities', 0, 'yearGroup'),
        forbiddenAt('_entities', 0, 'designatedTeacher'),
        forbiddenAt('_entities', 0, 'education'),
      ]),
    );
    expect(result.errors).toHaveLength(3);
  });

  // What the gateway needs: the key it joins by is readable to a finance officer (ID_BASIC),
  // so the entity resolves and the education field carries its own FORBIDDEN error, rather
  // than the whole join failing silently on a key (the UPN) they may not read.
  it('joins a finance officer’s child by id: education null with FORBIDDEN on its path', async () => {
    const financeOfficer = await tokenFor(['finance-officer'], { sub: 'FO001' });
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Child {
              education {
                yearGroup
              }
            }
          }
        }
      `,
      { r: [{ __typename: 'Child', id: AVA_ID }] },
      financeOfficer,
    );
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([{ education: null }]);
    expect(result.errors).toEqual([forbiddenAt('_entities', 0, 'education')]);
  });

  it('shows the virtual school head everything; a school with no DT on record gives null', async () => {
    const result = await graphql(QUERY, refs(AVA_ID, JONAS_ID));
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { yearGroup: '5', designatedTeacher: OWEN_PRICE, education: { yearGroup: '5' } },
      { yearGroup: '11', designatedTeacher: null, education: { yearGroup: '11' } },
    ]);
  });

  it('lets the DT register’s readers read a school’s DT, and no one else', async () => {
    const query = /* GraphQL */ `
      query ($r: [_Any!]!) {
        _entities(representations: $r) {
          ... on School {
            name
            designatedTeacher {
              name
            }
          }
        }
      }
    `;
    const r = { r: [{ __typename: 'School', urn: BROOKFIELD }] };
    const placing = await graphql(query, r, await tokenFor(['placing-authority'], { la: '359' }));
    expect(placing.errors).toBeUndefined();
    expect(placing.data?._entities).toEqual([
      { name: 'Brookfield Primary School', designatedTeacher: { name: 'Mr Owen Price' } },
    ]);

    for (const role of ['finance-officer', 'auditor', 'analyst'] as const) {
      const result = await graphql(query, r, await tokenFor([role]));
      expect({ role, data: result.data }).toEqual({
        role,
        data: { _entities: [{ name: 'Brookfield Primary School', designatedTeacher: null }] },
      });
      expect(result.errors).toEqual([forbiddenAt('_entities', 0, 'designatedTeacher')]);
    }
  });

  it('refuses `school` to roles with no business with schools', async () => {
    for (const role of ['auditor', 'analyst'] as const) {
      const result = await graphql(
        `{ school(urn: "${BROOKFIELD}") { name } }`,
        {},
        await tokenFor([role]),
      );
      expect(result.data).toEqual({ school: null });
      expect(result.errors).toEqual([forbiddenAt('school')]);
    }
    const governor = await graphql(
      `{ school(urn: "${BROOKFIELD}") { name } }`,
      {},
      await tokenFor(['governor'], { urns: [BROOKFIELD] }),
    );
    expect(governor).toEqual({
      status: 200,
      data: { school: { name: 'Brookfield Primary School' } },
    });
  });
});

describe('health', () => {
  it('is ready when the education system answers', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
  });
});

// Last: after it the client's circuit breaker may be open for a while.
describe('upstream failure', () => {
  afterEach(async () => {
    await setFaults({ errorRate: 0 });
  });

  it('fails the field with UPSTREAM_UNAVAILABLE naming the system, never its URL', async () => {
    await setFaults({ errorRate: 1 });
    const result = await graphql(CHILD_ENTITIES, { r: childRefs(AVA_ID) });
    expect(result.status).toBe(200);
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors ?? [];
    expect(error?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(error?.message).toBe('The education system is unavailable; try again later.');
    expect(JSON.stringify(result)).not.toMatch(/127\.0\.0\.1|http:|\/v1\//);
    // One attempt and one retry.
    expect(await requests()).toEqual({ 'POST /v1/students/batch': 2 });
  });
});

// After the education failure: a scope look-up that fails must fail closed.
describe('scope facts failure', () => {
  afterEach(async () => {
    await simulators.setFaults('socialCare', { errorRate: 0 });
  });

  it('answers no child when social care cannot say who is in scope', async () => {
    await simulators.setFaults('socialCare', { errorRate: 1 });
    const result = await graphql(CHILD_ENTITIES, { r: childRefs(AVA_ID) });
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([null]);
    expect(result.errors).toEqual([
      {
        message: 'The social care system is unavailable; try again later.',
        path: ['_entities', 0],
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/127\.0\.0\.1|http:|\/api\//);
    // Nothing was read from the education system.
    expect(await requests()).toEqual({});
  });
});
