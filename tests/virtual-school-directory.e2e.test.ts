/**
 * The directory of local authorities' Virtual Schools end to end (issue 15, point 1), through
 * the gateway as each caller would use it: a designated teacher sees, for every looked-after
 * pupil on their roll (ours and other authorities'), whom to call at the placing authority;
 * the virtual school head keeps the directory, and a change shows at once, with its history;
 * every other role is refused the change and nothing changes; another authority's system
 * reads the directory; bad input names every bad field.
 */
import { SignJWT } from 'jose';
import type { Persona, PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import { syntheticVirtualSchools } from '../stores/virtual-school-directory/synthetic-seed';
import { clientFor, graphql, startTestSystem, type GraphQLResult } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

const persona = (name: PersonaName): Persona =>
  system.world.personas.find((candidate) => candidate.name === name)!;

const codesAt = <T>(result: GraphQLResult<T>) =>
  (result.errors ?? []).map((error) => `${(error.path ?? []).join('.')}:${error.extensions?.code}`);

const seeded = () => syntheticVirtualSchools(system.world.asOf);

interface Contact {
  localAuthority: { code: string; name: string };
  headName: string;
  email: string;
  phone: string;
  source: string;
  updatedAt: string;
}

const CONTACT = /* GraphQL */ `
  localAuthority {
    code
    name
  }
  headName
  email
  phone
  source
  updatedAt
`;

const ROLL = /* GraphQL */ `
  query Roll($urn: ID!) {
    school(urn: $urn) {
      lookedAfterPupils {
        upn
        lookedAfterBy {
          code
        }
        child {
          id
        }
        virtualSchoolContact {
          ${CONTACT}
        }
      }
    }
  }
`;

interface RollPupil {
  upn: string;
  lookedAfterBy: { code: string };
  child: { id: string } | null;
  virtualSchoolContact: Contact | null;
}

const DIRECTORY = /* GraphQL */ `
  query Directory($first: Int, $after: String) {
    virtualSchools(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ${CONTACT}
          history {
            changedAt
            changedBy
            before {
              headName
              email
              phone
              source
            }
            after {
              headName
              email
              phone
              source
            }
          }
        }
      }
    }
  }
`;

interface Change {
  changedAt: string;
  changedBy: string;
  before: Omit<Contact, 'localAuthority' | 'updatedAt'> | null;
  after: Omit<Contact, 'localAuthority' | 'updatedAt'>;
}
interface DirectoryPage {
  virtualSchools: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: Contact & { history: Change[] | null } }[];
  };
}

const UPDATE = /* GraphQL */ `
  mutation UpdateVirtualSchool($input: UpdateVirtualSchoolContactInput!) {
    updateVirtualSchoolContact(input: $input) {
      changed
      entry {
        ${CONTACT}
      }
    }
  }
`;

interface UpdateResult {
  updateVirtualSchoolContact: { changed: boolean; entry: Contact } | null;
}

async function dtRoll(): Promise<RollPupil[]> {
  const ask = await clientFor(system, 'designated-teacher');
  const result = await ask<{ school: { lookedAfterPupils: RollPupil[] } }>(ROLL, {
    urn: persona('designated-teacher').urns[0],
  });
  expect(result.errors).toBeUndefined();
  return result.data!.school.lookedAfterPupils;
}

async function directoryEntry(laCode: string) {
  const ask = await clientFor(system, 'vsh');
  const result = await ask<DirectoryPage>(DIRECTORY, { first: 500 });
  expect(result.errors).toBeUndefined();
  return result.data!.virtualSchools.edges.find((edge) => edge.node.localAuthority.code === laCode)!
    .node;
}

describe('a designated teacher', () => {
  it('sees the placing authority’s Virtual School for every looked-after pupil on roll, ours and others’', async () => {
    const pupils = await dtRoll();
    const home = system.world.la.code;
    expect(pupils.some((pupil) => pupil.lookedAfterBy.code === home)).toBe(true);
    expect(pupils.some((pupil) => pupil.lookedAfterBy.code !== home)).toBe(true);
    const byCode = new Map(seeded().map((entry) => [entry.laCode, entry]));
    for (const pupil of pupils) {
      const entry = byCode.get(pupil.lookedAfterBy.code)!;
      expect({ upn: pupil.upn, contact: pupil.virtualSchoolContact }).toEqual({
        upn: pupil.upn,
        contact: {
          localAuthority: { code: entry.laCode, name: expect.any(String) },
          headName: entry.headName,
          email: entry.email,
          phone: entry.phone,
          source: entry.source,
          updatedAt: expect.any(String),
        },
      });
    }
  });

  it('sees our Virtual School on a child of ours, as the child’s placing authority', async () => {
    const ours = (await dtRoll()).find((pupil) => pupil.child !== null)!;
    const ask = await clientFor(system, 'designated-teacher');
    const result = await ask<{ child: { virtualSchoolContact: Contact | null } }>(
      `query ($id: ID!) { child(id: $id) { virtualSchoolContact { ${CONTACT} } } }`,
      { id: ours.child!.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.child.virtualSchoolContact!.localAuthority.code).toBe(system.world.la.code);
  });
});

describe('a teacher on the need-to-know list', () => {
  it('is refused the placing authority’s Virtual School (care status), and nothing else changes', async () => {
    const teacher = persona('teacher-ntk');
    const childId = system.world.needToKnow.find((grant) => grant.staffId === teacher.sub)!.childId;
    const ask = await clientFor(system, 'teacher-ntk');
    const result = await ask<{ child: { yearGroup: string | null; virtualSchoolContact: null } }>(
      `query ($id: ID!) { child(id: $id) { yearGroup virtualSchoolContact { headName } } }`,
      { id: childId },
    );
    expect(codesAt(result)).toEqual(['child.virtualSchoolContact:FORBIDDEN']);
    expect(result.data!.child.virtualSchoolContact).toBeNull();
  });
});

describe('the virtual school head', () => {
  it('updates an entry: the designated teacher sees it at once, with its history', async () => {
    const home = system.world.la.code;
    const other = (await dtRoll()).find((pupil) => pupil.lookedAfterBy.code !== home)!.lookedAfterBy
      .code;
    const details = {
      headName: 'Morgan Fenwick',
      email: 'vs.team@placing.example.gov.uk',
      phone: '020 7946 0555',
      source: 'Confirmed by phone with the Virtual School, 10 February 2026',
    };
    const input = { laCode: other, ...details };
    const head = await clientFor(system, 'vsh');
    const updated = await head<UpdateResult>(UPDATE, { input });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateVirtualSchoolContact).toMatchObject({
      changed: true,
      entry: { ...details, localAuthority: { code: other } },
    });

    // At once: the next request of the designated teacher reads the new entry.
    const seen = (await dtRoll()).filter((pupil) => pupil.lookedAfterBy.code === other);
    expect(seen.length).toBeGreaterThan(0);
    for (const pupil of seen) expect(pupil.virtualSchoolContact).toMatchObject(details);

    // The same again changes nothing and adds no history.
    const again = await head<UpdateResult>(UPDATE, { input });
    expect(again.data!.updateVirtualSchoolContact!.changed).toBe(false);

    const dt = await clientFor(system, 'designated-teacher');
    const page = await dt<DirectoryPage>(DIRECTORY, { first: 500 });
    expect(page.errors).toBeUndefined();
    const entry = page.data!.virtualSchools.edges.find(
      (edge) => edge.node.localAuthority.code === other,
    )!.node;
    const seed = seeded().find((candidate) => candidate.laCode === other)!;
    const { laCode: _code, recordedAt: _at, ...seedDetails } = seed;
    expect(entry.history).toEqual([
      { changedAt: expect.any(String), changedBy: 'system:seed', before: null, after: seedDetails },
      {
        changedAt: entry.updatedAt,
        changedBy: persona('vsh').sub,
        before: seedDetails,
        after: details,
      },
    ]);
  });

  it('gets every bad field named, and nothing changes', async () => {
    const before = await directoryEntry('342');
    const head = await clientFor(system, 'vsh');
    const result = await head<UpdateResult>(UPDATE, {
      input: { laCode: '34', headName: ' ', email: 'not an address', phone: '12345', source: '' },
    });
    expect(codesAt(result)).toEqual(['updateVirtualSchoolContact:BAD_USER_INPUT']);
    const message = result.errors![0]!.message;
    for (const field of ['laCode', 'headName', 'email', 'phone', 'source']) {
      expect(message).toContain(`\`${field}\``);
    }
    expect(message).not.toContain('not an address');
    expect(await directoryEntry('342')).toEqual(before);
  });
});

describe('every other role', () => {
  const others: PersonaName[] = [
    'vs-officer',
    'social-worker',
    'designated-teacher',
    'teacher-ntk',
    'teacher',
    'governor',
    'analyst',
    'finance-officer',
    'placing-authority',
    'auditor',
  ];

  it.each(others)('%s is refused the update, and nothing changes', async (name) => {
    const before = await directoryEntry('343');
    const changesBefore = (await system.stores.virtualSchoolDirectory.historyFor(['343'])).get(
      '343',
    )!.length;
    const ask = await clientFor(system, name);
    const result = await ask<UpdateResult>(UPDATE, {
      input: {
        laCode: '343',
        headName: `Changed by ${name}`,
        email: 'someone@elsewhere.example.gov.uk',
        phone: '01632 960999',
        source: 'Not allowed',
      },
    });
    expect(codesAt(result)).toEqual(['updateVirtualSchoolContact:FORBIDDEN']);
    expect(result.data?.updateVirtualSchoolContact ?? null).toBeNull();
    expect(await directoryEntry('343')).toEqual(before);
    expect(
      (await system.stores.virtualSchoolDirectory.historyFor(['343'])).get('343'),
    ).toHaveLength(changesBefore);
  });
});

describe('another authority’s virtual school head', () => {
  it('is refused the update (authority first: a placing authority only), and nothing changes', async () => {
    const { key, issuer, audience } = system.devIssuer;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ roles: ['virtual-school-head'], la: '359' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject('W100001')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now - 60)
      .setExpirationTime(now + 300)
      .sign(key.privateKey);
    const before = await directoryEntry('359');
    const result = await graphql<UpdateResult>(system.urls.gateway, token, UPDATE, {
      input: {
        laCode: '359',
        headName: 'Someone Else',
        email: 'virtual.school@wigan.example.gov.uk',
        phone: '01632 960359',
        source: 'Their own system',
      },
    });
    expect(codesAt(result)).toEqual(['updateVirtualSchoolContact:FORBIDDEN']);
    expect(await directoryEntry('359')).toEqual(before);
    // What a placing authority gets, it gets: the directory.
    const read = await graphql<DirectoryPage>(system.urls.gateway, token, DIRECTORY, { first: 1 });
    expect(read.data!.virtualSchools.totalCount).toBe(seeded().length);
  });
});

describe('a placing authority', () => {
  it('reads the whole directory, page by page, but not who changed it', async () => {
    const ask = await clientFor(system, 'placing-authority');
    const codes: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: GraphQLResult<DirectoryPage> = await ask<DirectoryPage>(DIRECTORY, {
        first: 4,
        after,
      });
      const page = result.data!.virtualSchools;
      expect(page.totalCount).toBe(seeded().length);
      // The history names our staff: not for another authority's system.
      expect(new Set(codesAt(result))).toEqual(
        new Set(page.edges.map((_edge, i) => `virtualSchools.edges.${i}.node.history:FORBIDDEN`)),
      );
      codes.push(...page.edges.map((edge) => edge.node.localAuthority.code));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(codes).toEqual(seeded().map((entry) => entry.laCode));
  });

  it('has each read of the directory in the access log', async () => {
    const placing = persona('placing-authority');
    const ask = await clientFor(system, 'placing-authority');
    await ask(`query DirectoryRead { virtualSchools(first: 1) { totalCount } }`);
    const events = (await system.stores.audit.query({ actorSub: placing.sub, first: 50 })).events;
    expect(events.find((event) => event.operationName === 'DirectoryRead')).toMatchObject({
      actorRoles: ['placing-authority'],
      childId: null,
      categories: ['VS_DIRECTORY'],
    });
  });

  it('is refused a pupil’s placing authority contact through a school’s roll', async () => {
    const ask = await clientFor(system, 'placing-authority');
    const result = await ask(ROLL, { urn: persona('designated-teacher').urns[0] });
    expect(codesAt(result)).toEqual(['school.lookedAfterPupils:FORBIDDEN']);
  });
});
