/**
 * Governors' reports about all looked-after pupils on roll, by placing authority (issue 15),
 * end to end through the gateway on the seeded authority (seed 1, 600 children, as of
 * 2026-02-10; governors and analysts see the 2026-01-31 snapshot): a governor's report with
 * both groups, the other authorities' share withheld wherever it is 1 to 5 children, the
 * reports that do not ask for other authorities' pupils unchanged, and who is refused.
 */
import { SignJWT } from 'jose';
import type { PersonaName, StudentFull } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import { REPORT_AS_OF, reportWorld } from './support/report-world';
import { clientFor, graphql, startTestSystem } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

interface Figure {
  status: string;
  value: number | null;
}
interface Cell {
  bands: Array<{ dimension: string; code: string | null }>;
  children: Figure;
  measures: Array<{ measure: string; lookedAfter: Figure }>;
}
interface Report {
  referenceDate: string;
  suppressedTotalOnly: boolean;
  total: Cell;
  cells: Cell[];
}
type Answer = {
  data?: { cohortReport: Report | null } | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
};

const REPORT = /* GraphQL */ `
  query CohortReport($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      referenceDate
      suppressedTotalOnly
      total {
        ...Cell
      }
      cells {
        ...Cell
      }
    }
  }
  fragment Cell on CohortCell {
    bands {
      dimension
      code
    }
    children {
      status
      value
    }
    measures {
      measure
      lookedAfter {
        status
        value
      }
    }
  }
`;

const YEAR = { academicYear: '2025/26' };
const SNAPSHOT = '2026-01-31';

/** A governor of `urn` (the named governor the seeded world has at every school of ours). */
async function governorOf(urn: string): Promise<string> {
  const governor = system.world.education.staff.find(
    (s) => s.urn === urn && s.role === 'GOVERNOR',
  )!;
  const { key, issuer, audience } = system.devIssuer;
  return new SignJWT({ roles: ['governor'], la: system.world.la.code, urn: [urn] })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(governor.staff_id)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);
}

async function ask(
  token: string,
  filter: Record<string, unknown>,
  breakdown: string[] = [],
): Promise<Answer> {
  return graphql<{ cohortReport: Report | null }>(system.urls.gateway, token, REPORT, {
    filter,
    breakdown,
  }) as Promise<Answer>;
}

async function askAs(name: PersonaName, filter: Record<string, unknown>, breakdown: string[] = []) {
  const client = await clientFor(system, name);
  return client<{ cohortReport: Report | null }>(REPORT, { filter, breakdown }) as Promise<Answer>;
}

function reportOf(answer: Answer): Report {
  expect(answer.errors).toBeUndefined();
  return answer.data!.cohortReport!;
}

const ourSchools = () =>
  system.world.education.schools
    .filter((s) => s.la_code === system.world.la.code)
    .map((s) => s.urn)
    .sort();

/** Other authorities' looked-after pupils on roll at `urn` on `on`, from the world's records. */
function othersAt(urn: string, on: string): number {
  return system.world.education.students.filter(
    (s) =>
      s.looked_after &&
      s.looked_after_la !== null &&
      s.looked_after_la !== system.world.la.code &&
      s.enrolments.some(
        (e) =>
          e.urn === urn &&
          e.enrolment_status !== 'S' &&
          e.entry_date <= on &&
          (e.leaving_date === null || e.leaving_date >= on),
      ),
  ).length;
}

const shown = (figure: Figure | undefined) => figure?.status === 'VALUE';
const band = (report: Report, code: string) =>
  report.cells.find((cell) => cell.bands[0]?.code === code);

describe("a governor's report about all looked-after pupils on roll, on the seeded authority", () => {
  it('withholds the all-pupils report of a school with 1 to 5 pupils from other authorities', async () => {
    const small = ourSchools()
      .filter((urn) => {
        const others = othersAt(urn, SNAPSHOT);
        return others >= 1 && others <= 5;
      })
      .slice(0, 3);
    expect(small.length).toBeGreaterThan(0);
    for (const urn of small) {
      const token = await governorOf(urn);
      const any = reportOf(await ask(token, { ...YEAR, schoolUrn: urn, placedBy: 'ANY' }));
      expect(any.suppressedTotalOnly).toBe(true);
      expect(any.total.children.status).toBe('SUPPRESSED');
      const others = reportOf(
        await ask(token, { ...YEAR, schoolUrn: urn, placedBy: 'OTHER_AUTHORITIES' }),
      );
      expect(others.total.children.status).toBe('SUPPRESSED');
    }
  }, 120_000);

  it('leaves every report that does not ask for other authorities’ pupils as it was', async () => {
    const head = reportOf(await askAs('vsh', YEAR, ['SCHOOL']));
    const explicit = reportOf(
      await askAs('vsh', { ...YEAR, placedBy: 'THIS_AUTHORITY' }, ['SCHOOL']),
    );
    expect(explicit.cells).toEqual(head.cells);
    const schools = head.cells.filter(
      (c) => c.bands[0]!.code !== null && c.bands[0]!.code !== 'NONE',
    );
    const withFigure = schools.filter((c) => shown(c.children)).length;
    // eslint-disable-next-line no-console
    console.log(JSON.stringify({ headBySchoolWithFigure: withFigure, ofSchools: schools.length }));
    // 26 of the 85 schools had a figure for the head before other authorities' pupils could be
    // asked for (the count the issue records); a report that does not ask for them is unchanged.
    expect(withFigure).toBe(26);
  });

  it('refuses care conditions with other authorities’ pupils, and anyone but a governor of the school, the analyst and the head', async () => {
    const urn = ourSchools()[0]!;
    const token = await governorOf(urn);
    for (const filter of [
      { ...YEAR, schoolUrn: urn, placedBy: 'ANY', uasc: true },
      { ...YEAR, schoolUrn: urn, placedBy: 'OTHER_AUTHORITIES', location: 'IN_AUTHORITY' },
      { ...YEAR, schoolUrn: urn, placedBy: 'ANY', basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' },
    ]) {
      const refused = await ask(token, filter);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const byCare = await ask(token, { ...YEAR, schoolUrn: urn }, [
      'PLACING_AUTHORITY',
      'LEGAL_STATUS',
    ]);
    expect(byCare.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const other = ourSchools()[1]!;
    const elsewhere = await ask(token, { ...YEAR, schoolUrn: other, placedBy: 'ANY' });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wide = await ask(token, { ...YEAR, placedBy: 'ANY' });
    expect(wide.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const name of ['analyst', 'vsh'] as const) {
      expect(
        reportOf(await askAs(name, { ...YEAR, placedBy: 'OTHER_AUTHORITIES' })).total,
      ).toBeDefined();
    }
    for (const name of [
      'teacher',
      'designated-teacher',
      'placing-authority',
      'finance-officer',
    ] as const) {
      const refused = await askAs(name, { ...YEAR, schoolUrn: urn, placedBy: 'ANY' });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data?.cohortReport ?? null).toBeNull();
    }
  });
});

/**
 * The report world (tests/support/report-world.ts: six of our girls in Year 5 at Brookfield,
 * 100001, since 2020, and one pupil Wigan looks after there) with six more pupils other
 * authorities look after at Brookfield since 2022: 6 of ours and 7 of others', unchanged
 * since the previous snapshot, and no one from elsewhere at any other school. (On the seeded
 * authority no school's governor report shows a figure other than 0 at the snapshot, for our
 * children alone either: the over-time and sibling rules withhold them; see the README.)
 */
describe("the governor's report with both groups", () => {
  let small: RunningSystem;
  const BROOKFIELD = '100001';

  beforeAll(async () => {
    const world = reportWorld();
    const template = world.education.students.find((st) => st.upn === 'Z359400117005')!;
    const others: StudentFull[] = Array.from({ length: 6 }, (_, n) => ({
      ...template,
      upn: `Z35940011710${n}`,
      forename: `Other${n}`,
      dob: `2016-0${n + 1}-02`,
      gender: n % 2 === 0 ? 'F' : 'M',
      looked_after_la: n < 3 ? '359' : '341',
      enrolments: [
        {
          urn: BROOKFIELD,
          year_group: '5',
          entry_date: '2022-09-05',
          leaving_date: null,
          enrolment_status: 'C',
        },
      ],
    }));
    world.education.students.push(...others);
    small = await startTestSystem({ world, asOf: REPORT_AS_OF, seed: 0, children: 0 });
  });

  afterAll(async () => {
    await small?.close();
  });

  async function tokenAs(roles: string[], urns: string[] = []): Promise<string> {
    const { key, issuer, audience } = small.devIssuer;
    return new SignJWT({ roles, la: '340', ...(urns.length > 0 ? { urn: urns } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setSubject(`staff-${roles[0]}`)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key.privateKey);
  }

  async function askSmall(
    token: string,
    filter: Record<string, unknown>,
    breakdown: string[] = [],
  ) {
    return (await graphql<{ cohortReport: Report | null }>(small.urls.gateway, token, REPORT, {
      filter,
      breakdown,
    })) as Answer;
  }

  it('shows our children, other authorities’ pupils and all of them at the governor’s school', async () => {
    const governor = await tokenAs(['governor'], [BROOKFIELD]);
    const filter = { ...YEAR, schoolUrn: BROOKFIELD };
    const both = reportOf(await askSmall(governor, filter, ['PLACING_AUTHORITY']));
    expect(both.referenceDate).toBe('2025-10-31');
    expect(both.suppressedTotalOnly).toBe(false);
    expect(band(both, 'OURS')?.children).toMatchObject({ status: 'VALUE', value: 6 });
    expect(band(both, 'OTHERS')?.children).toMatchObject({ status: 'VALUE', value: 7 });
    expect(both.total.children).toMatchObject({ status: 'VALUE', value: 13 });
    // Our children's figure is the one the governor's own report (as before) gives.
    const own = reportOf(await askSmall(governor, filter));
    expect(own.total.children).toMatchObject({ status: 'VALUE', value: 6 });
    const any = reportOf(await askSmall(governor, { ...filter, placedBy: 'ANY' }));
    expect(any.total.children).toMatchObject({ status: 'VALUE', value: 13 });
    const theirs = reportOf(await askSmall(governor, { ...filter, placedBy: 'OTHER_AUTHORITIES' }));
    expect(theirs.total.children).toMatchObject({ status: 'VALUE', value: 7 });

    const measure = (cell: Cell, key: string) => cell.measures.find((m) => m.measure === key)!;
    // PEP and PP+ are not held for other authorities' pupils: `z` wherever they may count.
    for (const key of ['PEP_IN_DATE', 'PUPIL_PREMIUM_PLUS_ALLOCATED']) {
      expect(measure(both.total, key).lookedAfter.status).toBe('NOT_APPLICABLE');
      expect(measure(band(both, 'OTHERS')!, key).lookedAfter.status).toBe('NOT_APPLICABLE');
      expect(measure(band(both, 'OURS')!, key).lookedAfter.status).not.toBe('NOT_APPLICABLE');
    }
    // Measures the education system holds for everyone are figures of all 13.
    expect(measure(both.total, 'SEN_SUPPORT').lookedAfter.status).toBe('VALUE');
  });

  it('withholds the girls and boys from elsewhere (4 and 3), and their complements', async () => {
    const governor = await tokenAs(['governor'], [BROOKFIELD]);
    const byGender = reportOf(
      await askSmall(governor, { ...YEAR, schoolUrn: BROOKFIELD, placedBy: 'ANY' }, ['GENDER']),
    );
    expect(byGender.total.children).toMatchObject({ status: 'VALUE', value: 13 });
    // Boys: 3, all from elsewhere; girls: 6 of ours and 4 from elsewhere (4 is small).
    expect(byGender.cells.map((cell) => cell.children.status)).toEqual([
      'SUPPRESSED',
      'SUPPRESSED',
    ]);
  });

  it('is the head’s and the analyst’s for the authority, and no one else’s', async () => {
    for (const roles of [['virtual-school-head'], ['analyst']]) {
      const answer = await askSmall(await tokenAs(roles), { ...YEAR, placedBy: 'ANY' }, [
        'SCHOOL',
        'PLACING_AUTHORITY',
      ]);
      expect(answer.errors).toBeUndefined();
    }
    const elsewhere = await askSmall(await tokenAs(['governor'], ['100002']), {
      ...YEAR,
      schoolUrn: BROOKFIELD,
      placedBy: 'ANY',
    });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const roles of [['teacher'], ['designated-teacher'], ['finance-officer']]) {
      const refused = await askSmall(await tokenAs(roles, [BROOKFIELD]), {
        ...YEAR,
        schoolUrn: BROOKFIELD,
        placedBy: 'ANY',
      });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data?.cohortReport ?? null).toBeNull();
    }
  });
});
