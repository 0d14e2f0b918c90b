/**
 * Reaching a Child by another path is filtered exactly like `child(id:)`: through a school's
 * looked-after pupils, and through the query planner's `_entities` (sent here straight to a
 * subgraph with a token the gateway signed for a caller, as the planner would send it).
 */
import { randomUUID } from 'node:crypto';
import type { RunningSystem } from '../system/start-system';
import type { PersonaName } from '../simulators/seed/world';
import { clientFor, graphql, startTestSystem } from './support/system';
import { InternalTokenSigner } from '../identity/internal-token';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

const persona = (name: PersonaName) => system.world.personas.find((p) => p.name === name)!;

describe('through a school’s looked-after pupils', () => {
  const PUPILS = /* GraphQL */ `
    query ($urn: ID!) {
      school(urn: $urn) {
        name
        lookedAfterPupils {
          upn
          lookedAfterBy {
            code
          }
          child {
            id
            careStatus {
              legalStatus {
                code
              }
            }
          }
        }
      }
    }
  `;
  type Pupils = {
    school: {
      name: string;
      lookedAfterPupils: Array<{
        upn: string;
        lookedAfterBy: { code: string };
        child: { id: string } | null;
      }> | null;
    };
  };

  it('shows the school’s designated teacher only children in their scope, never a restricted one', async () => {
    const dt = persona('designated-teacher');
    const result = await (
      await clientFor(system, 'designated-teacher')
    )<Pupils>(PUPILS, { urn: dt.urns[0] });
    expect(result.errors).toBeUndefined();
    const pupils = result.data!.school.lookedAfterPupils!;
    const restricted = new Set(
      system.world.socialCare.children.filter((c) => c.RESTRICTED).map((c) => c.CHILD),
    );
    const ours = pupils.filter((p) => p.lookedAfterBy.code === '340');
    expect(ours.length).toBeGreaterThan(0);
    expect(pupils.some((p) => p.lookedAfterBy.code !== '340')).toBe(true);
    for (const pupil of ours) {
      expect(pupil.child).not.toBeNull();
      expect(restricted.has(pupil.child!.id)).toBe(false);
    }
    for (const pupil of pupils.filter((p) => p.lookedAfterBy.code !== '340'))
      expect(pupil.child).toBeNull();
  });

  it.each(['vs-officer', 'social-worker', 'teacher-ntk', 'finance-officer'] as PersonaName[])(
    'refuses %s the roll (FORBIDDEN), keeping the school',
    async (name) => {
      const dt = persona('designated-teacher');
      const result = await (await clientFor(system, name))<Pupils>(PUPILS, { urn: dt.urns[0] });
      expect(result.data?.school?.name).toBeTruthy();
      expect(result.data?.school?.lookedAfterPupils ?? null).toBeNull();
      expect(result.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([
        ['FORBIDDEN', 'school.lookedAfterPupils'],
      ]);
    },
  );
});

describe('through _entities, as the query planner asks', () => {
  const ENTITIES = /* GraphQL */ `
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Child {
          id
        }
      }
    }
  `;

  async function entitiesAs(
    name: PersonaName,
    subgraph: 'social-care' | 'education' | 'finance' | 'need-to-know',
    ids: string[],
  ) {
    const p = persona(name);
    const variables = { r: ids.map((id) => ({ __typename: 'Child', id })) };
    // Signed over the exact body `graphql` posts, as the gateway signs each call.
    const token = await system.gatewaySigner.sign(
      {
        caller: { sub: p.sub, roles: p.roles as never, la: p.la, urns: p.urns, clientId: null },
        requestId: randomUUID(),
        purpose: null,
      },
      subgraph,
      JSON.stringify({ query: ENTITIES, variables }),
    );
    const result = await graphql<{ _entities: Array<{ id: string } | null> }>(
      system.urls.subgraphs[subgraph],
      token,
      ENTITIES,
      variables,
    );
    expect(result.errors).toBeUndefined();
    return result.data!._entities.map((entity) => entity?.id ?? null);
  }

  it.each(['social-care', 'education', 'finance', 'need-to-know'] as const)(
    '%s answers a social worker only for their own children, and null for a restricted child of another',
    async (subgraph) => {
      const sw = persona('social-worker');
      const current = new Set(
        system.world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD),
      );
      const withUpn = (c: { UPN: string }) => c.UPN.length === 13;
      const children = system.world.socialCare.children.filter(
        (c) => current.has(c.CHILD) && withUpn(c),
      );
      const mine = children.find((c) => c.SW_ID === sw.sub && !c.RESTRICTED)!;
      const sealed = children.find((c) => c.RESTRICTED && c.SW_ID !== sw.sub)!;
      const others = children.find((c) => c.SW_ID !== sw.sub && !c.RESTRICTED)!;
      const answers = await entitiesAs('social-worker', subgraph, [
        mine.CHILD,
        sealed.CHILD,
        others.CHILD,
      ]);
      expect(answers).toEqual([mine.CHILD, null, null]);
    },
  );

  it.each(['social-care', 'education', 'finance', 'need-to-know'] as const)(
    '%s answers a teacher with no need-to-know grant with nothing at all',
    async (subgraph) => {
      const ids = system.world.socialCare.children.slice(0, 20).map((c) => c.CHILD);
      const answers = await entitiesAs('teacher', subgraph, ids);
      expect(answers.every((answer) => answer === null)).toBe(true);
    },
  );

  it('refuses a token the gateway did not sign, outright', async () => {
    const forger = await InternalTokenSigner.generate();
    const variables = { r: [{ __typename: 'Child', id: '1000001' }] };
    const token = await forger.sign(
      {
        caller: {
          sub: 'S100001',
          roles: ['virtual-school-head'],
          la: '340',
          urns: [],
          clientId: null,
        },
        requestId: randomUUID(),
        purpose: null,
      },
      'social-care',
      JSON.stringify({ query: ENTITIES, variables }),
    );
    const result = await graphql(system.urls.subgraphs['social-care'], token, ENTITIES, variables);
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
  });
});
