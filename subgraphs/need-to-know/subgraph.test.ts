/**
 * The need-to-know subgraph over real HTTP, against the real social care and education
 * simulators serving the tiny world (scope facts from social care, school rolls and staff
 * lists from education) and CLA Graph's own store in memory: mutations and `_entities`
 * queries as the gateway sends them, with gateway-signed tokens, the store to prove what was
 * (and was not) written, and the simulators' counters to prove batching.
 *
 * Tiny world: Ava (1000001) and, added here, Sam (1000005) are on roll at Brookfield
 * (100001, designated teacher ST1002, headteacher ST1001); Noah (1000004) is on roll there
 * too but restricted; Hollin Vale (100002) has ST2001 (its designated teacher) and ST2002.
 */
import { tinyWorld } from '../../tests/support/tiny-world';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import { listen, type RunningServer } from '../../lib/http/http-server';
import type { Caller, Role } from '../../identity/caller';
import { openStores, type Stores } from '../../stores/open-stores';
import { caller, createTestIdentity, type TestIdentity } from '../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type GraphQLResponse,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import { createNeedToKnowSubgraph } from './subgraph';

const FACTS_SEARCH = 'POST /api/v1/children/search';
const STAFF_BATCH = 'POST /v1/staff/batch';

const AVA = '1000001';
const NOAH_RESTRICTED = '1000004';
const SAM = '1000005';
const UNKNOWN_CHILD = '9999999';

interface Change {
  changed: boolean;
  grant: Record<string, unknown> | null;
}

let simulators: TestSimulators;
let stores: Stores;
let subgraph: SubgraphApp;
let server: RunningServer;
let identity: TestIdentity;

/** A gateway-signed token for this subgraph. */
const tokenFor = (roles: Role[], overrides: Partial<Caller> = {}) =>
  identity.tokenFor(caller(roles, overrides), 'need-to-know');
const brookfieldDt = () => tokenFor(['designated-teacher'], { sub: 'ST1002', urns: ['100001'] });
const vsh = () => tokenFor(['virtual-school-head'], { sub: 'VSH001' });

const socialCareStats = () => simulators.stats('socialCare');
const educationStats = () => simulators.stats('education');
/** Requests both council systems answered since the last reset. */
const upstreamRequests = async () =>
  (await socialCareStats()).requests + (await educationStats()).requests;

const client = subgraphClient(
  () => server.url,
  () => null,
);
const graphql = (query: string, variables: Record<string, unknown>, token: string | null) =>
  client.graphql(query, variables, token);

const GRANT_FIELDS = /* GraphQL */ `
  fragment GrantFields on NeedToKnowGrant {
    staffMember {
      staffId
      name
      jobTitle
    }
    urn
    grantedBy
    grantedAt
    reason
    revokedAt
    revokedBy
  }
`;

const GRANT = /* GraphQL */ `
  mutation ($input: GrantNeedToKnowInput!) {
    grantNeedToKnow(input: $input) {
      changed
      grant {
        ...GrantFields
      }
    }
  }
  ${GRANT_FIELDS}
`;

const REVOKE = /* GraphQL */ `
  mutation ($input: RevokeNeedToKnowInput!) {
    revokeNeedToKnow(input: $input) {
      changed
      grant {
        ...GrantFields
      }
    }
  }
  ${GRANT_FIELDS}
`;

const READ = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Child {
        needToKnow {
          grants {
            ...GrantFields
          }
          history {
            action
            staffId
            urn
            actor
            at
            reason
          }
        }
      }
    }
  }
  ${GRANT_FIELDS}
`;

const children = (ids: string[]) => ids.map((id) => ({ __typename: 'Child', id }));

async function grant(
  input: Record<string, unknown>,
  token: string,
): Promise<GraphQLResponse & { change?: Change }> {
  const result = await graphql(GRANT, { input }, token);
  return { ...result, change: result.data?.grantNeedToKnow as Change | undefined };
}

async function revoke(
  input: Record<string, unknown>,
  token: string,
): Promise<GraphQLResponse & { change?: Change }> {
  const result = await graphql(REVOKE, { input }, token);
  return { ...result, change: result.data?.revokeNeedToKnow as Change | undefined };
}

/** Every need-to-know row in the store: a refused change must leave these as they were. */
async function storeRows(): Promise<{ grants: number; events: number }> {
  const { rows } = await stores.db.query<{ grants: number; events: number }>(
    `SELECT (SELECT count(*)::int FROM need_to_know_grant) AS grants,
            (SELECT count(*)::int FROM need_to_know_event) AS events`,
  );
  return rows[0] ?? { grants: -1, events: -1 };
}

function expectRefused(result: GraphQLResponse, code: string, message?: RegExp): void {
  expect(result.status).toBe(200);
  expect(result.data).toBeNull();
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0]?.extensions).toEqual({ code });
  if (message) expect(result.errors?.[0]?.message).toMatch(message);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeAll(async () => {
  const world = tinyWorld();
  // Sam: a second looked-after pupil at Brookfield, so each test can have a child of its own.
  const ava = world.socialCare.children.find((child) => child.CHILD === AVA)!;
  const avaPupil = world.education.students.find((pupil) => pupil.upn === ava.UPN)!;
  world.socialCare.children.push({ ...ava, CHILD: SAM, UPN: 'B340200118005', FORENAME: 'Sam' });
  world.education.students.push({ ...avaPupil, upn: 'B340200118005', forename: 'Sam' });

  [simulators, stores, identity] = await Promise.all([
    startTinySimulators(world),
    openStores({ dataDir: 'memory://' }),
    createTestIdentity(),
  ]);
  subgraph = await createNeedToKnowSubgraph(
    {
      port: 0,
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
    // Scope reads the same store the mutations write: a teacher's scope follows the list.
    { ...identity.security('need-to-know', stores.needToKnow), stores },
  );
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close(100);
  await subgraph?.stop();
  await stores?.close();
  await simulators?.close();
});

beforeEach(async () => {
  const calm = { errorRate: 0, timeoutRate: 0, malformedRate: 0, latencyMs: 0 };
  await simulators.setFaults('education', calm);
  await simulators.resetStats('socialCare', 'education');
});

describe('changing a list as the designated teacher', () => {
  it('grants once, repeats safely, revokes once, and keeps the history', async () => {
    const dt = await brookfieldDt();
    const input = { childId: AVA, staffId: 'ST1001', reason: '  Agreed with Ava at her PEP  ' };

    const first = await grant(input, dt);
    expect(first.errors).toBeUndefined();
    expect(first.change).toEqual({
      changed: true,
      grant: {
        staffMember: { staffId: 'ST1001', name: 'Mrs Hannah Birch', jobTitle: 'Headteacher' },
        urn: '100001',
        grantedBy: 'ST1002',
        grantedAt: expect.stringMatching(ISO),
        reason: 'Agreed with Ava at her PEP',
        revokedAt: null,
        revokedBy: null,
      },
    });
    // The staff list read to check the grant also named the member of staff: no batch look-up.
    expect((await educationStats()).byRoute[STAFF_BATCH]).toBeUndefined();

    const again = await grant(input, dt);
    expect(again.errors).toBeUndefined();
    expect(again.change).toEqual({ ...first.change, changed: false });
    expect((await stores.needToKnow.activeGrantsForChildren([AVA])).get(AVA)).toHaveLength(1);
    expect(await stores.needToKnow.history(AVA)).toMatchObject([
      { action: 'GRANT', staffId: 'ST1001' },
    ]);

    const revokeInput = { childId: AVA, staffId: 'ST1001', reason: 'Ava asked for it to end' };
    const revoked = await revoke(revokeInput, dt);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.change).toMatchObject({
      changed: true,
      grant: { staffMember: { staffId: 'ST1001' }, revokedBy: 'ST1002' },
    });
    expect(revoked.change?.grant?.revokedAt).toMatch(ISO);
    expect(await stores.needToKnow.history(AVA)).toMatchObject([
      { action: 'GRANT', actor: 'ST1002', reason: 'Agreed with Ava at her PEP', urn: '100001' },
      { action: 'REVOKE', actor: 'ST1002', reason: 'Ava asked for it to end', urn: '100001' },
    ]);

    const revokedAgain = await revoke(revokeInput, dt);
    expect(revokedAgain.errors).toBeUndefined();
    expect(revokedAgain.change?.changed).toBe(false);
    expect(revokedAgain.change?.grant?.revokedAt).toBe(revoked.change?.grant?.revokedAt);
    expect(await stores.needToKnow.history(AVA)).toHaveLength(2);

    // The designated teacher reads the list back: nothing active, both events.
    const read = await graphql(READ, { r: children([AVA]) }, dt);
    expect(read.errors).toBeUndefined();
    expect(read.data?._entities).toEqual([
      {
        needToKnow: {
          grants: [],
          history: [
            {
              action: 'GRANTED',
              staffId: 'ST1001',
              urn: '100001',
              actor: 'ST1002',
              at: expect.stringMatching(ISO),
              reason: 'Agreed with Ava at her PEP',
            },
            {
              action: 'REVOKED',
              staffId: 'ST1001',
              urn: '100001',
              actor: 'ST1002',
              at: expect.stringMatching(ISO),
              reason: 'Ava asked for it to end',
            },
          ],
        },
      },
    ]);
  });

  it('answers a revoke of a pair never granted with changed: false and no grant', async () => {
    const before = await storeRows();
    const result = await revoke(
      { childId: AVA, staffId: 'ST2002', reason: 'Never on the list' },
      await brookfieldDt(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.change).toEqual({ changed: false, grant: null });
    expect(await storeRows()).toEqual(before);
  });
});

describe('who may change a list', () => {
  const input = { childId: AVA, staffId: 'ST1001', reason: 'Agreed at the PEP' };

  it.each<[string, Role[], Partial<Caller>]>([
    ['a teacher', ['teacher'], { sub: 'ST1001', urns: ['100001'] }],
    ['a social worker', ['social-worker'], { sub: 'SW001' }],
    ['the virtual school head', ['virtual-school-head'], { sub: 'VSH001' }],
    ['a virtual school officer', ['virtual-school-officer'], { sub: 'VSO001' }],
  ])('refuses %s with FORBIDDEN, storing nothing', async (_name, roles, overrides) => {
    const before = await storeRows();
    const token = await tokenFor(roles, overrides);
    expectRefused(await grant(input, token), 'FORBIDDEN');
    expectRefused(await revoke(input, token), 'FORBIDDEN');
    expect(await storeRows()).toEqual(before);
    expect(await upstreamRequests()).toBe(0);
  });

  it('answers a child not on roll at the caller’s school exactly as an unknown child', async () => {
    const before = await storeRows();
    const hollinValeDt = await tokenFor(['designated-teacher'], {
      sub: 'ST2001',
      urns: ['100002'],
    });
    const outOfScope = await grant({ ...input, staffId: 'ST2002' }, hollinValeDt);
    const unknown = await grant(
      { ...input, childId: UNKNOWN_CHILD, staffId: 'ST2002' },
      hollinValeDt,
    );
    expectRefused(outOfScope, 'NOT_FOUND', /^No such child\.$/);
    expect(unknown).toEqual(outOfScope);
    expectRefused(
      await revoke({ ...input, staffId: 'ST2002' }, hollinValeDt),
      'NOT_FOUND',
      /^No such child\.$/,
    );
    expect(await storeRows()).toEqual(before);
  });

  it('answers a restricted child on roll at the school exactly as an unknown child', async () => {
    const before = await storeRows();
    const dt = await brookfieldDt();
    const restricted = await grant({ ...input, childId: NOAH_RESTRICTED }, dt);
    const unknown = await grant({ ...input, childId: UNKNOWN_CHILD }, dt);
    expectRefused(restricted, 'NOT_FOUND', /^No such child\.$/);
    expect(unknown).toEqual(restricted);
    expect(await storeRows()).toEqual(before);
  });

  it('does not let a wider role stand in for being the child’s designated teacher', async () => {
    // Head of the virtual school (sees Ava) and designated teacher at Hollin Vale (not Ava's).
    const before = await storeRows();
    const token = await tokenFor(['virtual-school-head', 'designated-teacher'], {
      sub: 'ST2001',
      urns: ['100002'],
    });
    expectRefused(await grant({ ...input, staffId: 'ST2002' }, token), 'NOT_FOUND');
    expect(await storeRows()).toEqual(before);
  });

  it.each([
    ['at another school', 'ST2002'],
    ['unknown to the education system', 'ST9999'],
  ])(
    'refuses a member of staff %s with BAD_USER_INPUT, storing nothing',
    async (_name, staffId) => {
      const before = await storeRows();
      const result = await grant({ ...input, staffId }, await brookfieldDt());
      expectRefused(result, 'BAD_USER_INPUT', /not a member of staff at your school/);
      expect(result.errors?.[0]?.message).not.toContain(staffId);
      expect(await storeRows()).toEqual(before);
    },
  );

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a malformed child id', { childId: '123' }, /child id is 7 digits/],
    ['a malformed staff id', { staffId: 'st1001' }, /staff id/],
    ['an empty reason', { reason: '   ' }, /must not be empty/],
    ['a 600-character reason', { reason: 'x'.repeat(600) }, /at most 500 characters/],
  ])('refuses %s with BAD_USER_INPUT before asking anyone', async (_name, change, message) => {
    const before = await storeRows();
    const dt = await brookfieldDt();
    expectRefused(await grant({ ...input, ...change }, dt), 'BAD_USER_INPUT', message);
    expectRefused(await revoke({ ...input, ...change }, dt), 'BAD_USER_INPUT', message);
    expect(await storeRows()).toEqual(before);
    expect(await upstreamRequests()).toBe(0);
  });

  it('stores nothing when the education system is down, and says which system', async () => {
    const before = await storeRows();
    const token = await brookfieldDt();
    await simulators.setFaults('education', { errorRate: 1 });
    const result = await grant({ ...input, childId: SAM }, token).finally(() =>
      simulators.setFaults('education', { errorRate: 0 }),
    );
    expectRefused(result, 'UPSTREAM_UNAVAILABLE', /education/);
    expect(result.errors?.[0]?.message).not.toMatch(/http|127\.0\.0\.1/);
    expect(await storeRows()).toEqual(before);
  });
});

describe('reading a list', () => {
  beforeAll(async () => {
    const dt = await brookfieldDt();
    const granted = await grant(
      { childId: SAM, staffId: 'ST1001', reason: 'Sam wants the head to know' },
      dt,
    );
    expect(granted.change?.changed).toBe(true);
    // A grant naming someone the education system no longer knows.
    await stores.needToKnow.grant({
      childId: SAM,
      staffId: 'ST9998',
      urn: '100001',
      actor: 'ST1002',
      reason: 'Former teaching assistant',
    });
  });

  it('shows the virtual school head every grant, with staff names, from one batch of look-ups', async () => {
    const result = await graphql(
      READ,
      { r: children([SAM, AVA, NOAH_RESTRICTED, UNKNOWN_CHILD, '12']) },
      await vsh(),
    );
    expect(result.errors).toBeUndefined();
    const [sam, ava, noah, unknown, malformed] = (result.data?._entities ?? []) as Array<{
      needToKnow: { grants: unknown[]; history: unknown[] };
    } | null>;
    expect(sam?.needToKnow.grants).toEqual([
      {
        staffMember: { staffId: 'ST1001', name: 'Mrs Hannah Birch', jobTitle: 'Headteacher' },
        urn: '100001',
        grantedBy: 'ST1002',
        grantedAt: expect.stringMatching(ISO),
        reason: 'Sam wants the head to know',
        revokedAt: null,
        revokedBy: null,
      },
      expect.objectContaining({
        staffMember: { staffId: 'ST9998', name: null, jobTitle: null },
      }),
    ]);
    expect(sam?.needToKnow.history).toHaveLength(2);
    // (Arrays parsed by fetch come from another realm than Jest's: no `expect.any(Array)`.)
    expect(Array.isArray(ava?.needToKnow.grants)).toBe(true);
    // The virtual school head sees restricted records too.
    expect(noah).toEqual({ needToKnow: { grants: [], history: [] } });
    expect(unknown).toBeNull();
    expect(malformed).toBeNull();
    expect((await socialCareStats()).byRoute[FACTS_SEARCH]).toBe(1);
    expect((await educationStats()).byRoute[STAFF_BATCH]).toBe(1);
  });

  it("shows Sam's social worker the list", async () => {
    const token = await tokenFor(['social-worker'], { sub: 'SW001' });
    const result = await graphql(READ, { r: children([SAM]) }, token);
    expect(result.errors).toBeUndefined();
    const [sam] = (result.data?._entities ?? []) as Array<{
      needToKnow: { grants: Array<{ staffMember: { staffId: string } }> };
    } | null>;
    expect(sam?.needToKnow.grants.map((grant) => grant.staffMember.staffId)).toEqual([
      'ST1001',
      'ST9998',
    ]);
  });

  it('refuses the list to a teacher named on it: FORBIDDEN on the field', async () => {
    // ST1001 is on Sam's list, so Sam is in their scope; the list itself is not theirs to read.
    const teacher = await tokenFor(['teacher'], { sub: 'ST1001', urns: ['100001'] });
    const result = await graphql(READ, { r: children([SAM]) }, teacher);
    expect(result.status).toBe(200);
    expect(result.data?._entities).toEqual([{ needToKnow: null }]);
    expect(result.errors).toEqual([
      {
        message: expect.any(String),
        path: ['_entities', 0, 'needToKnow'],
        extensions: { code: 'FORBIDDEN' },
      },
    ]);
  });

  it('answers a restricted child to the designated teacher exactly as an unknown one: null', async () => {
    const dt = await brookfieldDt();
    const restricted = await graphql(READ, { r: children([NOAH_RESTRICTED]) }, dt);
    const unknown = await graphql(READ, { r: children([UNKNOWN_CHILD]) }, dt);
    expect(restricted).toEqual({ status: 200, data: { _entities: [null] } });
    expect(unknown).toEqual(restricted);
  });
});

describe('identity', () => {
  const refusals: [string, () => Promise<string | null>][] = [
    ['no token', async () => null],
    ['a token that is not a JWT', async () => 'not-a-token'],
    [
      'a token signed by another key',
      async () =>
        (await createTestIdentity()).tokenFor(caller(['virtual-school-head']), 'need-to-know'),
    ],
    [
      'a token for another subgraph',
      async () =>
        identity.tokenFor(caller(['designated-teacher'], { urns: ['100001'] }), 'finance'),
    ],
  ];

  it.each(refusals)('answers %s with 401, no data and no upstream call', async (_name, token) => {
    const before = await storeRows();
    const input = { childId: AVA, staffId: 'ST1001', reason: 'Agreed' };
    for (const result of [
      await graphql(READ, { r: children([AVA]) }, await token()),
      await graphql(GRANT, { input }, await token()),
    ]) {
      expect(result.status).toBe(401);
      expect(result.data).toBeUndefined();
      expect(result.errors).toEqual([
        { message: 'Authentication required.', extensions: { code: 'UNAUTHENTICATED' } },
      ]);
    }
    expect(await upstreamRequests()).toBe(0);
    expect(await storeRows()).toEqual(before);
  });

  it('is ready while its database answers', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
  });
});
