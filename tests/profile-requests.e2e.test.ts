/**
 * Upstream requests of a child's whole profile (issue 16, point 2), counted by the simulated
 * council systems themselves, through the gateway: education answers the profile from one
 * `students/batch` (schools and designated teachers side-loaded), finance from its client
 * search and the year's top-slices (read side by side), and the PP+ spend's schools are named
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
  it('costs social care one request, education one and finance two, side by side', async () => {
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
    // The client search and the year's top-slices.
    expect(counts.finance).toBe(2);
    // The social care subgraph's own search only: education and finance decide scope on the
    // facts social care sealed for this request (lib/authz/vouched-facts.ts).
    expect(counts.socialCare).toBe(1);
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
