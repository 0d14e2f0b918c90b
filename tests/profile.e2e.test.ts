/**
 * The federated graph end to end: the gateway, the three subgraphs and the three simulated
 * council systems over real HTTP, with the virtual school head's real token. Expected values
 * are read from the seeded world (what the council systems hold), not from our code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningSystem } from '../system/start-system';
import type { StudentFull } from '../simulators/seed/world';
import { clientFor, startTestSystem, TEST_AS_OF } from './support/system';

let system: RunningSystem;
let asVsh: Awaited<ReturnType<typeof clientFor>>;

const PROFILE = readFileSync(
  path.join(__dirname, '..', 'examples', 'child-profile.graphql'),
  'utf8',
);

beforeAll(async () => {
  system = await startTestSystem();
  asVsh = await clientFor(system, 'vsh');
});

afterAll(async () => {
  await system?.close();
});

/** A current child of this authority with a school place, spend this year and a PEP. */
function richChild(): { id: string; student: StudentFull } {
  const { socialCare, education, finance } = system.world;
  const studentsByUpn = new Map(education.students.map((student) => [student.upn, student]));
  const spenders = new Set(
    finance.ledger
      .filter((line) => line.type === 'SPEND' && line.fy === '2025-26')
      .map((line) => line.client_ref),
  );
  const withPep = new Set(socialCare.peps.map((pep) => pep.CHILD));
  for (const child of socialCare.children) {
    const student = studentsByUpn.get(child.UPN);
    const current = socialCare.episodes.some(
      (episode) => episode.CHILD === child.CHILD && episode.DEC === null,
    );
    if (
      student &&
      current &&
      !child.RESTRICTED &&
      spenders.has(`CLA/${child.CHILD}`) &&
      withPep.has(child.CHILD)
    ) {
      if (
        student.enrolments.some((enrolment) => enrolment.leaving_date === null) &&
        student.attendance
      ) {
        return { id: child.CHILD, student };
      }
    }
  }
  throw new Error('the seeded world has no child with education, spend and a PEP');
}

interface Profile {
  child: {
    id: string;
    upn: string;
    name: { forename: string; surname: string };
    careStatus: { legalStatus: { code: string }; placingAuthority: { code: string } };
    placement: { type: { code: string } };
    socialWorker: { name: string } | null;
    education: {
      currentSchool: { urn: string; name: string };
      attendance: {
        possibleSessions: number;
        attendedSessions: number;
        ratePercent: number | null;
      };
      sen: { status: string };
    };
    pep: { status: string; current: { meetingDate: string } | null };
    pupilPremiumPlus: {
      financialYear: string;
      allocated: { pence: number };
      spent: { pence: number };
    };
  } | null;
}

describe('a child profile in one query', () => {
  it('answers with data from social care, education and finance', async () => {
    const { id, student } = richChild();
    const world = system.world;
    const record = world.socialCare.children.find((child) => child.CHILD === id)!;
    const result = await asVsh<Profile>(PROFILE, { id });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    const child = result.data!.child!;

    // Social care
    expect(child.id).toBe(id);
    expect(child.upn).toBe(record.UPN);
    expect(child.name).toMatchObject({ forename: record.FORENAME, surname: record.SURNAME });
    const current = world.socialCare.episodes.find(
      (episode) => episode.CHILD === id && episode.DEC === null,
    )!;
    expect(child.careStatus.legalStatus.code).toBe(current.LS);
    expect(child.careStatus.placingAuthority.code).toBe('340');
    expect(child.placement.type.code).toBe(current.PLACE);
    const worker = world.socialCare.workers.find((w) => w.STAFF_ID === record.SW_ID);
    expect(child.socialWorker?.name).toBe(worker?.NAME);

    // Education, joined by UPN
    const enrolment = student.enrolments.find(
      (e) => e.leaving_date === null && e.enrolment_status !== 'S',
    )!;
    expect(child.education.currentSchool.urn).toBe(enrolment.urn);
    const codes = student.attendance!.codes;
    const notPossible = new Set(['Q', 'X', 'Z', '#', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7']);
    const attendedCodes = new Set(['/', '\\', 'L', 'K', 'V', 'P', 'W', 'B', 'D']);
    const possible = Object.entries(codes).reduce(
      (sum, [code, n]) => (notPossible.has(code) ? sum : sum + n),
      0,
    );
    const attended = Object.entries(codes).reduce(
      (sum, [code, n]) => (attendedCodes.has(code) ? sum + n : sum),
      0,
    );
    expect(child.education.attendance.possibleSessions).toBe(possible);
    expect(child.education.attendance.attendedSessions).toBe(attended);
    expect(child.education.attendance.ratePercent).toBeCloseTo((attended / possible) * 100, 1);
    expect(child.education.sen.status).toBe(
      { E: 'EHC_PLAN', K: 'SEN_SUPPORT', N: 'NONE' }[student.sen.status],
    );

    // PEP
    const peps = world.socialCare.peps.filter(
      (pep) => pep.CHILD === id && pep.MEETING_DATE <= TEST_AS_OF,
    );
    const newest = peps
      .map((pep) => pep.MEETING_DATE)
      .sort()
      .at(-1);
    expect(child.pep.current?.meetingDate).toBe(newest);

    // Finance, joined by social care id
    const allocated = world.finance.allocations
      .filter((a) => a.client_ref === `CLA/${id}` && a.fy === '2025-26')
      .reduce((sum, a) => sum + a.amount_pence, 0);
    const spent = world.finance.ledger
      .filter((l) => l.client_ref === `CLA/${id}` && l.fy === '2025-26' && l.type !== 'TOPSLICE')
      .reduce((sum, l) => sum + l.amount_pence, 0);
    expect(child.pupilPremiumPlus).toMatchObject({
      financialYear: '2025-26',
      allocated: { pence: allocated },
      spent: { pence: spent },
    });
  });

  it('finds a school by URN with its designated teacher', async () => {
    const dt = system.world.education.designatedTeachers[0]!;
    const school = system.world.education.schools.find((s) => s.urn === dt.urn)!;
    const result = await asVsh<{
      school: { urn: string; name: string; designatedTeacher: { workEmail: string } };
    }>(`query ($urn: ID!) { school(urn: $urn) { urn name designatedTeacher { workEmail } } }`, {
      urn: dt.urn,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.school).toEqual({
      urn: dt.urn,
      name: school.name,
      designatedTeacher: { workEmail: dt.email },
    });
  });
});

describe('paging through every child', () => {
  it('visits each current child exactly once, and totalCount agrees', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let page = 0; page < 100; page += 1) {
      const result: Awaited<
        ReturnType<
          typeof asVsh<{
            children: {
              totalCount: number;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
              edges: Array<{ node: { id: string } }>;
            };
          }>
        >
      > = await asVsh(
        `query ($after: String) { children(first: 97, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      const connection = result.data!.children;
      totalCount = connection.totalCount;
      seen.push(...connection.edges.map((edge) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const world = system.world;
    const current = new Set(
      world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD),
    );
    const expected = world.socialCare.children
      .filter((c) => current.has(c.CHILD))
      .map((c) => c.CHILD)
      .sort();
    expect(seen).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });
});

describe('bad input', () => {
  it('gives null for an unknown child, BAD_USER_INPUT for a malformed id, null for an unknown URN — never a 500', async () => {
    const unknown = await asVsh(`{ child(id: "9999999") { id } }`);
    expect(unknown.status).toBe(200);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ child: null });

    const malformed = await asVsh(`{ child(id: "12; DROP TABLE") { id } }`);
    expect(malformed.status).toBe(200);
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.data).toEqual({ child: null });

    const school = await asVsh(`{ school(urn: "999999") { name } }`);
    expect(school.status).toBe(200);
    expect(school.errors).toBeUndefined();
    expect(school.data).toEqual({ school: null });

    const badUrn = await asVsh(`{ school(urn: "abc") { name } }`);
    expect(badUrn.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const badPage = await asVsh(`{ children(first: 10000) { totalCount } }`);
    expect(badPage.status).toBe(200);
    expect(badPage.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('masks errors: no stack trace, no URL, no service name', async () => {
    const malformed = await asVsh(`{ child(id: "x") { id } }`);
    const text = JSON.stringify(malformed);
    expect(text).not.toMatch(/stacktrace|127\.0\.0\.1|localhost|serviceName|at .*\.ts/);
  });
});
