/**
 * The Virtual School directory in the education subgraph over real HTTP: the education
 * simulator serving the tiny world, social care beside it (scope), CLA Graph's store on
 * in-memory PGlite seeded with the synthetic directory, and GraphQL posted straight to the
 * subgraph with gateway-signed tokens through its shield. The store is wrapped to count its
 * reads, and to fail on demand.
 */
import type { Caller, Role } from '../../../identity/caller';
import type { SubgraphApp } from '../../../lib/graphql/subgraph-server';
import { listen, type RunningServer } from '../../../lib/http/http-server';
import { openStores, type Stores } from '../../../stores/open-stores';
import { syntheticVirtualSchools } from '../../../stores/virtual-school-directory/synthetic-seed';
import { caller, createTestIdentity, type TestIdentity } from '../../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type GraphQLResponse,
  type TestSimulators,
} from '../../../tests/support/subgraph-harness';
import { TINY_AS_OF, tinyWorld } from '../../../tests/support/tiny-world';
import type { EducationConfig } from '../config';
import { createEducationSubgraph } from '../subgraph';
import type { VirtualSchoolDirectory } from './context';

const API_KEY = 'education-vs-directory-test-key-01';
const SOCIAL_CARE_KEY = 'social-care-vs-directory-test-key';
const BROOKFIELD = '100001';
const HOLLIN_VALE = '100002';

let simulators: TestSimulators;
let stores: Stores;
let identity: TestIdentity;
let server: RunningServer;
let subgraph: SubgraphApp;
/** The authority codes of each `byLaCodes` call since the last reset. */
let reads: string[][] = [];
let failing = false;

/** The real store, counted, and failing (with a message naming internals) when asked to. */
function countedDirectory(real: VirtualSchoolDirectory): VirtualSchoolDirectory {
  return {
    all: () => real.all(),
    byLaCodes: async (codes) => {
      reads.push([...codes].sort());
      if (failing) throw new Error('connect ECONNREFUSED 10.0.0.5:5432 relation virtual_school');
      return real.byLaCodes(codes);
    },
    update: (input) => real.update(input),
    historyFor: (codes) => real.historyFor(codes),
  };
}

beforeAll(async () => {
  simulators = await startTinySimulators(tinyWorld(), {
    education: API_KEY,
    socialCare: SOCIAL_CARE_KEY,
  });
  stores = await openStores({ dataDir: 'memory://' });
  await stores.virtualSchoolDirectory.seedIfEmpty(syntheticVirtualSchools(TINY_AS_OF));
  identity = await createTestIdentity();
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
    asOf: TINY_AS_OF,
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
  subgraph = await createEducationSubgraph(config, {
    ...identity.security('education'),
    stores: {
      designatedTeacherHistory: stores.designatedTeacherHistory,
      virtualSchoolDirectory: countedDirectory(stores.virtualSchoolDirectory),
      placedPupils: stores.placedPupils,
    },
  });
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close(100);
  await subgraph?.stop();
  await stores?.close();
  await simulators?.close();
});

beforeEach(() => {
  reads = [];
  failing = false;
});

const tokenFor = (roles: Role[], overrides: Partial<Caller> = {}) =>
  identity.tokenFor(caller(roles, overrides), 'education');
const { graphql } = subgraphClient(
  () => server.url,
  () => null,
);
const codes = (result: GraphQLResponse) =>
  (result.errors ?? []).map((error) => `${(error.path ?? []).join('.')}:${error.extensions?.code}`);

const ROLLS = /* GraphQL */ `
  {
    a: school(urn: "${BROOKFIELD}") {
      lookedAfterPupils {
        upn
        lookedAfterBy {
          code
        }
        virtualSchoolContact {
          localAuthority {
            code
            name
          }
          headName
          email
        }
      }
    }
    b: school(urn: "${HOLLIN_VALE}") {
      lookedAfterPupils {
        upn
        lookedAfterBy {
          code
        }
        virtualSchoolContact {
          localAuthority {
            code
            name
          }
          headName
          email
        }
      }
    }
  }
`;

interface RollPupil {
  upn: string;
  lookedAfterBy: { code: string };
  virtualSchoolContact: { localAuthority: { code: string; name: string }; email: string } | null;
}
interface Rolls {
  a: { lookedAfterPupils: RollPupil[] | null };
  b: { lookedAfterPupils: RollPupil[] | null };
}

describe('a pupil’s placing authority contact', () => {
  it('comes for every pupil on two rolls, ours and Wigan’s, from one directory read', async () => {
    const dt = await tokenFor(['designated-teacher'], { urns: [BROOKFIELD, HOLLIN_VALE] });
    const result = await graphql<Rolls>(ROLLS, undefined, dt);
    expect(result.errors).toBeUndefined();
    const pupils = [...result.data!.a.lookedAfterPupils!, ...result.data!.b.lookedAfterPupils!];
    expect(pupils.map((pupil) => pupil.upn).sort()).toEqual(['A340200118001', 'Z359400117005']);
    for (const pupil of pupils) {
      expect(pupil.virtualSchoolContact!.localAuthority.code).toBe(pupil.lookedAfterBy.code);
    }
    expect(pupils.find((pupil) => pupil.upn === 'Z359400117005')!.virtualSchoolContact).toEqual({
      localAuthority: { code: '359', name: 'Wigan' },
      headName: expect.any(String),
      email: 'virtual.school@wigan.example.gov.uk',
    });
    expect(reads).toEqual([['340', '359']]);
  });

  it('is in the audit trail as the pupil’s care status (CARE), by id or by UPN', async () => {
    const dt = await tokenFor(['designated-teacher'], { urns: [HOLLIN_VALE] });
    const result = await graphql(
      `{ school(urn: "${HOLLIN_VALE}") { lookedAfterPupils { virtualSchoolContact { email } } } }`,
      undefined,
      dt,
    );
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.claAudit).toEqual([
      { childId: null, subjectUpn: 'Z359400117005', categories: ['CARE'] },
    ]);
  });

  it('fails alone when the directory fails: masked, the rest of the roll answered', async () => {
    failing = true;
    const dt = await tokenFor(['designated-teacher'], { urns: [HOLLIN_VALE] });
    const result = await graphql<{
      school: { lookedAfterPupils: { upn: string; virtualSchoolContact: null }[] };
    }>(
      `{ school(urn: "${HOLLIN_VALE}") { lookedAfterPupils { upn virtualSchoolContact { email } } } }`,
      undefined,
      dt,
    );
    expect(codes(result)).toEqual([
      'school.lookedAfterPupils.0.virtualSchoolContact:INTERNAL_SERVER_ERROR',
    ]);
    expect(result.data!.school.lookedAfterPupils).toEqual([
      { upn: 'Z359400117005', virtualSchoolContact: null },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|virtual_school/);
  });
});

describe('a Child’s placing authority contact, through `_entities` and the shield', () => {
  const ENTITIES = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          id
          yearGroup
          virtualSchoolContact {
            localAuthority {
              code
            }
          }
        }
      }
    }
  `;
  const ava = [{ __typename: 'Child', id: '1000001' }];

  it('is this authority’s Virtual School, for a role that reads care status', async () => {
    const result = await graphql(ENTITIES, { r: ava }, await tokenFor(['virtual-school-head']));
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: '1000001', yearGroup: '5', virtualSchoolContact: { localAuthority: { code: '340' } } },
    ]);
  });

  it('is refused to a finance officer (id and name only, no CARE), the id kept', async () => {
    const result = await graphql(
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Child {
              id
              virtualSchoolContact {
                email
              }
            }
          }
        }
      `,
      { r: ava },
      await tokenFor(['finance-officer']),
    );
    expect(codes(result)).toEqual(['_entities.0.virtualSchoolContact:FORBIDDEN']);
    expect(result.data?._entities).toEqual([{ id: '1000001', virtualSchoolContact: null }]);
  });
});

describe('the directory', () => {
  it('is refused to roles that do not read the register', async () => {
    for (const role of ['analyst', 'auditor', 'finance-officer'] as Role[]) {
      const result = await graphql(
        `
          {
            virtualSchools {
              totalCount
            }
          }
        `,
        undefined,
        await tokenFor([role]),
      );
      expect({ role, errors: codes(result) }).toEqual({
        role,
        errors: ['virtualSchools:FORBIDDEN'],
      });
    }
  });

  it('notes one VS_DIRECTORY read in the audit trail, however often the request reads it', async () => {
    const result = await graphql(
      `
        {
          a: virtualSchools(first: 1) {
            totalCount
          }
          b: virtualSchools(first: 2) {
            totalCount
          }
        }
      `,
      undefined,
      await tokenFor(['placing-authority'], { la: '359' }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.claAudit).toEqual([{ childId: null, categories: ['VS_DIRECTORY'] }]);
  });

  it('refuses a bad page size or cursor before reading anything', async () => {
    const result = await graphql(
      `
        {
          virtualSchools(first: 0) {
            totalCount
          }
        }
      `,
      undefined,
      await tokenFor(['virtual-school-head']),
    );
    expect(codes(result)).toEqual(['virtualSchools:BAD_USER_INPUT']);
    const cursor = await graphql(
      `
        {
          virtualSchools(after: "forged") {
            totalCount
          }
        }
      `,
      undefined,
      await tokenFor(['virtual-school-head']),
    );
    expect(codes(cursor)).toEqual(['virtualSchools:BAD_USER_INPUT']);
  });
});
