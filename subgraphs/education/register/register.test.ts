/**
 * The designated teacher register over real HTTP: the education simulator serving the tiny
 * world (plus two schools, one with a stale entry and one with none) on a free port, social
 * care beside it (scope), CLA Graph's store on in-memory PGlite for the history, and GraphQL
 * posted straight to the subgraph with gateway-signed tokens. The simulator's counters show
 * what a page costs upstream.
 */
import type { Caller, Role } from '../../../identity/caller';
import { forbidden } from '../../../lib/errors';
import type { SubgraphApp } from '../../../lib/graphql/subgraph-server';
import { listen, type RunningServer as SubgraphServer } from '../../../lib/http/http-server';
import type { EdDesignatedTeacher, EdSchool } from '../../../upstream/education/contract';
import { tinyWorld } from '../../../tests/support/tiny-world';
import { openStores, type Stores } from '../../../stores/open-stores';
import { caller, createTestIdentity, type TestIdentity } from '../../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type GraphQLResponse,
  type TestSimulators,
} from '../../../tests/support/subgraph-harness';
import type { EducationConfig } from '../config';
import { createEducationSubgraph } from '../subgraph';
import type { DesignatedTeacherHistory } from './context';

const API_KEY = 'education-register-test-key-0123';
const SOCIAL_CARE_KEY = 'social-care-register-test-key-01';
const AS_OF = '2025-11-14';

const BROOKFIELD = '100001';
const HOLLIN_VALE = '100002';
/** Wigan: Jonas, a child of ours, is on roll there. */
const MARSH_LANE = '100003';
/** Added below: a Knowsley primary whose entry was last confirmed in June 2024. */
const OLD_CONFIRM = '100004';
/** Added below: a Knowsley special school with no designated teacher on record. */
const NO_DT = '100005';

function extraWorld() {
  const world = tinyWorld();
  const school = (urn: string, name: string, phase: EdSchool['phase']): EdSchool => ({
    urn,
    laestab: `34070${urn.slice(-2)}`,
    name,
    phase,
    type: 'COMMUNITY',
    la_code: '340',
    la_name: 'Knowsley',
    postcode: 'L36 1ZZ',
    updated_at: '2025-01-10T09:00:00Z',
    vs_link_officer: {
      staff_id: 'VSH001',
      name: 'Peter Quayle',
      job_title: 'Virtual School Head',
      email: 'peter.quayle@council.example',
      phone: '0151 496 2000',
    },
  });
  world.education.schools.push(
    school(OLD_CONFIRM, 'Old Hall Primary School', 'PRIMARY'),
    school(NO_DT, 'Meadow Bank School', 'SPECIAL'),
  );
  const stale: EdDesignatedTeacher = {
    urn: OLD_CONFIRM,
    staff_id: null,
    title: null,
    forename: 'Lee',
    surname: 'Okafor',
    job_title: 'Designated Teacher',
    email: 'l.okafor@oldhall.example',
    phone: '0151 496 3004',
    confirmed_on: '2024-06-01',
    updated_at: '2024-06-01T10:00:00Z',
  };
  world.education.designatedTeachers.push(stale);
  return world;
}

let simulators: TestSimulators;
let stores: Stores;
let identity: TestIdentity;
const running: Array<{ server: SubgraphServer; subgraph: SubgraphApp }> = [];
let url: string;

function config(): EducationConfig {
  return {
    port: 0,
    education: {
      baseUrl: simulators.urls.education,
      apiKey: API_KEY,
      timeoutMs: 2_000,
      deadlineMs: 3_000,
      retries: 1,
    },
    laCode: '340',
    asOf: AS_OF,
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
}

async function startSubgraph(history: DesignatedTeacherHistory): Promise<string> {
  const subgraph = await createEducationSubgraph(config(), {
    ...identity.security('education'),
    stores: {
      designatedTeacherHistory: history,
      virtualSchoolDirectory: stores.virtualSchoolDirectory,
      placedPupils: stores.placedPupils,
    },
  });
  const server = await listen(subgraph.app, 0);
  running.push({ server, subgraph });
  return server.url;
}

/** Read straight from the education system's API. */
async function education(path: string): Promise<unknown> {
  const response = await fetch(`${simulators.urls.education}${path}`, {
    headers: { Authorization: `Bearer ${API_KEY}` },
  });
  return response.json();
}

/** Requests the education system served since the last reset, by route. */
const upstream = async () => (await simulators.stats('education')).byRoute;

const tokenFor = (roles: Role[], overrides: Partial<Caller> = {}) =>
  identity.tokenFor(caller(roles, overrides), 'education');

const as = {
  head: () => tokenFor(['virtual-school-head'], { sub: 'VSH001' }),
  placing: () =>
    tokenFor(['placing-authority'], { sub: 'client:la-359-virtual-school', la: '359' }),
  hollinValeDt: () => tokenFor(['designated-teacher'], { sub: 'ST2001', urns: [HOLLIN_VALE] }),
};

/** Every call names its token. */
const noToken = () => null;
const { graphql } = subgraphClient(() => url, noToken);

const codes = (result: GraphQLResponse) => result.errors?.map((error) => error.extensions?.code);

beforeAll(async () => {
  const world = extraWorld();
  simulators = await startTinySimulators(world, {
    education: API_KEY,
    socialCare: SOCIAL_CARE_KEY,
  });
  stores = await openStores({ dataDir: 'memory://' });
  identity = await createTestIdentity();
  url = await startSubgraph(stores.designatedTeacherHistory);
});

afterAll(async () => {
  for (const { server, subgraph } of running) {
    await server.close(100);
    await subgraph.stop();
  }
  await stores?.close();
  await simulators?.close();
});

beforeEach(async () => {
  await simulators.resetStats('education');
});

const REGISTER = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: DesignatedTeacherFilter) {
    designatedTeachers(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          urn
          schoolName
          phase
          localAuthority {
            code
            name
          }
          inAuthority
          designatedTeacher {
            name
            title
            forename
            surname
            jobTitle
            workEmail
            workPhone
            confirmedOn
          }
          namedGovernor {
            name
            jobTitle
            workEmail
          }
          virtualSchoolContact {
            name
            jobTitle
            workEmail
            workPhone
          }
          updatedAt
        }
      }
    }
  }
`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: Record<string, unknown> & { urn: string } }[];
}

const pageOf = (result: GraphQLResponse) => result.data?.designatedTeachers as Page;
const urnsOf = (result: GraphQLResponse) => pageOf(result).edges.map((edge) => edge.node.urn);

describe('reading the register', () => {
  it('gives a placing authority every school of the authority, with its contacts, in three requests', async () => {
    const result = await graphql(REGISTER, undefined, await as.placing());
    expect(result.errors).toBeUndefined();
    const page = pageOf(result);
    expect(page.totalCount).toBe(4);
    expect(urnsOf(result)).toEqual([BROOKFIELD, HOLLIN_VALE, OLD_CONFIRM, NO_DT]);
    expect(page.edges[1]!.node).toEqual({
      urn: HOLLIN_VALE,
      schoolName: 'Hollin Vale Academy',
      phase: 'SECONDARY',
      localAuthority: { code: '340', name: 'Knowsley' },
      inAuthority: true,
      designatedTeacher: {
        name: 'Ms Priya Shah',
        title: 'Ms',
        forename: 'Priya',
        surname: 'Shah',
        jobTitle: 'Assistant Headteacher (Inclusion)',
        workEmail: 'p.shah@hollinvale.example',
        workPhone: '0151 496 3002',
        confirmedOn: '2025-03-01',
      },
      namedGovernor: {
        name: 'Mrs Joan Ashby',
        jobTitle: 'Named governor for children looked after',
        workEmail: 'j.ashby@hollinvale.example',
      },
      virtualSchoolContact: {
        name: 'Aisha Rahman',
        jobTitle: 'Virtual School Officer',
        workEmail: 'aisha.rahman@council.example',
        workPhone: '0151 496 2001',
      },
      // The later of the school's record (20 October) and the DT entry (1 March).
      updatedAt: '2025-10-20T09:30:00.000Z',
    });
    // Brookfield has no governor on record; Meadow Bank has no designated teacher.
    expect(page.edges[0]!.node.namedGovernor).toBeNull();
    expect(page.edges[3]!.node.designatedTeacher).toBeNull();
    // The authority's schools, every DT entry, the page's governors: three, whatever the page.
    expect(await upstream()).toEqual({
      'GET /v1/schools': 1,
      'GET /v1/designated-teachers': 1,
      'GET /v1/staff': 1,
    });
  });

  it('notes one DT_REGISTER read in the audit trail, however often the request reads it', async () => {
    const result = await graphql(
      `
        {
          a: designatedTeachers(first: 1) {
            totalCount
          }
          b: designatedTeachers {
            totalCount
          }
        }
      `,
      undefined,
      await as.placing(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.claAudit).toEqual([{ childId: null, categories: ['DT_REGISTER'] }]);
    // The register was read once for both.
    expect(await upstream()).toEqual({ 'GET /v1/schools': 1, 'GET /v1/designated-teachers': 1 });
  });

  it('lists, for the virtual school head only, the schools elsewhere where our children are placed', async () => {
    const head = await graphql(REGISTER, undefined, await as.head());
    expect(urnsOf(head)).toEqual([BROOKFIELD, HOLLIN_VALE, MARSH_LANE, OLD_CONFIRM, NO_DT]);
    expect(pageOf(head).edges[2]!.node).toMatchObject({
      urn: MARSH_LANE,
      localAuthority: { code: '359', name: 'Wigan' },
      inAuthority: false,
      designatedTeacher: null,
      virtualSchoolContact: null,
    });
    expect(await upstream()).toEqual({
      'GET /v1/schools': 2,
      'GET /v1/designated-teachers': 1,
      'GET /v1/staff': 1,
    });
    for (const roles of [
      ['virtual-school-officer'],
      ['social-worker'],
      ['designated-teacher'],
      ['teacher'],
      ['governor'],
    ] as Role[][]) {
      const result = await graphql(
        REGISTER,
        undefined,
        await tokenFor(roles, { urns: [HOLLIN_VALE] }),
      );
      expect(result.errors).toBeUndefined();
      expect(urnsOf(result)).toEqual([BROOKFIELD, HOLLIN_VALE, OLD_CONFIRM, NO_DT]);
    }
  });

  it.each<Role>(['analyst', 'auditor', 'finance-officer'])(
    'refuses the %s with FORBIDDEN and reads nothing',
    async (role) => {
      const result = await graphql(REGISTER, undefined, await tokenFor([role]));
      expect(result.data).toBeNull();
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toBe(forbidden().message);
      expect(await upstream()).toEqual({});
    },
  );

  it('pages with first and after', async () => {
    const token = await as.placing();
    const first = await graphql(REGISTER, { first: 3 }, token);
    expect(urnsOf(first)).toEqual([BROOKFIELD, HOLLIN_VALE, OLD_CONFIRM]);
    expect(pageOf(first).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await graphql(
      REGISTER,
      {
        first: 3,
        after: pageOf(first).pageInfo.endCursor,
      },
      token,
    );
    expect(urnsOf(second)).toEqual([NO_DT]);
    expect(pageOf(second)).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a phase', { phase: ['PRIMARY', 'SPECIAL'] }, [BROOKFIELD, OLD_CONFIRM, NO_DT]],
    ['URNs', { urns: [NO_DT, HOLLIN_VALE, '999999'] }, [HOLLIN_VALE, NO_DT]],
    ['part of a name, any case', { name: ' hOLLIN ' }, [HOLLIN_VALE]],
    ['an authority', { localAuthority: ['340'] }, [BROOKFIELD, HOLLIN_VALE, OLD_CONFIRM, NO_DT]],
    ['another authority', { localAuthority: ['359'] }, []],
    ['changed since a date', { changedSince: '2025-09-05' }, [HOLLIN_VALE, BROOKFIELD].sort()],
    ['changed since a date-time', { changedSince: '2025-10-20T09:30:00Z' }, []],
    ['changed since, with an offset', { changedSince: '2025-10-20T10:29:59+01:00' }, [HOLLIN_VALE]],
  ])('filters by %s', async (_what, filter, urns) => {
    const result = await graphql(REGISTER, { filter }, await as.placing());
    expect(result.errors).toBeUndefined();
    expect(urnsOf(result)).toEqual(urns);
  });

  it('refuses a bad filter or page, naming every problem, before reading anything', async () => {
    const token = await as.placing();
    const bad = await graphql(
      REGISTER,
      {
        filter: {
          localAuthority: ['34'],
          urns: ['12345'],
          name: '',
          changedSince: '2025-02-30',
        },
      },
      token,
    );
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    for (const field of ['localAuthority', 'urns', 'name', 'changedSince']) {
      expect(bad.errors?.[0]?.message).toContain(`\`${field}\``);
    }
    for (const variables of [{ first: 0 }, { first: 501 }, { after: 'not-a-cursor' }]) {
      expect(codes(await graphql(REGISTER, variables, token))).toEqual(['BAD_USER_INPUT']);
    }
    expect(await upstream()).toEqual({});
  });

  it('lets the head and the school’s own DT read the history; others get FORBIDDEN on it', async () => {
    const query = `query ($urns: [ID!]) {
      designatedTeachers(filter: { urns: $urns }) { edges { node { urn history { changedAt } } } }
    }`;
    const own = await graphql(query, { urns: [HOLLIN_VALE] }, await as.hollinValeDt());
    expect(own.errors).toBeUndefined();
    const head = await graphql(query, { urns: [HOLLIN_VALE, BROOKFIELD] }, await as.head());
    expect(head.errors).toBeUndefined();
    const other = await graphql(query, { urns: [BROOKFIELD] }, await as.hollinValeDt());
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.errors?.[0]?.path).toEqual(['designatedTeachers', 'edges', 0, 'node', 'history']);
    const placing = await graphql(query, { urns: [HOLLIN_VALE] }, await as.placing());
    expect(codes(placing)).toEqual(['FORBIDDEN']);
    // The rest of the entry is still answered.
    expect(placing.data).toEqual({
      designatedTeachers: { edges: [{ node: { urn: HOLLIN_VALE, history: null } }] },
    });
  });
});

describe('the list to chase', () => {
  const CHASE = `{ designatedTeachersToChase { reason entry { urn designatedTeacher { confirmedOn } } } }`;

  it('gives the head schools with no DT, then entries not confirmed for 12 months', async () => {
    const result = await graphql(CHASE, undefined, await as.head());
    expect(result.errors).toBeUndefined();
    expect(result.data?.designatedTeachersToChase).toEqual([
      { reason: 'NO_DESIGNATED_TEACHER', entry: { urn: MARSH_LANE, designatedTeacher: null } },
      { reason: 'NO_DESIGNATED_TEACHER', entry: { urn: NO_DT, designatedTeacher: null } },
      {
        reason: 'NOT_CONFIRMED_FOR_12_MONTHS',
        entry: { urn: OLD_CONFIRM, designatedTeacher: { confirmedOn: '2024-06-01' } },
      },
    ]);
  });

  it.each<Role>(['virtual-school-officer', 'designated-teacher', 'placing-authority'])(
    'refuses the %s',
    async (role) => {
      expect(codes(await graphql(CHASE, undefined, await tokenFor([role])))).toEqual(['FORBIDDEN']);
    },
  );
});

const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateDesignatedTeacherInput!) {
    updateDesignatedTeacher(input: $input) {
      changed
      entry {
        urn
        updatedAt
        designatedTeacher {
          name
          jobTitle
          workEmail
          workPhone
          confirmedOn
        }
        namedGovernor {
          name
        }
        history {
          changedBy
          detailsChanged
          confirmed
          before {
            workPhone
            confirmedOn
          }
          after {
            workPhone
            confirmedOn
          }
        }
      }
    }
  }
`;

const hollinValeDetails = {
  title: 'Ms',
  forename: 'Priya',
  surname: 'Shah',
  jobTitle: 'Assistant Headteacher (Inclusion)',
  workEmail: 'p.shah@hollinvale.example',
  workPhone: '0151 496 3222',
};

interface UpdateResult {
  changed: boolean;
  entry: {
    urn: string;
    updatedAt: string;
    designatedTeacher: Record<string, unknown>;
    history: Record<string, unknown>[];
  };
}
const updateOf = (result: GraphQLResponse) => result.data?.updateDesignatedTeacher as UpdateResult;

const dtAt = async (urn: string) =>
  ((await education(`/v1/schools/${urn}/designated-teacher`)) as { data?: unknown }).data;

describe('keeping the register current', () => {
  it('lets a designated teacher change their own school’s entry, once, with its history', async () => {
    const token = await as.hollinValeDt();
    const input = { urn: HOLLIN_VALE, designatedTeacher: hollinValeDetails };
    const result = await graphql(UPDATE, { input }, token);
    expect(result.errors).toBeUndefined();
    const update = updateOf(result);
    expect(update.changed).toBe(true);
    expect(update.entry.designatedTeacher).toEqual({
      name: 'Ms Priya Shah',
      jobTitle: 'Assistant Headteacher (Inclusion)',
      workEmail: 'p.shah@hollinvale.example',
      workPhone: '0151 496 3222',
      // Not confirmed: the date stays.
      confirmedOn: '2025-03-01',
    });
    expect(update.entry.history).toEqual([
      {
        changedBy: 'ST2001',
        detailsChanged: true,
        confirmed: false,
        before: { workPhone: '0151 496 3002', confirmedOn: '2025-03-01' },
        after: { workPhone: '0151 496 3222', confirmedOn: '2025-03-01' },
      },
    ]);
    // Written back to the education system, which moved its updated_at.
    expect(await dtAt(HOLLIN_VALE)).toMatchObject({ phone: '0151 496 3222', staff_id: 'ST2001' });
    expect(Date.parse(update.entry.updatedAt)).toBeGreaterThan(Date.parse('2025-11-14'));
    expect(await upstream()).toMatchObject({ 'PUT /v1/schools/:urn/designated-teacher': 1 });

    // The same update again: nothing changes, no second history line.
    const again = await graphql(UPDATE, { input }, token);
    expect(updateOf(again).changed).toBe(false);
    expect(updateOf(again).entry.history).toHaveLength(1);
    expect(updateOf(again).entry.updatedAt).toBe(update.entry.updatedAt);

    // "Changed since" the last sync sees the change, and only it.
    const since = await graphql(
      REGISTER,
      {
        filter: { changedSince: '2025-11-14' },
      },
      await as.placing(),
    );
    expect(urnsOf(since)).toEqual([HOLLIN_VALE]);
    expect(pageOf(since).edges[0]!.node.updatedAt).toBe(update.entry.updatedAt);
  });

  it('confirms the entry unchanged: confirmedOn becomes today, once a day', async () => {
    const token = await as.hollinValeDt();
    const confirmed = await graphql(UPDATE, { input: { urn: HOLLIN_VALE, confirm: true } }, token);
    expect(confirmed.errors).toBeUndefined();
    expect(updateOf(confirmed).changed).toBe(true);
    expect(updateOf(confirmed).entry.designatedTeacher.confirmedOn).toBe(AS_OF);
    expect(updateOf(confirmed).entry.history.at(-1)).toEqual({
      changedBy: 'ST2001',
      detailsChanged: false,
      confirmed: true,
      before: { workPhone: '0151 496 3222', confirmedOn: '2025-03-01' },
      after: { workPhone: '0151 496 3222', confirmedOn: AS_OF },
    });
    const again = await graphql(
      UPDATE,
      {
        input: { urn: HOLLIN_VALE, designatedTeacher: hollinValeDetails, confirm: true },
      },
      token,
    );
    expect(updateOf(again).changed).toBe(false);
    expect(updateOf(again).entry.history).toHaveLength(2);
  });

  it("refuses a designated teacher another school's entry, and everyone but the head", async () => {
    const before = await dtAt(BROOKFIELD);
    const input = { urn: BROOKFIELD, designatedTeacher: hollinValeDetails, confirm: true };
    const other = await graphql(UPDATE, { input }, await as.hollinValeDt());
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.errors?.[0]?.message).toBe(
      "A designated teacher may update only their own school's entry.",
    );
    for (const roles of [
      ['virtual-school-officer'],
      ['teacher'],
      ['governor'],
      ['placing-authority'],
      ['social-worker'],
      ['analyst'],
    ] as Role[][]) {
      const result = await graphql(
        UPDATE,
        {
          input,
        },
        await tokenFor(roles, { urns: [BROOKFIELD] }),
      );
      expect(codes(result)).toEqual(['FORBIDDEN']);
    }
    expect(await dtAt(BROOKFIELD)).toEqual(before);
    // Refused before anything was read: only this test's own two reads.
    expect(await upstream()).toEqual({ 'GET /v1/schools/:urn/designated-teacher': 2 });
  });

  it('refuses bad input naming every bad field, and changes nothing', async () => {
    const before = await dtAt(HOLLIN_VALE);
    const result = await graphql(
      UPDATE,
      {
        input: {
          urn: HOLLIN_VALE,
          confirm: true,
          designatedTeacher: {
            title: 'The Very Reverend Doctor',
            forename: 'Priya',
            surname: '   ',
            jobTitle: 'x'.repeat(201),
            workEmail: 'p.shah@',
            workPhone: '555 1234',
          },
        },
      },
      await as.hollinValeDt(),
    );
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    for (const field of ['title', 'surname', 'jobTitle', 'workEmail', 'workPhone']) {
      expect(result.errors?.[0]?.message).toContain(`\`${field}\``);
    }
    expect(result.errors?.[0]?.message).not.toContain('p.shah@');
    expect(await dtAt(HOLLIN_VALE)).toEqual(before);

    const nothing = await graphql(UPDATE, { input: { urn: HOLLIN_VALE } }, await as.hollinValeDt());
    expect(codes(nothing)).toEqual(['BAD_USER_INPUT']);
    const badUrn = await graphql(
      UPDATE,
      {
        input: { urn: '12345', confirm: true },
      },
      await as.head(),
    );
    expect(codes(badUrn)).toEqual(['BAD_USER_INPUT']);
    // Refused before anything was read: only this test's own two reads.
    expect(await upstream()).toEqual({ 'GET /v1/schools/:urn/designated-teacher': 2 });
    expect(
      (await stores.designatedTeacherHistory.historyFor([HOLLIN_VALE])).get(HOLLIN_VALE),
    ).toHaveLength(2);
  });

  it('lets the head enter a DT for a school with none (confirmed that day), and not confirm none', async () => {
    const head = await as.head();
    const none = await graphql(UPDATE, { input: { urn: NO_DT, confirm: true } }, head);
    expect(codes(none)).toEqual(['BAD_USER_INPUT']);
    const unknown = await graphql(
      UPDATE,
      {
        input: { urn: '999999', designatedTeacher: hollinValeDetails },
      },
      head,
    );
    expect(codes(unknown)).toEqual(['NOT_FOUND']);

    const created = await graphql(
      UPDATE,
      {
        input: {
          urn: NO_DT,
          designatedTeacher: {
            forename: 'Sam',
            surname: 'Ellis',
            jobTitle: 'Deputy Headteacher and Designated Teacher',
            workEmail: 's.ellis@meadowbank.example',
            workPhone: '+44 (0)151 496 3005',
          },
        },
      },
      head,
    );
    expect(created.errors).toBeUndefined();
    expect(updateOf(created)).toMatchObject({
      changed: true,
      entry: {
        designatedTeacher: { name: 'Sam Ellis', confirmedOn: AS_OF },
        history: [{ changedBy: 'VSH001', detailsChanged: true, confirmed: true, before: null }],
      },
    });
    const chase = await graphql(
      `
        {
          designatedTeachersToChase {
            entry {
              urn
            }
          }
        }
      `,
      undefined,
      head,
    );
    expect(chase.data?.designatedTeachersToChase).toEqual([
      { entry: { urn: MARSH_LANE } },
      { entry: { urn: OLD_CONFIRM } },
    ]);
  });
});

describe('when the history cannot be written', () => {
  it('puts the change back and says it failed: no change without its history', async () => {
    const broken: DesignatedTeacherHistory = {
      record: () => Promise.reject(new Error('database down')),
      historyFor: (urns) => stores.designatedTeacherHistory.historyFor(urns),
    };
    const target = await startSubgraph(broken);
    const before = (await dtAt(BROOKFIELD)) as EdDesignatedTeacher;
    const result = await subgraphClient(target, noToken).graphql(
      UPDATE,
      { input: { urn: BROOKFIELD, designatedTeacher: { ...hollinValeDetails, surname: 'Price' } } },
      await tokenFor(['designated-teacher'], { sub: 'ST1002', urns: [BROOKFIELD] }),
    );
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
    const after = (await dtAt(BROOKFIELD)) as EdDesignatedTeacher;
    expect({ ...after, updated_at: undefined }).toEqual({ ...before, updated_at: undefined });
    expect(await upstream()).toMatchObject({ 'PUT /v1/schools/:urn/designated-teacher': 2 });
  });
});
