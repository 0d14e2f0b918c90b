/**
 * The finance subgraph over real HTTP, against the real finance simulator serving the tiny
 * world, with the social care and education simulators beside it (scope facts come from
 * social care, school rolls from education): `_entities` queries as the gateway's query
 * planner sends them, with gateway-signed tokens, and the simulators' counters to prove
 * batching.
 */
import { TINY_AS_OF, tinyWorld } from '../../tests/support/tiny-world';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import { listen, type RunningServer } from '../../lib/http/http-server';
import type { Caller, Role } from '../../identity/caller';
import {
  caller,
  createTestIdentity,
  grantsReader,
  type TestIdentity,
} from '../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type GraphQLResponse as Response,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import { openStores, type Stores } from '../../stores/open-stores';
import { createFinanceSubgraph } from './subgraph';

const SEARCH_ROUTE = 'POST /api/finance/v1/clients/search';
const TOP_SLICES_ROUTE = 'GET /api/finance/v1/top-slices';
const FACTS_SEARCH = 'POST /api/v1/children/search';

/** Children of ours unknown to the finance system, to fill batches past 500. */
const SYNTHETIC_CHILDREN = 600;
/** A teacher at Brookfield whom Ava's need-to-know list names. */
const NTK_TEACHER = 'T100';

let simulators: TestSimulators;
let subgraph: SubgraphApp;
let server: RunningServer;
let stores: Stores;
let identity: TestIdentity;
/** The virtual school head: every child of the authority, every category. */
let vshToken: string;

const searches = async (): Promise<number> =>
  (await simulators.stats('finance')).byRoute[SEARCH_ROUTE] ?? 0;
const upstreamRequests = async (): Promise<number> => (await simulators.stats('finance')).requests;
const topSliceReads = async (): Promise<number> =>
  (await simulators.stats('finance')).byRoute[TOP_SLICES_ROUTE] ?? 0;
/** Scope-fact searches social care answered in this test. */
const factSearches = async (): Promise<number> =>
  (await simulators.stats('socialCare')).byRoute[FACTS_SEARCH] ?? 0;

/** A gateway-signed token for this subgraph. */
const tokenFor = (roles: Role[], overrides: Partial<Caller> = {}) =>
  identity.tokenFor(caller(roles, overrides), 'finance');

type EntitiesData = { _entities?: Array<Record<string, unknown> | null> };
type GraphQLResponse = Response<EntitiesData>;

const { graphql } = subgraphClient<EntitiesData>(
  () => server.url,
  () => vshToken,
);

const children = (ids: unknown[]) => ids.map((id) => ({ __typename: 'Child', id }));

const PPP_QUERY = /* GraphQL */ `
  query ($r: [_Any!]!, $fy: String) {
    _entities(representations: $r) {
      ... on Child {
        id
        pupilPremiumPlus(financialYear: $fy) {
          financialYear
          allocated {
            pence
            formatted
          }
          spent {
            pence
            formatted
          }
          balance {
            pence
            formatted
          }
          allocations {
            financialYear
            rate {
              pence
            }
            amount {
              pence
              formatted
            }
            status
          }
          spend {
            id
            postedOn
            school {
              urn
            }
            item
            amount {
              pence
              formatted
            }
            pepTargetId
          }
        }
      }
    }
  }
`;

beforeAll(async () => {
  const world = tinyWorld();
  // Jonas moved from Hollin Vale (100002) to Marsh Lane (100003) in February 2025: each school
  // spent some of his 2024-25 PP+.
  world.finance.ledger.push(
    {
      line_id: 'L0006',
      client_ref: 'CLA/1000002',
      fy: '2024-25',
      posted_on: '2024-09-10',
      type: 'SPEND',
      urn: '100002',
      item: 'Maths tutoring',
      amount_pence: 30000,
      pep_target_id: null,
      cost_centre: 'VS-PPP',
    },
    {
      line_id: 'L0007',
      client_ref: 'CLA/1000002',
      fy: '2024-25',
      posted_on: '2025-02-10',
      type: 'SPEND',
      urn: '100003',
      item: 'Uniform',
      amount_pence: 8000,
      pep_target_id: null,
      cost_centre: 'VS-PPP',
    },
  );
  const ava = world.socialCare.children.find((child) => child.CHILD === '1000001')!;
  for (let n = 0; n < SYNTHETIC_CHILDREN; n += 1) {
    world.socialCare.children.push({
      ...ava,
      CHILD: String(3_000_000 + n),
      UPN: `S${String(n).padStart(12, '0')}`,
    });
  }
  simulators = await startTinySimulators(world);
  stores = await openStores({ dataDir: 'memory://' });
  identity = await createTestIdentity();
  vshToken = await tokenFor(['virtual-school-head'], { sub: 'VSH001' });
  subgraph = await createFinanceSubgraph(
    {
      port: 0,
      finance: {
        baseUrl: simulators.urls.finance,
        apiKey: simulators.keys.finance,
        timeoutMs: 1_000,
        deadlineMs: 2_000,
        retries: 0,
      },
      asOf: TINY_AS_OF,
      production: false,
      scope: {
        homeLa: '340',
        socialCare: { baseUrl: simulators.urls.socialCare, apiKey: simulators.keys.socialCare },
        education: { baseUrl: simulators.urls.education, apiKey: simulators.keys.education },
        timeoutMs: 1_000,
        deadlineMs: 2_000,
        gatewayJwksUrl: 'http://127.0.0.1:1/unused',
      },
    },
    {
      ...identity.security('finance', grantsReader({ [NTK_TEACHER]: ['1000001'] })),
      stores,
    },
  );
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close(100);
  await subgraph?.stop();
  await simulators?.close();
  await stores?.close();
});

beforeEach(async () => {
  await simulators.setFaults('finance', {
    errorRate: 0,
    timeoutRate: 0,
    malformedRate: 0,
    latencyMs: 0,
  });
  await simulators.resetStats('finance', 'socialCare');
});

describe('finance subgraph', () => {
  it('is ready when the finance system answers', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
  });

  it("resolves a child's PP+ for the current financial year by default", async () => {
    const result = await graphql(PPP_QUERY, { r: children(['1000001']) });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: '1000001',
        pupilPremiumPlus: {
          financialYear: '2025-26',
          allocated: { pence: 263000, formatted: '£2,630.00' },
          spent: { pence: 60000, formatted: '£600.00' },
          balance: { pence: 203000, formatted: '£2,030.00' },
          allocations: [
            {
              financialYear: '2025-26',
              rate: { pence: 263000 },
              amount: { pence: 263000, formatted: '£2,630.00' },
              status: 'PROVISIONAL',
            },
          ],
          spend: [
            {
              id: 'L0002',
              postedOn: '2025-10-20',
              school: { urn: '100001' },
              item: 'Speech and language assessment',
              amount: { pence: 60000, formatted: '£600.00' },
              pepTargetId: 'T-0003',
            },
          ],
        },
      },
    ]);
    expect(await searches()).toBe(1);
  });

  it('serves several years of several children from one search', async () => {
    const result = await graphql(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Child {
              id
              current: pupilPremiumPlus {
                financialYear
                spent {
                  pence
                }
                balance {
                  pence
                }
              }
              last: pupilPremiumPlus(financialYear: "2024-25") {
                financialYear
                allocated {
                  pence
                }
                spent {
                  pence
                }
              }
              old: pupilPremiumPlus(financialYear: "2019-20") {
                financialYear
              }
            }
          }
        }
      `,
      { r: children(['1000001', '1000002']) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: '1000001',
        current: { financialYear: '2025-26', spent: { pence: 60000 }, balance: { pence: 203000 } },
        last: { financialYear: '2024-25', allocated: { pence: 257000 }, spent: { pence: 45000 } },
        old: null,
      },
      {
        id: '1000002',
        current: { financialYear: '2025-26', spent: { pence: 120000 }, balance: { pence: 143000 } },
        last: { financialYear: '2024-25', allocated: { pence: 214200 }, spent: { pence: 38000 } },
        old: null,
      },
    ]);
    expect(await searches()).toBe(1);
  });

  it('batches 50 references into one facts search and one finance search; unknown children are null', async () => {
    const unknown = Array.from({ length: 46 }, (_, index) => String(2000000 + index));
    const ids = ['1000001', '1000002', '1000003', '1000004', ...unknown];
    const result = await graphql(PPP_QUERY, { r: children(ids) });
    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities ?? [];
    expect(entities).toHaveLength(50);
    // Unknown children are null entities, exactly as children out of scope are.
    expect(entities.map((child) => child?.id ?? null)).toEqual([
      ...ids.slice(0, 4),
      ...unknown.map(() => null),
    ]);
    // Left care, nothing booked: null. Only an ADJUST line this year: spent, nothing allocated.
    expect(entities[2]?.pupilPremiumPlus).toBeNull();
    expect(entities[3]?.pupilPremiumPlus).toMatchObject({
      allocated: { pence: 0 },
      spent: { pence: 15000 },
      balance: { pence: -15000, formatted: '-£150.00' },
      spend: [{ id: 'L0005', school: null, pepTargetId: null }],
    });
    expect(await factSearches()).toBe(1);
    expect(await searches()).toBe(1);
    expect(await upstreamRequests()).toBe(1);
  });

  it('splits a batch larger than 500 children into chunks of 500', async () => {
    const ids = Array.from({ length: SYNTHETIC_CHILDREN }, (_, index) => String(3000000 + index));
    const result = await graphql(PPP_QUERY, { r: children(ids) });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toHaveLength(SYNTHETIC_CHILDREN);
    expect(result.data?._entities?.every((child) => child?.pupilPremiumPlus === null)).toBe(true);
    expect(await factSearches()).toBe(2);
    expect(await searches()).toBe(2);
  });

  it('resolves a malformed id to null, without asking social care or the finance system', async () => {
    const result = await graphql(PPP_QUERY, {
      r: children(['123', 'CLA/1000001', '10000011', '', null, 1000001]),
    });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities?.map((child) => child?.id ?? null)).toEqual([
      null,
      null,
      null,
      null,
      null,
      '1000001',
    ]);
    expect(result.data?._entities?.[5]?.pupilPremiumPlus).toEqual(expect.anything());
    // Only the numeric (but well-formed) id reached social care and the finance system.
    expect(await factSearches()).toBe(1);
    expect(await searches()).toBe(1);
  });

  it.each(['2025-27', '2025/26', '25-26', '2025-2026', ''])(
    'rejects financialYear %p as BAD_USER_INPUT without asking the finance system',
    async (fy) => {
      const result = await graphql(PPP_QUERY, { r: children(['1000001']), fy });
      expect(result.status).toBe(200);
      expect(result.data?._entities).toEqual([{ id: '1000001', pupilPremiumPlus: null }]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/financialYear.*YYYY-YY/);
      expect(await upstreamRequests()).toBe(0);
    },
  );

  it('reports a finance outage as UPSTREAM_UNAVAILABLE naming the system, never its URL', async () => {
    await simulators.setFaults('finance', { errorRate: 1 });
    const result = await graphql(PPP_QUERY, { r: children(['1000001', '1000002']) });
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([
      { id: '1000001', pupilPremiumPlus: null },
      { id: '1000002', pupilPremiumPlus: null },
    ]);
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors ?? []) {
      expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.message).toMatch(/finance/);
      expect(error.message).not.toMatch(/http|127\.0\.0\.1|\/api\//);
      expect(Object.keys(error.extensions ?? {})).toEqual(['code']);
    }
    expect(await searches()).toBe(1);
  });
});

describe('unspent: allocated minus spent minus the child’s share of the year’s top-slices', () => {
  const UNSPENT = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          id
          current: pupilPremiumPlus {
            allocated {
              pence
            }
            spent {
              pence
            }
            balance {
              pence
            }
            topSliceShare {
              pence
              formatted
            }
            unspent {
              pence
              formatted
            }
            unspentRule
          }
          last: pupilPremiumPlus(financialYear: "2024-25") {
            topSliceShare {
              pence
            }
            unspent {
              pence
            }
          }
        }
      }
    }
  `;

  it('takes off each child’s share, pro rata to allocation, with the top-slices side-loaded by the search', async () => {
    const result = await graphql(UNSPENT, { r: children(['1000001', '1000002', '1000004']) });
    expect(result.errors).toBeUndefined();
    // 2025-26: one top-slice of £5,000 (L0003) over £5,260 allocated to Ava and Jonas
    // (£2,630 each), so each carries 500,000 × 263,000 / 526,000 = 250,000 pence.
    // 2024-25: no top-slices.
    expect(result.data?._entities).toEqual([
      {
        id: '1000001',
        current: {
          allocated: { pence: 263000 },
          spent: { pence: 60000 },
          balance: { pence: 203000 },
          topSliceShare: { pence: 250000, formatted: '£2,500.00' },
          unspent: { pence: 263000 - 60000 - 250000, formatted: '-£470.00' },
          unspentRule: expect.stringMatching(
            /allocated minus spent minus committed .* minus the child’s share/,
          ),
        },
        last: { topSliceShare: { pence: 0 }, unspent: { pence: 257000 - 45000 } },
      },
      {
        id: '1000002',
        current: {
          allocated: { pence: 263000 },
          spent: { pence: 120000 },
          balance: { pence: 143000 },
          topSliceShare: { pence: 250000, formatted: '£2,500.00' },
          unspent: { pence: 263000 - 120000 - 250000, formatted: '-£1,070.00' },
          unspentRule: expect.any(String),
        },
        last: { topSliceShare: { pence: 0 }, unspent: { pence: 214200 - 38000 } },
      },
      {
        // No allocation, a £150 correction: no share, unspent is minus the spend.
        id: '1000004',
        current: {
          allocated: { pence: 0 },
          spent: { pence: 15000 },
          balance: { pence: -15000 },
          topSliceShare: { pence: 0, formatted: '£0.00' },
          unspent: { pence: -15000, formatted: '-£150.00' },
          unspentRule: expect.any(String),
        },
        last: null,
      },
    ]);
    // One search for the three children, which side-loads both years' top-slices
    // (`include=fund_years`): no top-slice read of its own.
    expect(await searches()).toBe(1);
    expect(await topSliceReads()).toBe(0);
    expect(await upstreamRequests()).toBe(1);
  });

  it('reads a year’s top-slices on its own when no child of the search has an allocation that year', async () => {
    // Child 1000004 has spend and no allocation: the search carries no fund year.
    const result = await graphql(UNSPENT, { r: children(['1000004']) });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities?.[0]).toMatchObject({
      current: { topSliceShare: { pence: 0 }, unspent: { pence: -15000 } },
    });
    expect(await searches()).toBe(1);
    expect(await topSliceReads()).toBe(1);
  });

  it('reads no top-slices when neither figure is asked for', async () => {
    const result = await graphql(PPP_QUERY, { r: children(['1000001', '1000002']) });
    expect(result.errors).toBeUndefined();
    expect(await topSliceReads()).toBe(0);
  });

  it('gives a designated teacher no share and no unspent figure, and reads no top-slices', async () => {
    const dt = await tokenFor(['designated-teacher'], { sub: 'DT3001', urns: ['100003'] });
    const result = await graphql(UNSPENT, { r: children(['1000002']) }, dt);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities?.[0]).toMatchObject({
      current: {
        spent: { pence: 120000 },
        topSliceShare: null,
        unspent: null,
        unspentRule: expect.any(String),
      },
      last: { topSliceShare: null, unspent: null },
    });
    expect(await topSliceReads()).toBe(0);
  });
});

describe('identity', () => {
  const refusals: [string, () => Promise<string | null>][] = [
    ['no token', async () => null],
    ['a token that is not a JWT', async () => 'not-a-token'],
    [
      'a token signed by another key',
      async () => (await createTestIdentity()).tokenFor(caller(['virtual-school-head']), 'finance'),
    ],
    [
      'a token for another subgraph',
      async () => identity.tokenFor(caller(['virtual-school-head']), 'social-care'),
    ],
  ];

  it.each(refusals)('answers %s with 401, no data and no upstream call', async (_name, token) => {
    const result = await graphql(PPP_QUERY, { r: children(['1000001']) }, await token());
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      { message: 'Authentication required.', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(await upstreamRequests()).toBe(0);
    expect(await factSearches()).toBe(0);
  });
});

describe('scope', () => {
  const QUERY = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          id
        }
      }
    }
  `;
  const visible = (result: GraphQLResponse) =>
    result.data?._entities?.map((child) => (child?.id as string | undefined) ?? null);

  it('answers a child out of scope exactly as an unknown one: null, no error', async () => {
    const stranger = await tokenFor(['social-worker'], { sub: 'SW999' });
    const outOfScope = await graphql(PPP_QUERY, { r: children(['1000001']) }, stranger);
    const unknown = await graphql(PPP_QUERY, { r: children(['9999999']) }, stranger);
    expect(outOfScope).toEqual({ status: 200, data: { _entities: [null] } });
    expect(unknown).toEqual(outOfScope);
    // Neither reached the finance system.
    expect(await searches()).toBe(0);
  });

  it('shows a social worker their allocated children, restricted ones too', async () => {
    const sw = await tokenFor(['social-worker'], { sub: 'SW001' });
    const result = await graphql(QUERY, { r: children(['1000001', '1000002', '1000004']) }, sw);
    expect(result.errors).toBeUndefined();
    expect(visible(result)).toEqual(['1000001', null, '1000004']);
  });

  it('shows a finance officer every child of the authority but restricted ones', async () => {
    const officer = await tokenFor(['finance-officer'], { sub: 'FO001' });
    const result = await graphql(
      QUERY,
      { r: children(['1000001', '1000002', '1000003', '1000004']) },
      officer,
    );
    expect(result.errors).toBeUndefined();
    expect(visible(result)).toEqual(['1000001', '1000002', '1000003', null]);
  });

  it('shows a finance officer of another authority nobody', async () => {
    const wigan = await tokenFor(['finance-officer'], { sub: 'FO359', la: '359' });
    const result = await graphql(QUERY, { r: children(['1000001']) }, wigan);
    expect(result).toEqual({ status: 200, data: { _entities: [null] } });
  });

  it('shows a teacher nobody without a need-to-know grant', async () => {
    const ungranted = await tokenFor(['teacher'], { sub: 'T999', urns: ['100001'] });
    const result = await graphql(QUERY, { r: children(['1000001']) }, ungranted);
    expect(result).toEqual({ status: 200, data: { _entities: [null] } });
  });
});

describe('categories', () => {
  const forbiddenAt = (...path: unknown[]) => ({
    message: 'Not authorised.',
    path,
    extensions: { code: 'FORBIDDEN' },
  });

  it('lets a finance officer read PP+', async () => {
    const officer = await tokenFor(['finance-officer'], { sub: 'FO001' });
    const result = await graphql(PPP_QUERY, { r: children(['1000001']) }, officer);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities?.[0]).toMatchObject({
      id: '1000001',
      pupilPremiumPlus: { spent: { pence: 60000 }, spend: [{ id: 'L0002' }] },
    });
  });

  it('shows a teacher on the need-to-know list the child’s id, never their funding', async () => {
    const teacher = await tokenFor(['teacher'], { sub: NTK_TEACHER, urns: ['100001'] });
    const result = await graphql(PPP_QUERY, { r: children(['1000001']) }, teacher);
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([{ id: '1000001', pupilPremiumPlus: null }]);
    expect(result.errors).toEqual([forbiddenAt('_entities', 0, 'pupilPremiumPlus')]);
    // Refused before the finance system was asked.
    expect(await searches()).toBe(0);
  });
});

describe('funding for a designated teacher’s own school only', () => {
  const JONAS_2024 = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          pupilPremiumPlus(financialYear: "2024-25") {
            allocated {
              pence
            }
            spent {
              pence
            }
            balance {
              pence
            }
            allocations {
              amount {
                pence
              }
            }
            spend {
              id
              school {
                urn
              }
            }
          }
        }
      }
    }
  `;
  const jonas = { r: children(['1000002']) };
  const ppp = (result: GraphQLResponse) => result.data?._entities?.[0]?.pupilPremiumPlus;

  it('shows the DT of Jonas’s school its own spend lines, with spent and balance from those', async () => {
    // Staff of a school in another authority reach our graph only through a token this
    // authority issued (its \`la\`): another authority's token is a placing authority here.
    const dt = await tokenFor(['designated-teacher'], {
      sub: 'DT3001',
      la: '340',
      urns: ['100003'],
    });
    const result = await graphql(JONAS_2024, jonas, dt);
    expect(result.errors).toBeUndefined();
    expect(ppp(result)).toEqual({
      allocated: { pence: 214200 },
      spent: { pence: 8000 },
      balance: { pence: 206200 },
      allocations: [{ amount: { pence: 214200 } }],
      spend: [{ id: 'L0007', school: { urn: '100003' } }],
    });
  });

  it('shows every spend line to the virtual school head, and to a DT who is also a finance officer', async () => {
    const everyLine = {
      allocated: { pence: 214200 },
      spent: { pence: 38000 },
      balance: { pence: 176200 },
      allocations: [{ amount: { pence: 214200 } }],
      spend: [
        { id: 'L0007', school: { urn: '100003' } },
        { id: 'L0006', school: { urn: '100002' } },
      ],
    };
    const vsh = await graphql(JONAS_2024, jonas);
    expect(vsh.errors).toBeUndefined();
    expect(ppp(vsh)).toEqual(everyLine);

    const both = await tokenFor(['designated-teacher', 'finance-officer'], { urns: ['100003'] });
    const result = await graphql(JONAS_2024, jonas, both);
    expect(result.errors).toBeUndefined();
    expect(ppp(result)).toEqual(everyLine);
  });

  it('shows a DT nothing of a child not on roll at their school', async () => {
    const dt = await tokenFor(['designated-teacher'], { sub: 'ST2001', urns: ['100002'] });
    // Jonas left Hollin Vale: he is no longer in its DT's scope, whatever it spent on him.
    const result = await graphql(JONAS_2024, jonas, dt);
    expect(result).toEqual({ status: 200, data: { _entities: [null] } });
  });
});

// Last: a scope look-up that fails must fail closed.
describe('scope facts failure', () => {
  afterEach(async () => {
    await simulators.setFaults('socialCare', { errorRate: 0 });
  });

  it('answers no child when social care cannot say who is in scope', async () => {
    await simulators.setFaults('socialCare', { errorRate: 1 });
    const result = await graphql(PPP_QUERY, { r: children(['1000001']) });
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([null]);
    expect(result.errors).toEqual([
      {
        message: 'The social care system is unavailable; try again later.',
        path: ['_entities', 0],
        extensions: { code: 'UPSTREAM_UNAVAILABLE' },
      },
    ]);
    expect(await upstreamRequests()).toBe(0);
  });
});
