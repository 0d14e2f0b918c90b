/**
 * `shared/spec/access.md`, role by role, over the real graph with each persona's real token.
 *
 * For every persona: one query touching every data category of a child IN their scope must
 * return exactly the categories the role may read (the rest null, with FORBIDDEN on their
 * paths), and the same query for a child OUT of scope must answer exactly as for an id that
 * does not exist. The expectations are written here from the spec, independently of the
 * code's own table, and the children are chosen from the seeded world's raw records.
 */
import type { RunningSystem } from '../system/start-system';
import type { PersonaName, World } from '../simulators/seed/world';
import { clientFor, graphql, startTestSystem } from './support/system';

type Category =
  | 'ID_BASIC'
  | 'ID'
  | 'CARE'
  | 'PLACEMENT'
  | 'ADDRESS'
  | 'PR'
  | 'EDU'
  | 'PEP'
  | 'FUNDING'
  | 'CLASSROOM';

/** The "may read" column of access.md, for personas that read individual records. */
const ALLOWED: Record<string, Category[]> = {
  vsh: [
    'ID_BASIC',
    'ID',
    'CARE',
    'PLACEMENT',
    'ADDRESS',
    'PR',
    'EDU',
    'PEP',
    'FUNDING',
    'CLASSROOM',
  ],
  'vs-officer': ['ID_BASIC', 'ID', 'CARE', 'PLACEMENT', 'PR', 'EDU', 'PEP', 'FUNDING', 'CLASSROOM'],
  'social-worker': [
    'ID_BASIC',
    'ID',
    'CARE',
    'PLACEMENT',
    'ADDRESS',
    'PR',
    'EDU',
    'PEP',
    'FUNDING',
    'CLASSROOM',
  ],
  'designated-teacher': [
    'ID_BASIC',
    'ID',
    'CARE',
    'PLACEMENT',
    'PR',
    'EDU',
    'PEP',
    'FUNDING',
    'CLASSROOM',
  ],
  'teacher-ntk': ['ID_BASIC', 'ID', 'CLASSROOM'],
  'finance-officer': ['ID_BASIC', 'FUNDING'],
};

/** Where each category shows in the query below. */
const PATHS: Record<Category, string[][]> = {
  ID_BASIC: [
    ['child', 'id'],
    ['child', 'name'],
  ],
  ID: [
    ['child', 'upn'],
    ['child', 'dateOfBirth'],
    ['child', 'gender'],
  ],
  CARE: [['child', 'careStatus']],
  PLACEMENT: [['child', 'placement']],
  ADDRESS: [['child', 'placementAddress', 'address']],
  PR: [
    ['child', 'socialWorker'],
    ['child', 'parentalResponsibility'],
  ],
  EDU: [['child', 'education']],
  PEP: [['child', 'pep']],
  FUNDING: [['child', 'pupilPremiumPlus']],
  CLASSROOM: [
    ['child', 'yearGroup'],
    ['child', 'sharedSupportStrategies'],
    ['child', 'designatedTeacher'],
  ],
};

const EVERY_CATEGORY = /* GraphQL */ `
  query EveryCategory($id: ID!) {
    child(id: $id) {
      id
      name {
        displayName
      }
      upn
      dateOfBirth
      gender
      careStatus {
        legalStatus {
          code
        }
      }
      placement {
        type {
          code
        }
      }
      placementAddress: placement {
        address {
          postcode
        }
      }
      socialWorker {
        name
      }
      parentalResponsibility {
        summary
      }
      education {
        yearGroup
      }
      pep {
        status
      }
      pupilPremiumPlus {
        financialYear
      }
      yearGroup
      sharedSupportStrategies
      designatedTeacher {
        name
      }
    }
  }
`;

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

function persona(world: World, name: PersonaName) {
  const found = world.personas.find((p) => p.name === name);
  if (!found) throw new Error(`no persona ${name}`);
  return found;
}

/** Current children of this authority, by id, with what scope depends on. */
function currentChildren(world: World) {
  const open = new Set(world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD));
  return world.socialCare.children.filter((child) => open.has(child.CHILD));
}

function onRollAt(world: World, urns: string[]): Set<string> {
  return new Set(
    world.education.students
      .filter(
        (s) =>
          s.looked_after &&
          s.enrolments.some((e) => e.leaving_date === null && urns.includes(e.urn)),
      )
      .map((s) => s.upn),
  );
}

/** A child the persona may see, and one they may not, chosen from the raw records. */
function childrenFor(world: World, name: PersonaName): { inScope: string; outOfScope: string } {
  const p = persona(world, name);
  const current = currentChildren(world).filter((c) => c.UPN.length === 13);
  const roll = onRollAt(world, p.urns);
  const granted = new Set(
    world.needToKnow.filter((g) => g.staffId === p.sub).map((g) => g.childId),
  );
  const visible: Record<string, (c: (typeof current)[number]) => boolean> = {
    vsh: () => true,
    'vs-officer': (c) => c.VS_CASEWORKER_ID === p.sub && !c.RESTRICTED,
    'social-worker': (c) => c.SW_ID === p.sub,
    'designated-teacher': (c) => roll.has(c.UPN) && !c.RESTRICTED,
    'teacher-ntk': (c) => granted.has(c.CHILD) && roll.has(c.UPN) && !c.RESTRICTED,
    'finance-officer': (c) => !c.RESTRICTED,
  };
  const rule = visible[name]!;
  const inScope = current.find(
    (c) => rule(c) && world.education.students.some((s) => s.upn === c.UPN),
  );
  // Out of scope: prefer a restricted child (the hardest case), else any other.
  const outOfScope = current.find((c) => !rule(c) && c.RESTRICTED) ?? current.find((c) => !rule(c));
  if (!inScope) throw new Error(`no child in scope for ${name}`);
  return { inScope: inScope.CHILD, outOfScope: outOfScope?.CHILD ?? '9999998' };
}

const errorPaths = (
  errors: Array<{ path?: Array<string | number>; extensions?: { code?: string } }> | undefined,
  code: string,
) => (errors ?? []).filter((e) => e.extensions?.code === code).map((e) => (e.path ?? []).join('.'));

function valueAt(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    data,
  );
}

describe.each(Object.keys(ALLOWED) as PersonaName[])('%s', (name) => {
  it('reads exactly the categories access.md allows of a child in scope', async () => {
    const { inScope } = childrenFor(system.world, name);
    const ask = await clientFor(system, name);
    const result = await ask(EVERY_CATEGORY, { id: inScope });
    expect(result.status).toBe(200);
    expect(result.data?.child).not.toBeNull();
    const forbidden = errorPaths(result.errors, 'FORBIDDEN');
    const others = (result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
    expect(others).toEqual([]);
    const observed: Record<string, 'read' | 'forbidden'> = {};
    for (const [category, paths] of Object.entries(PATHS) as Array<[Category, string[][]]>) {
      const allowed = ALLOWED[name]!.includes(category);
      for (const path of paths) {
        const key = path.join('.');
        // A category inside a refused parent (the address inside a refused placement) is refused with it.
        const parentRefused = forbidden.some((f) => key.startsWith(`${f}.`));
        if (allowed) {
          expect({ category, key, forbidden: forbidden.includes(key) || parentRefused }).toEqual({
            category,
            key,
            forbidden: false,
          });
        } else {
          expect({ category, key, value: valueAt(result.data, path) ?? null }).toEqual({
            category,
            key,
            value: null,
          });
          expect({ category, key, refused: forbidden.includes(key) || parentRefused }).toEqual({
            category,
            key,
            refused: true,
          });
        }
      }
      observed[category] = allowed ? 'read' : 'forbidden';
    }
    expect(Object.keys(observed)).toHaveLength(Object.keys(PATHS).length);
  });

  it('gets the not-found answer for a child out of scope, identical to an id that does not exist', async () => {
    const { outOfScope } = childrenFor(system.world, name);
    const ask = await clientFor(system, name);
    const hidden = await ask(EVERY_CATEGORY, { id: outOfScope });
    const missing = await ask(EVERY_CATEGORY, { id: '9999999' });
    expect(hidden.status).toBe(200);
    expect(hidden.data).toEqual({ child: null });
    expect({ data: hidden.data, errors: hidden.errors }).toEqual({
      data: missing.data,
      errors: missing.errors,
    });
  });
});

describe.each(['governor', 'analyst', 'placing-authority', 'auditor'] as PersonaName[])(
  '%s',
  (name) => {
    it('reads no individual child record at all', async () => {
      const ask = await clientFor(system, name);
      const anyChild = currentChildren(system.world)[0]!.CHILD;
      const result = await ask(`query ($id: ID!) { child(id: $id) { id name { displayName } } }`, {
        id: anyChild,
      });
      expect(result.data?.child ?? null).toBeNull();
      expect(errorPaths(result.errors, 'FORBIDDEN')).toEqual(['child']);
      const list = await ask(`{ children(first: 5) { totalCount edges { node { id } } } }`);
      expect(list.data?.children ?? null).toBeNull();
      expect(errorPaths(list.errors, 'FORBIDDEN')).toEqual(['children']);
    });
  },
);

describe('teacher (named on no need-to-know list)', () => {
  it('sees no child, by id or in a list', async () => {
    const world = system.world;
    const p = persona(world, 'teacher');
    const roll = onRollAt(world, p.urns);
    const pupil = currentChildren(world).find((c) => roll.has(c.UPN) && !c.RESTRICTED)!;
    const ask = await clientFor(system, 'teacher');
    const byId = await ask(`query ($id: ID!) { child(id: $id) { id } }`, { id: pupil.CHILD });
    expect(byId.data).toEqual({ child: null });
    expect(byId.errors).toBeUndefined();
    const list = await ask(`{ children(first: 50) { totalCount edges { node { id } } } }`);
    expect(list.data).toEqual({ children: { totalCount: 0, edges: [] } });
  });
});

describe('restricted records', () => {
  const RESTRICTED_QUERY = `query ($id: ID!) { child(id: $id) { id } }`;

  it('are visible to the virtual school head and the allocated social worker only', async () => {
    const world = system.world;
    const sw = persona(world, 'social-worker');
    const restricted = currentChildren(world).find((c) => c.RESTRICTED && c.SW_ID === sw.sub);
    expect(restricted).toBeDefined();
    for (const name of ['vsh', 'social-worker'] as PersonaName[]) {
      const result = await (
        await clientFor(system, name)
      )(RESTRICTED_QUERY, { id: restricted!.CHILD });
      expect({ name, child: result.data?.child }).toEqual({
        name,
        child: { id: restricted!.CHILD },
      });
    }
    for (const name of [
      'vs-officer',
      'designated-teacher',
      'teacher-ntk',
      'teacher',
      'finance-officer',
    ] as PersonaName[]) {
      const result = await (
        await clientFor(system, name)
      )(RESTRICTED_QUERY, { id: restricted!.CHILD });
      expect({ name, child: result.data?.child ?? null }).toEqual({ name, child: null });
    }
  });

  it('are absent from every list but the virtual school head and the allocated social worker', async () => {
    const restrictedIds = new Set(
      currentChildren(system.world)
        .filter((c) => c.RESTRICTED)
        .map((c) => c.CHILD),
    );
    for (const name of [
      'vs-officer',
      'designated-teacher',
      'teacher-ntk',
      'finance-officer',
    ] as PersonaName[]) {
      const result = await (
        await clientFor(system, name)
      )<{ children: { edges: Array<{ node: { id: string } }> } }>(
        `{ children(first: 500) { edges { node { id } } } }`,
      );
      expect(result.errors).toBeUndefined();
      const listed = result
        .data!.children.edges.map((e) => e.node.id)
        .filter((id) => restrictedIds.has(id));
      expect({ name, listed }).toEqual({ name, listed: [] });
    }
  });
});

describe('lists hold exactly the children in scope', () => {
  it.each([
    'vsh',
    'vs-officer',
    'social-worker',
    'designated-teacher',
    'teacher-ntk',
    'finance-officer',
  ] as PersonaName[])('%s', async (name) => {
    const world = system.world;
    const p = persona(world, name);
    const roll = onRollAt(world, p.urns);
    const granted = new Set(
      world.needToKnow.filter((g) => g.staffId === p.sub).map((g) => g.childId),
    );
    const rules: Record<string, (c: ReturnType<typeof currentChildren>[number]) => boolean> = {
      vsh: () => true,
      'vs-officer': (c) => c.VS_CASEWORKER_ID === p.sub && !c.RESTRICTED,
      'social-worker': (c) => c.SW_ID === p.sub,
      'designated-teacher': (c) => roll.has(c.UPN) && !c.RESTRICTED,
      'teacher-ntk': (c) => granted.has(c.CHILD) && roll.has(c.UPN) && !c.RESTRICTED,
      'finance-officer': (c) => !c.RESTRICTED,
    };
    const expected = currentChildren(world)
      .filter(rules[name]!)
      .map((c) => c.CHILD)
      .sort();
    const result = await graphql<{
      children: { totalCount: number; edges: Array<{ node: { id: string } }> };
    }>(
      system.urls.gateway,
      await system.tokenFor(name),
      `
        {
          children(first: 500) {
            totalCount
            edges {
              node {
                id
              }
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.children.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 500));
    expect(result.data!.children.totalCount).toBe(expected.length);
  });
});
