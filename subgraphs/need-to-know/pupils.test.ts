/**
 * Need-to-know lists of other authorities' pupils, kept by UPN (issue 15), at the need-to-know
 * subgraph over real HTTP against the tiny world's simulators: the designated teacher's
 * mutations and the `PupilOnRoll` references the query planner sends (`_entities`), so a
 * reference can never bring back a list the caller may not see, however it is built.
 *
 * Tiny world: Mia (Z359400117005, looked after by 359) is on roll at Hollin Vale (100002:
 * designated teacher ST2001, teacher ST2002); Ava (1000001, ours, A340200118001) is on roll
 * at Brookfield (100001, designated teacher ST1002).
 */
import type { Caller, Role } from '../../identity/caller';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { openStores, type Stores } from '../../stores/open-stores';
import { caller, createTestIdentity, type TestIdentity } from '../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createNeedToKnowSubgraph } from './subgraph';

const MIA = 'Z359400117005';
const AVA_UPN = 'A340200118001';
const HOLLIN_VALE = '100002';

let simulators: TestSimulators;
let stores: Stores;
let subgraph: SubgraphApp;
let server: RunningServer;
let identity: TestIdentity;

const tokenFor = (roles: Role[], overrides: Partial<Caller> = {}) =>
  identity.tokenFor(caller(roles, overrides), 'need-to-know');
const hollinValeDt = () => tokenFor(['designated-teacher'], { sub: 'ST2001', urns: [HOLLIN_VALE] });

const client = subgraphClient(
  () => server.url,
  () => null,
);

const GRANT = /* GraphQL */ `
  mutation ($input: GrantNeedToKnowByUpnInput!) {
    grantNeedToKnowByUpn(input: $input) {
      changed
      grant {
        urn
        grantedBy
        staffMember {
          staffId
          name
        }
      }
    }
  }
`;

const READ = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on PupilOnRoll {
        needToKnow {
          grants {
            urn
            staffMember {
              staffId
            }
          }
          history {
            action
            staffId
          }
        }
      }
    }
  }
`;

const pupils = (...upns: unknown[]) => upns.map((upn) => ({ __typename: 'PupilOnRoll', upn }));

beforeAll(async () => {
  [simulators, stores, identity] = await Promise.all([
    startTinySimulators(tinyWorld()),
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
    { ...identity.security('need-to-know', stores.needToKnow), stores },
  );
  server = await listen(subgraph.app, 0);
  const granted = await client.graphql(
    GRANT,
    { input: { upn: MIA, staffId: 'ST2002', reason: 'Mia agreed at her PEP' } },
    await hollinValeDt(),
  );
  expect(granted.errors).toBeUndefined();
});

afterAll(async () => {
  await server?.close(100);
  await subgraph?.stop();
  await stores?.close();
  await simulators?.close();
});

describe('grantNeedToKnowByUpn', () => {
  it('records the grant at the school the pupil is on roll at, by UPN, once', async () => {
    const again = await client.graphql(
      GRANT,
      { input: { upn: MIA, staffId: 'ST2002', reason: 'Again' } },
      await hollinValeDt(),
    );
    expect(again.data).toEqual({
      grantNeedToKnowByUpn: {
        changed: false,
        grant: { urn: HOLLIN_VALE, grantedBy: 'ST2001', staffMember: expect.any(Object) },
      },
    });
    expect(await stores.needToKnow.activeUpnsForStaff('ST2002')).toEqual([MIA]);
    expect(await stores.needToKnow.activeChildIdsForStaff('ST2002')).toEqual([]);
  });

  it('refuses a member of staff of another school with BAD_USER_INPUT', async () => {
    const result = await client.graphql(
      GRANT,
      { input: { upn: MIA, staffId: 'ST1001', reason: 'Not at Hollin Vale' } },
      await hollinValeDt(),
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await stores.needToKnow.activeUpnsForStaff('ST1001')).toEqual([]);
  });

  it("answers our own child's UPN at their school's DT as a pupil that is not there", async () => {
    const brookfieldDt = await tokenFor(['designated-teacher'], {
      sub: 'ST1002',
      urns: ['100001'],
    });
    const ours = await client.graphql(
      GRANT,
      { input: { upn: AVA_UPN, staffId: 'ST1001', reason: 'Wrong path' } },
      brookfieldDt,
    );
    const nobody = await client.graphql(
      GRANT,
      { input: { upn: 'Z99999999999Z', staffId: 'ST1001', reason: 'Wrong path' } },
      brookfieldDt,
    );
    expect(ours.errors).toEqual([expect.objectContaining({ message: 'No such pupil.' })]);
    expect({ data: ours.data, errors: ours.errors }).toEqual({
      data: nobody.data,
      errors: nobody.errors,
    });
  });
});

describe('PupilOnRoll references (`_entities`)', () => {
  it("give the pupil's school's designated teacher the list, and nothing for anything else", async () => {
    const result = await client.graphql(
      READ,
      { r: pupils(MIA, AVA_UPN, 'Z99999999999Z', 'UN1', 12) },
      await hollinValeDt(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        needToKnow: {
          grants: [{ urn: HOLLIN_VALE, staffMember: { staffId: 'ST2002' } }],
          history: [{ action: 'GRANTED', staffId: 'ST2002' }],
        },
      },
      null,
      null,
      null,
      null,
    ]);
  });

  it.each<[string, Role[], Partial<Caller>]>([
    ['the virtual school head', ['virtual-school-head'], { sub: 'VSH001' }],
    ['a social worker', ['social-worker'], { sub: 'SW001' }],
    [
      'another school’s designated teacher',
      ['designated-teacher'],
      { sub: 'ST1002', urns: ['100001'] },
    ],
    [
      'the DT’s claims from another authority',
      ['designated-teacher'],
      { sub: 'ST2001', urns: [HOLLIN_VALE], la: '359' },
    ],
    ['an analyst', ['analyst'], { sub: 'A900001' }],
  ])('give %s nothing: the pupil does not exist for them', async (_who, roles, overrides) => {
    const result = await client.graphql(READ, { r: pupils(MIA) }, await tokenFor(roles, overrides));
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([null]);
  });

  it('refuse the list to the teacher named on it: FORBIDDEN on the field', async () => {
    const teacher = await tokenFor(['teacher'], { sub: 'ST2002', urns: [HOLLIN_VALE] });
    const result = await client.graphql(READ, { r: pupils(MIA) }, teacher);
    expect(result.data?._entities).toEqual([{ needToKnow: null }]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 0, 'needToKnow'],
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
  });
});
