/**
 * Upstream requests of a child's whole profile (issue 16, point 2), counted by the simulated
 * council systems themselves, through the gateway: education answers the profile from one
 * `students/batch` (schools and designated teachers side-loaded), finance from its client
 * search alone (the year's top-slices side-loaded with it, `include=fund_years`), and the PP+
 * spend's schools are named
 * by the finance system (the finance subgraph `@provides` the name), with the same names the
 * education system holds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningSystem } from '../system/start-system';
import {
  clientFor,
  resetUpstreamCounters,
  startTestSystem,
  upstreamCounts,
  upstreamStats,
} from './support/system';

let system: RunningSystem;
let asVsh: Awaited<ReturnType<typeof clientFor>>;

const PROFILE = readFileSync(
  path.join(__dirname, '..', 'examples', 'child-profile.graphql'),
  'utf8',
);

const SPEND = /* GraphQL */ `
  query ($first: Int) {
    children(first: $first) {
      edges {
        node {
          id
          pupilPremiumPlus(financialYear: "2025-26") {
            spend {
              id
              school {
                urn
                name
              }
            }
          }
        }
      }
    }
  }
`;

interface SpendPage {
  children: {
    edges: Array<{
      node: {
        id: string;
        pupilPremiumPlus: {
          spend: Array<{ id: string; school: { urn: string; name: string } | null }>;
        } | null;
      };
    }>;
  };
}

beforeAll(async () => {
  system = await startTestSystem();
  asVsh = await clientFor(system, 'vsh');
});

afterAll(async () => {
  await system?.close();
});

/** A current child with a school place and PP+ spend at a school this financial year. */
function childWithSchoolSpend(): string {
  const { socialCare, education, finance } = system.world;
  const upns = new Map(education.students.map((student) => [student.upn, student]));
  const spenders = new Set(
    finance.ledger
      .filter((line) => line.type === 'SPEND' && line.fy === '2025-26' && line.urn !== null)
      .map((line) => line.client_ref),
  );
  const child = socialCare.children.find(
    (candidate) =>
      !candidate.RESTRICTED &&
      spenders.has(`CLA/${candidate.CHILD}`) &&
      socialCare.episodes.some((e) => e.CHILD === candidate.CHILD && e.DEC === null) &&
      upns.get(candidate.UPN)?.enrolments.some((enrolment) => enrolment.leaving_date === null),
  );
  if (!child) throw new Error('the seeded world has no current child with spend at a school');
  return child.CHILD;
}

describe('upstream requests of a child’s whole profile', () => {
  it('costs social care one request, education one and finance one', async () => {
    const id = childWithSchoolSpend();
    await resetUpstreamCounters(system);
    const result = await asVsh<{ child: { id: string } }>(PROFILE, { id });
    expect(result.errors).toBeUndefined();
    expect(result.data?.child.id).toBe(id);
    const counts = await upstreamCounts(system);
    const stats = await upstreamStats(system);
    // Pupil, schools and designated teacher in one students batch; the spend's schools are
    // named by finance, so no schools batch after finance's answer.
    expect(stats.education.byRoute).toEqual({ 'POST /v1/students/batch': 1 });
    // The client search, which side-loads the year's top-slices: no `GET /top-slices`.
    expect(stats.finance.byRoute).toEqual({ 'POST /api/finance/v1/clients/search': 1 });
    expect(counts.finance).toBe(1);
    // The social care subgraph's own search only: education and finance decide scope on the
    // facts social care sealed for this request (lib/authz/vouched-facts.ts).
    expect(counts.socialCare).toBe(1);
  });
});

const UNSPENT_PAGE = /* GraphQL */ `
  query ($first: Int) {
    children(first: $first) {
      edges {
        node {
          id
          pupilPremiumPlus(financialYear: "2025-26") {
            allocated {
              pence
            }
            spent {
              pence
            }
            committed {
              pence
            }
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
  }
`;

interface UnspentPage {
  children: {
    edges: Array<{
      node: {
        id: string;
        pupilPremiumPlus: Record<
          'allocated' | 'spent' | 'committed' | 'topSliceShare' | 'unspent',
          { pence: number }
        > | null;
      };
    }>;
  };
}

/** What the finance system's own `GET /top-slices` says of a year: top-sliced, allocated. */
async function topSlicesOf(fy: string): Promise<{ topSliced: bigint; allocated: bigint }> {
  const response = await fetch(
    `${system.urls.simulators.finance}/api/finance/v1/top-slices?fy=${fy}`,
    { headers: { authorization: `Bearer ${system.simulatorKeys.finance}` } },
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    data: Array<{ type: string; amount_pence: number }>;
    meta: { allocated_pence: number };
  };
  const topSliced = body.data
    .filter((line) => line.type === 'TOPSLICE')
    .reduce((sum, line) => sum + BigInt(line.amount_pence), 0n);
  return { topSliced, allocated: BigInt(body.meta.allocated_pence) };
}

describe('upstream requests of a page of children’s unspent PP+', () => {
  it('costs finance one request, with the figures GET /top-slices gives', async () => {
    await resetUpstreamCounters(system);
    const result = await asVsh<UnspentPage>(UNSPENT_PAGE, { first: 100 });
    expect(result.errors).toBeUndefined();
    const stats = await upstreamStats(system);
    expect(stats.finance.byRoute).toEqual({ 'POST /api/finance/v1/clients/search': 1 });
    expect((await upstreamCounts(system)).finance).toBe(1);

    const edges = result.data!.children.edges;
    expect(edges).toHaveLength(100);
    // domain.md: the share is top-sliced × the child's allocation ÷ every allocation of the
    // year, to the nearest penny (halves up: every figure here is positive).
    const year = await topSlicesOf('2025-26');
    expect(year.topSliced).toBeGreaterThan(0n);
    let shared = 0;
    for (const { node } of edges) {
      const ppp = node.pupilPremiumPlus;
      if (ppp === null) continue;
      const share = Number(
        (2n * year.topSliced * BigInt(ppp.allocated.pence) + year.allocated) /
          (2n * year.allocated),
      );
      expect({ id: node.id, share: ppp.topSliceShare.pence }).toEqual({ id: node.id, share });
      expect(ppp.unspent.pence).toBe(
        ppp.allocated.pence - ppp.spent.pence - ppp.committed.pence - share,
      );
      if (share > 0) shared += 1;
    }
    expect(shared).toBeGreaterThan(0);
  });
});

describe('the PP+ spend’s schools, named by the finance system', () => {
  it('have the names the education system holds, and cost education nothing', async () => {
    await resetUpstreamCounters(system);
    const result = await asVsh<SpendPage>(SPEND, { first: 100 });
    expect(result.errors).toBeUndefined();
    const schools = result.data!.children.edges.flatMap(
      (edge) => edge.node.pupilPremiumPlus?.spend.flatMap((line) => line.school ?? []) ?? [],
    );
    expect(schools.length).toBeGreaterThan(0);
    const names = new Map(system.world.education.schools.map((s) => [s.urn, s.name]));
    for (const school of schools) expect(school.name).toBe(names.get(school.urn));
    expect((await upstreamStats(system)).education.byRoute).toEqual({});
  });

  it('are answered by education as before when more than the name is asked', async () => {
    const query = SPEND.replace('name\n', 'name\n                phase\n');
    expect(query).toContain('phase');
    const result = await asVsh<SpendPage>(query, { first: 100 });
    expect(result.errors).toBeUndefined();
    const names = new Map(system.world.education.schools.map((s) => [s.urn, s.name]));
    const schools = result.data!.children.edges.flatMap(
      (edge) => edge.node.pupilPremiumPlus?.spend.flatMap((line) => line.school ?? []) ?? [],
    );
    expect(schools.length).toBeGreaterThan(0);
    for (const school of schools) expect(school.name).toBe(names.get(school.urn));
  });
});
