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
      topSliceShare: { formatted: string };
      unspent: { pence: number };
      unspentRule: string;
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
    // D (dual registered): the other school records the session, not possible here.
    const notPossible = new Set([
      'Q',
      'X',
      'Z',
      '#',
      'D',
      'Y1',
      'Y2',
      'Y3',
      'Y4',
      'Y5',
      'Y6',
      'Y7',
    ]);
    const attendedCodes = new Set(['/', '\\', 'L', 'K', 'V', 'P', 'W', 'B']);
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

    // PEP: the one in force is the newest completed PEP held by today (a draft is not held).
    const peps = world.socialCare.peps.filter(
      (pep) => pep.CHILD === id && pep.MEETING_DATE <= TEST_AS_OF && pep.STATUS !== 'DRAFT',
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
    // Unspent takes off the child's share of the year's top-slices, pro rata to allocation.
    const yearAllocated = world.finance.allocations
      .filter((a) => a.fy === '2025-26')
      .reduce((sum, a) => sum + a.amount_pence, 0);
    const topSliced = world.finance.ledger
      .filter((l) => l.fy === '2025-26' && l.type === 'TOPSLICE')
      .reduce((sum, l) => sum + l.amount_pence, 0);
    expect(topSliced).toBeGreaterThan(0);
    const share = Math.round((topSliced * allocated) / yearAllocated);
    expect(child.pupilPremiumPlus).toMatchObject({
      financialYear: '2025-26',
      allocated: { pence: allocated },
      spent: { pence: spent },
      unspent: { pence: allocated - spent - share },
      unspentRule: expect.stringMatching(
        /allocated minus spent minus committed .* minus the child’s share/,
      ),
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

describe('education data from schools outside the authority', () => {
  const QUERY = /* GraphQL */ `
    query ($id: ID!) {
      child(id: $id) {
        education {
          currentSchool {
            urn
            inAuthority
          }
          dataSource {
            source
            latestReturnOn
            missing
          }
          attendance {
            to
            possibleSessions
          }
          exclusions {
            startDate
          }
          attainment {
            ks2 {
              year
            }
            ks2Results {
              year
              academicYear
            }
          }
        }
      }
    }
  `;
  interface Education {
    currentSchool: { urn: string; inAuthority: boolean } | null;
    dataSource: { source: string; latestReturnOn: string | null; missing: string[] };
    attendance: { to: string; possibleSessions: number } | null;
    exclusions: Array<{ startDate: string }> | null;
    attainment: {
      ks2: { year: string } | null;
      ks2Results: Array<{ year: string; academicYear: string }>;
    };
  }

  /** A current, unrestricted child of ours whose pupil record passes `test`. */
  function childWhere(test: (student: StudentFull) => boolean): {
    id: string;
    student: StudentFull;
  } {
    const { socialCare, education } = system.world;
    const byUpn = new Map(education.students.map((student) => [student.upn, student]));
    const current = new Set(socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD));
    for (const child of socialCare.children) {
      const student = byUpn.get(child.UPN);
      if (student && current.has(child.CHILD) && !child.RESTRICTED && test(student)) {
        return { id: child.CHILD, student };
      }
    }
    throw new Error('the seeded world has no such child');
  }
  const onRoll = (student: StudentFull) =>
    student.enrolments.some((e) => e.leaving_date === null && e.enrolment_status !== 'S');

  async function educationOf(id: string): Promise<Education> {
    const result = await asVsh<{ child: { education: Education } }>(QUERY, { id });
    expect(result.errors).toBeUndefined();
    return result.data!.child.education;
  }

  it('shows nothing held for a pupil whose school elsewhere sent no return, and says so', async () => {
    const { id } = childWhere((s) => s.coverage.source === 'NO_RETURN' && onRoll(s));
    const education = await educationOf(id);
    expect(education.currentSchool?.inAuthority).toBe(false);
    expect(education).toMatchObject({
      dataSource: {
        source: 'NO_RETURN',
        latestReturnOn: null,
        missing: ['ATTENDANCE', 'EXCLUSIONS', 'ATTAINMENT'],
      },
      attendance: null,
      exclusions: null,
      attainment: { ks2: null, ks2Results: [] },
    });
  });

  it('counts attendance to the latest return for a pupil whose school elsewhere sends them', async () => {
    const { id, student } = childWhere(
      (s) => s.coverage.source === 'SCHOOL_RETURN' && s.attendance !== null,
    );
    const latest = student.coverage.latest_return_on!;
    expect(latest < TEST_AS_OF).toBe(true);
    const education = await educationOf(id);
    expect(education.currentSchool?.inAuthority).toBe(false);
    expect(education.dataSource).toEqual({
      source: 'SCHOOL_RETURN',
      latestReturnOn: latest,
      missing: [],
    });
    expect(education.attendance?.to).toBe(latest);
    expect(education.exclusions).not.toBeNull();
    for (const exclusion of education.exclusions!) {
      expect(exclusion.startDate <= latest).toBe(true);
    }
  });

  it('shows a pupil at a school of this authority everything, from its feed', async () => {
    const { id, student } = childWhere(
      (s) => s.coverage.source === 'LA_FEED' && s.attendance !== null && onRoll(s),
    );
    const education = await educationOf(id);
    expect(education.currentSchool?.inAuthority).toBe(true);
    expect(education.dataSource).toEqual({ source: 'LA_FEED', latestReturnOn: null, missing: [] });
    expect(education.attendance?.to).toBe(student.attendance!.to);
    expect(education.exclusions).toHaveLength(student.exclusions!.length);
  });

  it('lists KS2 results of two years, each with its academic year', async () => {
    const { id, student } = childWhere((s) => (s.attainment?.ks2.length ?? 0) === 2);
    const [first, second] = student.attainment!.ks2;
    const education = await educationOf(id);
    expect(education.attainment.ks2Results).toEqual([
      { year: first!.year, academicYear: `${Number(first!.year) - 1}/${first!.year.slice(2)}` },
      { year: second!.year, academicYear: `${Number(second!.year) - 1}/${second!.year.slice(2)}` },
    ]);
    expect(education.attainment.ks2).toEqual({ year: second!.year });
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
