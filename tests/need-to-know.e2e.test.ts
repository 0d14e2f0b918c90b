/**
 * Need-to-know through the whole graph: a teacher sees exactly the children whose lists name
 * them, and loses a child at once when the school's designated teacher revokes the grant.
 * The grants live in CLA Graph's own store, seeded at first start from the synthetic world.
 */
import type { RunningSystem } from '../system/start-system';
import { clientFor, startTestSystem } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

const LIST = `{ children(first: 100) { totalCount edges { node { id yearGroup sharedSupportStrategies } } } }`;
type ListData = {
  children: {
    totalCount: number;
    edges: Array<{ node: { id: string; yearGroup: string | null } }>;
  };
};

const REVOKE = /* GraphQL */ `
  mutation ($input: RevokeNeedToKnowInput!) {
    revokeNeedToKnow(input: $input) {
      changed
      grant {
        revokedAt
        revokedBy
      }
    }
  }
`;
const GRANT = /* GraphQL */ `
  mutation ($input: GrantNeedToKnowInput!) {
    grantNeedToKnow(input: $input) {
      changed
      grant {
        urn
        grantedBy
        staffMember {
          staffId
        }
      }
    }
  }
`;

describe('a teacher named on need-to-know lists', () => {
  it('sees those children with their year group, loses one at once on revoke, and regains it on a new grant', async () => {
    const world = system.world;
    const teacher = world.personas.find((p) => p.name === 'teacher-ntk')!;
    const dt = world.personas.find((p) => p.name === 'designated-teacher')!;
    const asTeacher = await clientFor(system, 'teacher-ntk');
    const asDt = await clientFor(system, 'designated-teacher');

    const before = await asTeacher<ListData>(LIST);
    expect(before.errors).toBeUndefined();
    const ids = before.data!.children.edges.map((edge) => edge.node.id);
    expect(ids.length).toBeGreaterThan(0);
    const granted = new Set(
      world.needToKnow.filter((g) => g.staffId === teacher.sub).map((g) => g.childId),
    );
    expect(ids.every((id) => granted.has(id))).toBe(true);
    expect(before.data!.children.edges.every((edge) => edge.node.yearGroup !== null)).toBe(true);

    const childId = ids[0]!;
    const revoked = await asDt(REVOKE, {
      input: { childId, staffId: teacher.sub, reason: 'Child asked at PEP review' },
    });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data).toMatchObject({
      revokeNeedToKnow: { changed: true, grant: { revokedBy: dt.sub } },
    });

    const after = await asTeacher<ListData>(LIST);
    expect(after.data!.children.edges.map((edge) => edge.node.id)).toEqual(
      ids.filter((id) => id !== childId),
    );
    expect(after.data!.children.totalCount).toBe(ids.length - 1);
    const direct = await asTeacher(`query ($id: ID!) { child(id: $id) { id } }`, { id: childId });
    expect(direct.data).toEqual({ child: null });
    expect(direct.errors).toBeUndefined();

    const regranted = await asDt(GRANT, {
      input: { childId, staffId: teacher.sub, reason: 'Child agreed again' },
    });
    expect(regranted.errors).toBeUndefined();
    expect(regranted.data).toMatchObject({
      grantNeedToKnow: { changed: true, grant: { urn: dt.urns[0], grantedBy: dt.sub } },
    });
    const restored = await asTeacher<ListData>(LIST);
    expect(restored.data!.children.edges.map((edge) => edge.node.id)).toEqual(ids);
  });

  it('cannot change need-to-know lists itself', async () => {
    const teacher = system.world.personas.find((p) => p.name === 'teacher-ntk')!;
    const asTeacher = await clientFor(system, 'teacher-ntk');
    const childId = system.world.needToKnow.find((g) => g.staffId === teacher.sub)!.childId;
    const result = await asTeacher(REVOKE, {
      input: { childId, staffId: teacher.sub, reason: 'trying' },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const still = await asTeacher<ListData>(LIST);
    expect(still.data!.children.edges.map((edge) => edge.node.id)).toContain(childId);
  });
});
