/**
 * Social care's sealed scope facts (lib/authz/vouched-facts.ts) save the education, finance
 * and need-to-know subgraphs a second look-up in the case system, and admit nobody the
 * look-up would not. Sent here straight to the subgraphs with tokens the gateway signed, as
 * the query planner would send them, so each attack is one a compromised gateway or a
 * replayed representation could make; and through the gateway, to count what is saved.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { RunningSystem } from '../system/start-system';
import type { PersonaName } from '../simulators/seed/world';
import {
  clientFor,
  graphql,
  resetUpstreamCounters,
  startTestSystem,
  upstreamCounts,
  upstreamStats,
} from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

type Subgraph = 'social-care' | 'education' | 'finance' | 'need-to-know';
type Representation = { __typename: 'Child'; id: string; scopeFacts?: unknown };

const persona = (name: PersonaName) => system.world.personas.find((p) => p.name === name)!;

/** What each subgraph answers of a Child, so an admitted child is visible in the answer. */
const FIELDS: Record<Subgraph, string> = {
  'social-care': 'id scopeFacts',
  education: 'id yearGroup',
  finance: 'id pupilPremiumPlus(financialYear: "2025-26") { financialYear }',
  'need-to-know': 'id needToKnow { grants { urn } }',
};

/** `_entities` on one subgraph as `name`, in the gateway request `requestId`. */
async function entities(
  name: PersonaName,
  subgraph: Subgraph,
  representations: Representation[],
  requestId: string,
): Promise<Array<Record<string, unknown> | null>> {
  const p = persona(name);
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Child { ${FIELDS[subgraph]} } } }`;
  const variables = { r: representations };
  const token = await system.gatewaySigner.sign(
    {
      caller: { sub: p.sub, roles: p.roles as never, la: p.la, urns: p.urns, clientId: null },
      requestId,
      purpose: null,
    },
    subgraph,
    JSON.stringify({ query, variables }),
  );
  const result = await graphql<{ _entities: Array<Record<string, unknown> | null> }>(
    system.urls.subgraphs[subgraph],
    token,
    query,
    variables,
  );
  expect(result.errors).toBeUndefined();
  return result.data!._entities;
}

/** Social care's seal on `id` for `name` in `requestId`, as the planner would fetch it. */
async function sealFor(name: PersonaName, id: string, requestId: string): Promise<string> {
  const [entity] = await entities(name, 'social-care', [{ __typename: 'Child', id }], requestId);
  const seal = entity?.scopeFacts;
  if (typeof seal !== 'string') throw new Error(`no seal for ${id}`);
  return seal;
}

/** Current children with a real UPN, split by whether the social worker persona holds them. */
function children() {
  const sw = persona('social-worker');
  const current = new Set(
    system.world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD),
  );
  const known = system.world.socialCare.children.filter(
    (c) => current.has(c.CHILD) && c.UPN.length === 13 && !c.RESTRICTED,
  );
  return {
    mine: known.filter((c) => c.SW_ID === sw.sub),
    others: known.filter((c) => c.SW_ID !== sw.sub),
  };
}

const EXTENDING: Subgraph[] = ['education', 'finance', 'need-to-know'];

describe('a seal social care made for this request and caller', () => {
  it.each(EXTENDING)('lets %s answer without asking social care again', async (subgraph) => {
    const child = children().mine[0]!;
    const requestId = randomUUID();
    const seal = await sealFor('social-worker', child.CHILD, requestId);
    await resetUpstreamCounters(system);
    const [answer] = await entities(
      'social-worker',
      subgraph,
      [{ __typename: 'Child', id: child.CHILD, scopeFacts: seal }],
      requestId,
    );
    expect(answer?.id).toBe(child.CHILD);
    expect((await upstreamCounts(system)).socialCare).toBe(0);
  });

  it.each(EXTENDING)(
    'is not used by %s in another request or for another caller: it asks social care',
    async (subgraph) => {
      const child = children().mine[0]!;
      const seal = await sealFor('social-worker', child.CHILD, randomUUID());
      await resetUpstreamCounters(system);
      const [answer] = await entities(
        'social-worker',
        subgraph,
        [{ __typename: 'Child', id: child.CHILD, scopeFacts: seal }],
        randomUUID(),
      );
      // Still the social worker's child, so still answered: but from social care's own answer.
      expect(answer?.id).toBe(child.CHILD);
      expect((await upstreamCounts(system)).socialCare).toBe(1);
    },
  );
});

describe('a seal that would admit a child the caller may not see', () => {
  it.each(EXTENDING)(
    '%s refuses a seal moved onto another child’s representation',
    async (subgraph) => {
      const { mine, others } = children();
      const requestId = randomUUID();
      const seal = await sealFor('social-worker', mine[0]!.CHILD, requestId);
      const answers = await entities(
        'social-worker',
        subgraph,
        [{ __typename: 'Child', id: others[0]!.CHILD, scopeFacts: seal }],
        requestId,
      );
      expect(answers).toEqual([null]);
    },
  );

  it.each(EXTENDING)(
    '%s refuses facts rewritten to name the caller as social worker, without the key',
    async (subgraph) => {
      const { mine, others } = children();
      const sw = persona('social-worker');
      const requestId = randomUUID();
      // A genuine seal's shape, with another child's id and the caller as its social worker,
      // MACed under a key guessed from the gateway's side (it holds no social care credential).
      const genuine = await sealFor('social-worker', mine[0]!.CHILD, requestId);
      const fields = JSON.parse(
        Buffer.from(genuine.split('.')[0]!, 'base64url').toString('utf8'),
      ) as unknown[];
      fields[4] = others[0]!.CHILD;
      fields[8] = sw.sub;
      const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
      const mac = createHmac('sha256', 'gateway-guess').update(payload).digest('base64url');
      const answers = await entities(
        'social-worker',
        subgraph,
        [{ __typename: 'Child', id: others[0]!.CHILD, scopeFacts: `${payload}.${mac}` }],
        requestId,
      );
      expect(answers).toEqual([null]);
    },
  );

  it.each(EXTENDING)(
    '%s does not let a teacher with no grant use the head’s seal from the same request',
    async (subgraph) => {
      const child = children().mine[0]!;
      const requestId = randomUUID();
      const seal = await sealFor('vsh', child.CHILD, requestId);
      const answers = await entities(
        'teacher',
        subgraph,
        [{ __typename: 'Child', id: child.CHILD, scopeFacts: seal }],
        requestId,
      );
      expect(answers).toEqual([null]);
    },
  );
});

describe('through the gateway', () => {
  const PAGE = /* GraphQL */ `
    query ($first: Int) {
      children(first: $first) {
        edges {
          node {
            id
            yearGroup
            education {
              yearGroup
            }
            pupilPremiumPlus(financialYear: "2025-26") {
              financialYear
            }
            needToKnow {
              grants {
                urn
              }
            }
          }
        }
      }
    }
  `;
  type Page = {
    children: {
      edges: Array<{ node: { id: string; education: unknown; pupilPremiumPlus: unknown } }>;
    };
  };

  it('reads a page of 100 children’s education, PP+ and need-to-know with one social care request', async () => {
    const asVsh = await clientFor(system, 'vsh');
    await resetUpstreamCounters(system);
    const result = await asVsh<Page>(PAGE, { first: 100 });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.children.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(100);
    expect(nodes.filter((node) => node.education !== null).length).toBeGreaterThan(50);
    expect(nodes.filter((node) => node.pupilPremiumPlus !== null).length).toBeGreaterThan(50);
    expect((await upstreamCounts(system)).socialCare).toBe(1);
  });

  it('gives a social worker the same children and fields as before: their own only', async () => {
    const asSw = await clientFor(system, 'social-worker');
    const result = await asSw<Page>(PAGE, { first: 100 });
    expect(result.errors).toBeUndefined();
    const mine = new Set(children().mine.map((c) => c.CHILD));
    const ids = result.data!.children.edges.map((edge) => edge.node.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const record = system.world.socialCare.children.find((c) => c.CHILD === id)!;
      expect(record.SW_ID).toBe(persona('social-worker').sub);
    }
    expect(ids.filter((id) => mine.has(id)).length).toBeGreaterThan(0);
  });

  it('costs a designated teacher’s roll with the children’s education no trip for the seal', async () => {
    // Education's Child fields `@requires` the seal; for a pupil on roll education provides it
    // (`PupilOnRoll.child`), so the planner resolves them in education's own fetch: social care
    // is asked once, by education, for the roll's facts.
    const dt = persona('designated-teacher');
    const asDt = await clientFor(system, 'designated-teacher');
    await resetUpstreamCounters(system);
    const result = await asDt<{
      school: {
        lookedAfterPupils: Array<{ child: { id: string; yearGroup: string | null } | null }>;
      };
    }>(`query ($urn: ID!) { school(urn: $urn) { lookedAfterPupils { child { id yearGroup } } } }`, {
      urn: dt.urns[0],
    });
    expect(result.errors).toBeUndefined();
    const children = result.data!.school.lookedAfterPupils.flatMap((p) => p.child ?? []);
    expect(children.length).toBeGreaterThan(0);
    expect(children.some((child) => child.yearGroup !== null)).toBe(true);
    expect((await upstreamStats(system)).socialCare.byRoute).toEqual({
      'POST /api/v1/children/search': 1,
    });
  });

  it('never shows the seal to a client: the field is not in the API', async () => {
    const asVsh = await clientFor(system, 'vsh');
    const child = children().mine[0]!;
    const result = await asVsh(`query ($id: ID!) { child(id: $id) { id scopeFacts } }`, {
      id: child.CHILD,
    });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/scopeFacts/);
    expect(JSON.stringify(result)).not.toMatch(/\.[A-Za-z0-9_-]{43}"/);
  });
});
