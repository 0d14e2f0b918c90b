/**
 * The social care subgraph over real HTTP, against the real social care simulator serving the
 * tiny world: queries and `_entities` as the gateway's query planner sends them, with the
 * simulator's counters to prove batching and that fields cost no extra upstream calls.
 */
import { TINY_AS_OF } from '../../tests/support/tiny-world';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import { encodeCursor } from '../../lib/graphql/relay';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { caller, createTestIdentity } from '../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type GraphQLResponse,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import { createSocialCareSubgraph } from './subgraph';
import { memoryPepHistory } from '../../tests/support/pep-history';

const SEARCH_ROUTE = 'POST /api/v1/children/search';

let simulators: TestSimulators;
let subgraph: SubgraphApp;
let server: RunningServer;
/** The token the next call sends. */
let token: string;
/** The virtual school head: every child of the authority (restricted too), every category. */
let vshToken: string;
/** A finance officer: every child of the authority except restricted ones, id and name only. */
let financeOfficerToken: string;

const client = subgraphClient(
  () => server.url,
  () => token,
  { simulators: () => simulators, name: 'socialCare' },
);
const { graphql } = client;

/** Run a query and count the upstream requests it cost. */
async function measured<T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ result: GraphQLResponse<T>; searches: number; requests: number }> {
  const { result, stats } = await client.measured<T>(query, variables);
  return { result, searches: stats.byRoute[SEARCH_ROUTE] ?? 0, requests: stats.requests };
}

const CHILD_FIELDS = /* GraphQL */ `
  fragment ChildFields on Child {
    id
    upn
    name {
      forename
      surname
      preferred
      displayName
    }
    dateOfBirth
    age
    gender
    careStatus {
      lookedAfter
      lookedAfterSince
      ceasedOn
      reasonCeased {
        code
        label
      }
      legalStatus {
        code
        label
      }
      categoryOfNeed {
        code
        label
      }
      placingAuthority {
        code
        name
      }
      uasc
      uascCeasedOn
      ethnicity {
        code
        label
      }
      episodes {
        startDate
        endDate
        reasonForNewEpisode {
          code
        }
        legalStatus {
          code
        }
        placementType {
          code
        }
        reasonEnded {
          code
        }
      }
    }
    placement {
      type {
        code
        label
      }
      provider {
        code
        label
      }
      startDate
      outOfArea
      localAuthority {
        code
        name
      }
      carer {
        name
        workPhone
        workEmail
      }
      address {
        line1
        town
        postcode
      }
    }
    socialWorker {
      staffId
      name
      team
      workEmail
      workPhone
    }
    parentalResponsibility {
      localAuthorityShares
      summary
      delegatedAuthority
    }
    pep {
      status
      nextReviewDue
      firstPepDue
      current {
        id
      }
      history {
        id
        meetingDate
        initial
        status
        schoolUrn
        childViews
        supportStrategies
        targets {
          id
          area
          status
          pupilPremiumPlusRequested {
            pence
            formatted
          }
        }
      }
    }
  }
`;

const CHILDREN_QUERY = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: ChildFilter) {
    children(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

interface ChildrenData {
  children: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { id: string } }>;
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  };
}

const ENTITIES_QUERY = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Child {
        id
        upn
        name {
          displayName
        }
        placement {
          outOfArea
        }
        pep {
          status
        }
        socialWorker {
          name
        }
      }
    }
  }
`;

type EntitiesData = { _entities: Array<{ id: string; upn: string } | null> };

const ids = (data: ChildrenData | null | undefined) =>
  data?.children.edges.map((edge) => edge.node.id);

beforeAll(async () => {
  simulators = await startTinySimulators();
  const identity = await createTestIdentity();
  vshToken = await identity.tokenFor(caller(['virtual-school-head']), 'social-care');
  financeOfficerToken = await identity.tokenFor(caller(['finance-officer']), 'social-care');
  token = vshToken;
  subgraph = await createSocialCareSubgraph(
    {
      port: 0,
      socialCare: {
        baseUrl: simulators.urls.socialCare,
        apiKey: simulators.keys.socialCare,
        timeoutMs: 1_000,
        deadlineMs: 2_000,
        retries: 1,
      },
      la: { code: '340', name: 'Knowsley' },
      asOf: TINY_AS_OF,
      production: false,
      scope: {
        homeLa: '340',
        socialCare: { baseUrl: simulators.urls.socialCare, apiKey: simulators.keys.socialCare },
        // No school rolls are needed for the virtual school head.
        education: { baseUrl: simulators.urls.socialCare, apiKey: simulators.keys.socialCare },
        timeoutMs: 1_000,
        deadlineMs: 2_000,
        gatewayJwksUrl: 'http://127.0.0.1:1/unused',
      },
    },
    { ...identity.security('social-care'), stores: { pepHistory: memoryPepHistory() } },
  );
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close(100);
  await subgraph?.stop();
  await simulators?.close();
});

describe('Query.child', () => {
  it('maps a child looked after, with every field from one upstream request', async () => {
    const { result, searches, requests } = await measured(/* GraphQL */ `
      query {
        child(id: "1000001") {
          ...ChildFields
        }
      }
      ${CHILD_FIELDS}
    `);
    expect(result.errors).toBeUndefined();
    expect(result.data?.child).toEqual({
      id: '1000001',
      upn: 'A340200118001',
      name: {
        forename: 'Ava',
        surname: 'Thornton',
        preferred: 'Avie',
        displayName: 'Avie Thornton',
      },
      dateOfBirth: '2016-03-12',
      age: 9,
      gender: 'FEMALE',
      careStatus: {
        lookedAfter: true,
        lookedAfterSince: '2023-02-01',
        ceasedOn: null,
        reasonCeased: null,
        legalStatus: { code: 'C2', label: 'Full care order' },
        categoryOfNeed: { code: 'N1', label: 'Abuse or neglect' },
        placingAuthority: { code: '340', name: 'Knowsley' },
        uasc: false,
        uascCeasedOn: null,
        ethnicity: { code: 'WBRI', label: 'White British' },
        episodes: [
          {
            startDate: '2023-02-01',
            endDate: '2023-08-10',
            reasonForNewEpisode: { code: 'S' },
            legalStatus: { code: 'C1' },
            placementType: { code: 'U6' },
            reasonEnded: { code: 'X1' },
          },
          {
            startDate: '2023-08-10',
            endDate: null,
            reasonForNewEpisode: { code: 'L' },
            legalStatus: { code: 'C2' },
            placementType: { code: 'U4' },
            reasonEnded: null,
          },
        ],
      },
      placement: {
        type: {
          code: 'U4',
          label: 'Foster placement with other foster carer(s) – long term fostering',
        },
        provider: {
          code: 'PR1',
          label:
            'Own provision (by the local authority) including a regional adoption agency where the child’s responsible local authority is the host authority',
        },
        startDate: '2023-08-10',
        outOfArea: false,
        localAuthority: { code: '340', name: 'Knowsley' },
        carer: { name: 'Sandra and Phil Okafor', workPhone: '0151 496 0101', workEmail: null },
        address: { line1: '12 Alder Close', town: 'Kirkby', postcode: 'L34 2ZZ' },
      },
      socialWorker: {
        staffId: 'SW001',
        name: 'Grace Lindqvist',
        team: 'Children in Care Team 1',
        workEmail: 'grace.lindqvist@council.example',
        workPhone: '0151 496 1001',
      },
      parentalResponsibility: {
        localAuthorityShares: true,
        summary: 'Shared between the local authority and the parents (care order)',
        delegatedAuthority: ['School trips and activities'],
      },
      pep: {
        // A completed PEP this autumn term: the next review by the end of spring term.
        status: 'CURRENT',
        nextReviewDue: '2026-03-31',
        // In care since 1 February 2023 (planned): 20 school days.
        firstPepDue: '2023-03-08',
        current: { id: 'PEP-0002' },
        history: [
          {
            id: 'PEP-0002',
            meetingDate: '2025-10-01',
            initial: false,
            status: 'COMPLETE',
            schoolUrn: '100001',
            childViews: 'I like reading with Mr Price.',
            supportStrategies: ['Sit near the front', 'Time-out card'],
            targets: [
              {
                id: 'T-0003',
                area: 'Communication',
                status: 'IN_PROGRESS',
                pupilPremiumPlusRequested: { pence: 60000, formatted: '£600.00' },
              },
            ],
          },
          {
            id: 'PEP-0001',
            meetingDate: '2023-02-20',
            initial: true,
            status: 'QA_APPROVED',
            schoolUrn: '100001',
            childViews: null,
            supportStrategies: [],
            targets: [
              {
                id: 'T-0001',
                area: 'Reading',
                status: 'ACHIEVED',
                pupilPremiumPlusRequested: { pence: 45000, formatted: '£450.00' },
              },
              {
                id: 'T-0002',
                area: 'Wellbeing',
                status: 'ACHIEVED',
                pupilPremiumPlusRequested: { pence: 0, formatted: '£0.00' },
              },
            ],
          },
        ],
      },
    });
    expect(searches).toBe(1);
    expect(requests).toBe(1);
  });

  it('shows a child placed out of area under section 20, and one whose care has ended', async () => {
    const result = await graphql<{ jonas: Record<string, unknown>; leah: Record<string, unknown> }>(
      /* GraphQL */ `
        query {
          jonas: child(id: "1000002") {
            ...ChildFields
          }
          leah: child(id: "1000003") {
            ...ChildFields
          }
        }
        ${CHILD_FIELDS}
      `,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.jonas).toMatchObject({
      age: 15,
      gender: 'MALE',
      careStatus: { uasc: true, legalStatus: { code: 'V2' }, lookedAfterSince: '2024-05-20' },
      placement: {
        outOfArea: true,
        localAuthority: { code: '359', name: 'Wigan' },
        type: { code: 'K2' },
      },
      parentalResponsibility: {
        localAuthorityShares: false,
        summary: 'Held by the parents alone (accommodated under section 20)',
        delegatedAuthority: ['School trips and activities', 'Haircuts'],
      },
      // The only PEP (March 2025) is still a draft, so none is held: in care since May 2024,
      // the first PEP's deadline passed long ago. The draft is in the history, not current.
      pep: {
        status: 'OVERDUE',
        nextReviewDue: '2025-12-19',
        current: null,
        history: [{ id: 'PEP-0003', status: 'DRAFT' }],
      },
    });
    expect(result.data?.leah).toMatchObject({
      upn: 'UN1',
      socialWorker: null,
      careStatus: {
        lookedAfter: false,
        lookedAfterSince: '2020-04-01',
        ceasedOn: '2024-06-30',
        reasonCeased: {
          code: 'E8',
          label:
            'Period of being looked-after ceased for any other reason (where none of the other reasons apply)',
        },
      },
      pep: {
        status: 'NOT_REQUIRED',
        nextReviewDue: null,
        firstPepDue: null,
        current: null,
        history: [],
      },
    });
  });

  it('returns a restricted record by id (access rules come later)', async () => {
    const result = await graphql(`
      {
        child(id: "1000004") {
          id
          careStatus {
            lookedAfterSince
          }
          pep {
            status
          }
        }
      }
    `);
    expect(result.data?.child).toEqual({
      id: '1000004',
      careStatus: { lookedAfterSince: '2024-11-03' },
      // In care for a year without a PEP: the first PEP's deadline passed long ago.
      pep: { status: 'OVERDUE' },
    });
  });

  it('answers null for an unknown id, and BAD_USER_INPUT (not a 500) for a malformed one', async () => {
    const unknown = await measured(`{ child(id: "9999999") { id } }`);
    expect(unknown.result.errors).toBeUndefined();
    expect(unknown.result.data).toEqual({ child: null });
    expect(unknown.searches).toBe(1);

    const malformed = await measured(`{ child(id: "12ab") { id } }`);
    expect(malformed.result.status).toBe(200);
    expect(malformed.result.data).toEqual({ child: null });
    expect(malformed.result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.result.errors?.[0]?.path).toEqual(['child']);
    expect(malformed.requests).toBe(0);
  });
});

describe('Query.children', () => {
  // Lists as a whole-authority role that does not see restricted records.
  beforeAll(() => {
    token = financeOfficerToken;
  });
  afterAll(() => {
    token = vshToken;
  });

  it('lists current, unrestricted children in id order, one request per page', async () => {
    const firstPage = await measured<ChildrenData>(CHILDREN_QUERY, { first: 1 });
    expect(firstPage.result.errors).toBeUndefined();
    expect(ids(firstPage.result.data)).toEqual(['1000001']);
    expect(firstPage.result.data?.children.totalCount).toBe(2);
    expect(firstPage.result.data?.children.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
    expect(firstPage.searches).toBe(1);

    const after = firstPage.result.data?.children.pageInfo.endCursor;
    const secondPage = await measured<ChildrenData>(CHILDREN_QUERY, { first: 1, after });
    expect(ids(secondPage.result.data)).toEqual(['1000002']);
    expect(secondPage.result.data?.children.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect(secondPage.searches).toBe(1);
  });

  it('serves every field of a page from that one request', async () => {
    token = vshToken;
    const { result, requests } = await measured(/* GraphQL */ `
      query {
        children(first: 50) {
          totalCount
          edges {
            node {
              ...ChildFields
            }
          }
        }
      }
      ${CHILD_FIELDS}
    `);
    token = financeOfficerToken;
    expect(result.errors).toBeUndefined();
    expect(requests).toBe(1);
  });

  it('reads two upstream pages for a window that is not aligned, one when the first is the last', async () => {
    // Ceased children are selected by care status (CARE): as the head, who may read it.
    token = vshToken;
    const unaligned = await measured<ChildrenData>(CHILDREN_QUERY, {
      first: 2,
      after: encodeCursor(0),
      filter: { includeCeased: true },
    });
    token = financeOfficerToken;
    expect(ids(unaligned.result.data)).toEqual(['1000002', '1000003']);
    // Ava, Jonas, Leah (ceased) and Noah (restricted: the head sees him).
    expect(unaligned.result.data?.children.totalCount).toBe(4);
    expect(unaligned.result.data?.children.edges[0]?.cursor).toBe(encodeCursor(1));
    expect(unaligned.searches).toBe(2);

    const lastPage = await measured<ChildrenData>(CHILDREN_QUERY, {
      first: 2,
      after: encodeCursor(0),
    });
    expect(ids(lastPage.result.data)).toEqual(['1000002']);
    expect(lastPage.searches).toBe(1);
  });

  it('refuses a filter by a category the caller may not read, naming it, before asking anything', async () => {
    // A finance officer reads id, name and funding only: selecting by legal status, placement,
    // UASC, age or ceased care would tell them what they may not read.
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ legalStatus: ['J1', 'J2', 'J3'] }, 'filter.legalStatus'],
      [{ uasc: true }, 'filter.uasc'],
      [{ uasc: false }, 'filter.uasc'],
      [{ includeCeased: true }, 'filter.includeCeased'],
      [{ placementType: ['A3'] }, 'filter.placementType'],
      [{ placedOutOfArea: true }, 'filter.placedOutOfArea'],
      [{ minAge: 16 }, 'filter.minAge'],
      [{ maxAge: 3 }, 'filter.maxAge'],
    ];
    for (const [filter, argument] of refused) {
      const { result, requests } = await measured<ChildrenData>(CHILDREN_QUERY, { filter });
      expect(result.data?.children ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(result.errors?.[0]?.message).toContain(argument);
      expect(requests).toBe(0);
    }
    // Not asking for ceased children selects by nothing.
    const current = await measured<ChildrenData>(CHILDREN_QUERY, {
      filter: { includeCeased: false },
    });
    expect(current.result.errors).toBeUndefined();
  });

  it('filters by legal status, placement type, area, UASC, age and ceased care', async () => {
    // As the head, who reads every category (and Noah's restricted record).
    token = vshToken;
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ legalStatus: ['c2'] }, ['1000001']],
      [{ legalStatus: ['V2', 'E1'] }, ['1000002', '1000004']],
      [{ placementType: ['K2'] }, ['1000002']],
      [{ placedOutOfArea: true }, ['1000002']],
      [{ placedOutOfArea: false }, ['1000001', '1000004']],
      [{ uasc: true }, ['1000002']],
      [{ minAge: 10 }, ['1000002']],
      [{ maxAge: 9 }, ['1000001', '1000004']],
      [{ minAge: 9, maxAge: 9 }, ['1000001']],
      [{ minAge: 16 }, []],
      [{ includeCeased: true, minAge: 16 }, ['1000003']],
      [{ legalStatus: [] }, []],
    ];
    for (const [filter, expected] of cases) {
      const result = await graphql<ChildrenData>(CHILDREN_QUERY, { filter });
      expect(result.errors).toBeUndefined();
      expect({ filter, ids: ids(result.data) }).toEqual({ filter, ids: expected });
      expect(result.data?.children.totalCount).toBe(expected.length);
    }
    token = financeOfficerToken;
  });

  it('refuses bad arguments with BAD_USER_INPUT before asking the system', async () => {
    token = vshToken;
    const bad: Array<Record<string, unknown>> = [
      { filter: { legalStatus: ['ZZ'] } },
      { filter: { placementType: ['R4'] } },
      { filter: { minAge: 26 } },
      { filter: { minAge: -1 } },
      { filter: { minAge: 12, maxAge: 10 } },
      { first: 0 },
      { first: 501 },
      { after: 'not-a-cursor' },
    ];
    for (const variables of bad) {
      const { result, requests } = await measured(CHILDREN_QUERY, variables);
      expect(result.status).toBe(200);
      expect({ variables, code: result.errors?.[0]?.extensions?.code }).toEqual({
        variables,
        code: 'BAD_USER_INPUT',
      });
      expect(requests).toBe(0);
    }
    token = financeOfficerToken;
  });
});

describe('_entities', () => {
  it('resolves 50 id references with one upstream request', async () => {
    const representations = Array.from({ length: 50 }, (_, i) => ({
      __typename: 'Child',
      id: String(1_000_001 + i),
    }));
    const { result, searches, requests } = await measured<EntitiesData>(ENTITIES_QUERY, {
      r: representations,
    });
    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities ?? [];
    expect(entities).toHaveLength(50);
    expect(entities.slice(0, 5).map((e) => e?.id ?? null)).toEqual([
      '1000001',
      '1000002',
      '1000003',
      '1000004',
      null,
    ]);
    expect(entities.slice(4).every((e) => e === null)).toBe(true);
    expect(searches).toBe(1);
    expect(requests).toBe(1);
  });

  it('resolves UPN references in one request; UN1 and malformed UPNs are null without asking', async () => {
    const { result, searches } = await measured<EntitiesData>(ENTITIES_QUERY, {
      r: [
        { __typename: 'Child', upn: 'P340200118002' },
        { __typename: 'Child', upn: 'A340200118001' },
        { __typename: 'Child', upn: 'UN1' },
        { __typename: 'Child', upn: 'Z359400117005' },
        { __typename: 'Child', upn: 'a340200118001' },
        { __typename: 'Child', upn: 'P340200118002' },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: '1000002',
        upn: 'P340200118002',
        name: { displayName: 'Jonas Weber' },
        placement: { outOfArea: true },
        pep: { status: 'OVERDUE' },
        socialWorker: { name: 'Marcus Bell' },
      },
      expect.objectContaining({ id: '1000001', upn: 'A340200118001' }),
      null,
      null,
      null,
      expect.objectContaining({ id: '1000002' }),
    ]);
    expect(searches).toBe(1);

    const onlyPlaceholders = await measured<EntitiesData>(ENTITIES_QUERY, {
      r: [{ __typename: 'Child', upn: 'UN1' }],
    });
    expect(onlyPlaceholders.result.data?._entities).toEqual([null]);
    expect(onlyPlaceholders.requests).toBe(0);
  });

  it('fails only the malformed reference, with BAD_USER_INPUT', async () => {
    const { result, searches } = await measured<EntitiesData>(ENTITIES_QUERY, {
      r: [
        { __typename: 'Child', id: '1000001' },
        { __typename: 'Child', id: 'abc' },
        { __typename: 'Child', id: 1000002 },
      ],
    });
    expect(result.status).toBe(200);
    expect(result.data?._entities.map((e) => e?.id ?? null)).toEqual(['1000001', null, '1000002']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['_entities', 1],
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(searches).toBe(1);
  });
});

describe('health and failure', () => {
  it('is ready while the system answers', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
  });

  it('names the system, and no URL, when it fails', async () => {
    await simulators.setFaults('socialCare', { errorRate: 1 });
    try {
      const single = await graphql(`
        {
          child(id: "1000001") {
            id
          }
        }
      `);
      expect(single.status).toBe(200);
      expect(single.data).toEqual({ child: null });
      expect(single.errors).toEqual([
        {
          message: 'The social care system is unavailable; try again later.',
          path: ['child'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        },
      ]);

      const list = await graphql(CHILDREN_QUERY, { first: 5 });
      expect(list.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');

      const entities = await graphql<EntitiesData>(ENTITIES_QUERY, {
        r: [{ __typename: 'Child', id: '1000001' }],
      });
      expect(entities.errors?.[0]).toMatchObject({
        path: ['_entities', 0],
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      });
      const everything = JSON.stringify([single, list, entities]);
      expect(everything).not.toContain(simulators.urls.socialCare);
      expect(everything).not.toMatch(/https?:|api\/v1|Simulated outage/);
    } finally {
      await simulators.setFaults('socialCare', { errorRate: 0 });
    }
  });
});
