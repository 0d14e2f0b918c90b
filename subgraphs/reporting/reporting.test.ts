/**
 * The reporting subgraph over real HTTP, against the three simulators serving the hand-made
 * report world (tests/support/report-world.ts), with gateway-signed tokens. Every expected number is worked out
 * here from the fixture's records (see the comments), never from the code under test.
 */
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import { listen, type RunningServer } from '../../lib/http/http-server';
import type { Caller, Role } from '../../identity/caller';
import { caller, createTestIdentity, type TestIdentity } from '../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type GraphQLResponse,
  type SimulatorName,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import type { ReportingConfig } from './config';
import { REPORT_AS_OF, reportWorld, reportingConfigFor } from '../../tests/support/report-world';
import { createReportingSubgraph } from './subgraph';

let simulators: TestSimulators;
let subgraph: SubgraphApp;
let server: RunningServer;
let identity: TestIdentity;
let config: ReportingConfig;

interface Figure {
  status: string;
  marker: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  unit: string;
}
interface National {
  value: number;
  academicYear: string;
  sameAcademicYear: boolean;
  cohortRule: string;
  release: string;
}
interface Cell {
  bands: Array<{ dimension: string; code: string | null; label: string }>;
  children: Figure;
  measures: Array<{
    measure: string;
    lookedAfter: Figure;
    peers: Figure;
    gap: Figure;
    coverage: Figure | null;
    national: { lookedAfter: National | null; allPupils: National | null; note: string } | null;
  }>;
}
interface Report {
  academicYear: string;
  from: string;
  to: string;
  measuredTo: string;
  referenceDate: string;
  basis: string;
  financialYear: string;
  suppressedTotalOnly: boolean;
  total: Cell;
  cells: Cell[];
  disclosureControl: { threshold: number; version: string; rules: string[] };
  nationalComparison: {
    version: string;
    source: string;
    figures: Array<{ measure: string; academicYear: string; release: string }>;
  };
}
type ReportData = { cohortReport: Report | null };
type Response = GraphQLResponse<ReportData>;

const FIGURE = 'status marker value numerator denominator unit';
const REPORT = /* GraphQL */ `
  query Report($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      academicYear from to measuredTo referenceDate basis financialYear suppressedTotalOnly
      total { ...Cell }
      cells { ...Cell }
      disclosureControl { threshold version rules }
      nationalComparison { version source figures { measure academicYear cohortRule value unit release } }
    }
  }
  fragment Cell on CohortCell {
    bands { dimension code label }
    children { ${FIGURE} }
    measures {
      measure lookedAfter { ${FIGURE} } peers { ${FIGURE} } gap { ${FIGURE} } coverage { ${FIGURE} }
      national { lookedAfter { ...National } allPupils { ...National } note }
    }
  }
  fragment National on NationalValue { value academicYear sameAcademicYear cohortRule release }
`;

const analyst = caller(['analyst'], { sub: 'A900001' });
/**
 * The virtual school head sees current figures (analysts and governors see the published
 * snapshot: "published snapshots" below), so the figures worked out for today are asked as her.
 */
const head = caller(['virtual-school-head'], { sub: 'V900001' });

const { graphql } = subgraphClient<ReportData>(
  () => server.url,
  () => identity.tokenFor(head, 'reporting'),
);

async function ask(
  filter: Record<string, unknown>,
  breakdown?: string[],
  who: Caller = head,
): Promise<Response> {
  const token = await identity.tokenFor(who, 'reporting');
  return graphql(REPORT, { filter, breakdown }, token);
}

async function report(filter: Record<string, unknown>, breakdown?: string[], who?: Caller) {
  const response = await ask(filter, breakdown, who);
  expect(response.errors).toBeUndefined();
  return response.data!.cohortReport!;
}

const measure = (cell: Cell, key: string) => {
  const found = cell.measures.find((m) => m.measure === key);
  if (!found) throw new Error(`no measure ${key}`);
  return found;
};
/** value, numerator and denominator of a figure, or its marker. */
const v = (figure: Figure) =>
  figure.status === 'VALUE' ? [figure.value, figure.numerator, figure.denominator] : figure.marker;

async function requests(): Promise<Record<SimulatorName, number>> {
  const entries = await Promise.all(
    (Object.keys(simulators.urls) as SimulatorName[]).map(
      async (name) => [name, (await simulators.stats(name)).requests] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<SimulatorName, number>;
}

beforeAll(async () => {
  identity = await createTestIdentity();
  simulators = await startTinySimulators(reportWorld());
  config = reportingConfigFor(simulators);
  subgraph = await createReportingSubgraph(config, identity.security('reporting'));
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close();
  await subgraph?.stop();
  await simulators?.close();
});

describe('every measure of the whole cohort, worked out from the fixture', () => {
  let total: Cell;
  let the: Report;

  beforeAll(async () => {
    the = await report({ academicYear: '2025/26' });
    total = the.total;
  });

  it('takes the cohort on today, in the academic year and financial year it is in', () => {
    expect(the).toMatchObject({
      academicYear: '2025/26',
      from: '2025-09-01',
      to: '2026-08-31',
      measuredTo: REPORT_AS_OF,
      referenceDate: REPORT_AS_OF,
      basis: 'LOOKED_AFTER_AT_DATE',
      financialYear: '2025-26',
      suppressedTotalOnly: false,
    });
  });

  it('counts the 18 children looked after, the restricted one included, not the other two', () => {
    // Groups A, B, C: 6 each. 2000019 left care in June; 2000020 has short breaks (V3).
    expect(v(total.children)).toEqual([18, 18, 18]);
  });

  it('attendance: attended / possible sessions', () => {
    // A: 48 + 47 of 100; B: 40 + 40 of 100; C: 20 + 20 of 100; six children each.
    const attended = 6 * 95 + 6 * 80 + 6 * 40;
    expect(v(measure(total, 'ATTENDANCE_RATE').lookedAfter)).toEqual([72, attended, 1800]);
  });

  it('persistent and severe absence: children missing 10% / 50% of possible sessions', () => {
    // A misses 5%, B 20%, C 60%: B and C are persistently absent, C severely.
    expect(v(measure(total, 'PERSISTENT_ABSENCE').lookedAfter)).toEqual([67, 12, 18]);
    expect(v(measure(total, 'SEVERE_ABSENCE').lookedAfter)).toEqual([33, 6, 18]);
  });

  it('suspensions and permanent exclusions this period, of the children on roll', () => {
    // B: a suspension each on 2025-10-20. C: permanently excluded on 2025-10-08.
    expect(v(measure(total, 'ONE_OR_MORE_SUSPENSIONS').lookedAfter)).toEqual([33, 6, 18]);
    // The DfE's suspension rate: 6 suspensions per 18 pupils = 33 per 100.
    const rate = measure(total, 'SUSPENSION_RATE').lookedAfter;
    expect(v(rate)).toEqual([33, 6, 18]);
    expect(rate.unit).toBe('PER_100_PUPILS');
    expect(measure(total, 'ONE_OR_MORE_SUSPENSIONS').lookedAfter.unit).toBe('PERCENT');
    expect(v(measure(total, 'PERMANENT_EXCLUSIONS').lookedAfter)).toEqual([6, 6, 18]);
    // Every school sent its data (Marsh Lane, elsewhere, by its return): all 18 covered.
    expect(v(measure(total, 'SUSPENSION_RATE').coverage!)).toEqual([100, 18, 18]);
  });

  it('PEP in date, and first PEP on time for entries to care', () => {
    // In date (CURRENT or DUE): A and B (2025-10-01, this term); C's last was 2025-03-10,
    // two terms ago (OVERDUE).
    expect(v(measure(total, 'PEP_IN_DATE').lookedAfter)).toEqual([67, 12, 18]);
    // Entries in the period: B on 2025-09-15, first PEP 2025-10-01, inside 20 school days.
    expect(v(measure(total, 'FIRST_PEP_ON_TIME').lookedAfter)).toEqual([100, 6, 6]);
  });

  it('SEN shares of the children on roll', () => {
    expect(v(measure(total, 'SEN_EHC_PLAN').lookedAfter)).toEqual([33, 6, 18]); // B
    expect(v(measure(total, 'SEN_SUPPORT').lookedAfter)).toEqual([33, 6, 18]); // A
  });

  it('KS2 and KS4: results of the report’s academic year only, never of another year', () => {
    // B and C hold KS2 results of 2018/2019 and KS4 results of summer 2025 (2024/25): none is
    // of 2025/26, so nothing is counted (z), and no peers are set beside nothing.
    for (const key of [
      'KS2_RWM_EXPECTED',
      'KS4_ATTAINMENT_8',
      'KS4_ENGLISH_MATHS_4_PLUS',
      'KS4_ENGLISH_MATHS_5_PLUS',
    ]) {
      expect([key, measure(total, key).lookedAfter.marker]).toEqual([key, 'z']);
      expect([key, measure(total, key).peers.marker]).toEqual([key, 'z']);
    }
  });

  it('school moves: a new school mid-year after leaving another this year', () => {
    // B: Hollin Vale to Marsh Lane in October; C: Hollin Vale to the PRU after exclusion.
    expect(v(measure(total, 'SCHOOL_MOVES').lookedAfter)).toEqual([67, 12, 18]);
  });

  it('Pupil Premium Plus for 2025-26, in pounds', () => {
    // Allocated: A 2,630, B 1,500, C 2,630. Spent: A 600, C 1,000.
    expect(v(measure(total, 'PUPIL_PREMIUM_PLUS_ALLOCATED').lookedAfter)).toEqual([
      40560, 40560, 18,
    ]);
    expect(v(measure(total, 'PUPIL_PREMIUM_PLUS_SPENT').lookedAfter)).toEqual([9600, 9600, 18]);
    // Unspent takes off each child's share of the year's top-slices: £4,056 top-sliced over
    // the £40,560 allocated, so a tenth of each allocation (A 263, B 150, C 263).
    // 40,560 - 9,600 - 4,056 = 26,904.
    expect(v(measure(total, 'PUPIL_PREMIUM_PLUS_UNSPENT').lookedAfter)).toEqual([26904, 26904, 18]);
    expect(measure(total, 'PUPIL_PREMIUM_PLUS_SPENT').lookedAfter.unit).toBe('POUNDS');
  });

  it('says how unspent PP+ is computed, in the measure’s label', async () => {
    const token = await identity.tokenFor(head, 'reporting');
    const response = await graphql(
      /* GraphQL */ `
        query ($filter: CohortFilter!) {
          cohortReport(filter: $filter) {
            total {
              measures {
                measure
                label
              }
            }
          }
        }
      `,
      { filter: { academicYear: '2025/26' } },
      token,
    );
    const measures = (
      response.data?.cohortReport as unknown as {
        total: { measures: Array<Record<string, string>> };
      }
    ).total.measures;
    expect(measures.find((m) => m.measure === 'PUPIL_PREMIUM_PLUS_UNSPENT')?.label).toMatch(
      /allocated minus spent minus committed minus the child’s share of top-slices/,
    );
  });

  it('peers: all pupils in the same schools and year groups, and the gap', () => {
    // Now at: A Brookfield Y5, B Marsh Lane Y12, C the PRU Y12 (not Hollin Vale, not 2024/25).
    const peers = (key: string) => v(measure(total, key).peers);
    const gap = (key: string) => measure(total, key).gap.value;
    expect(peers('ATTENDANCE_RATE')).toEqual([92, 2850 + 9300 + 1600, 3000 + 10000 + 2000]);
    expect(gap('ATTENDANCE_RATE')).toBe(-20); // 71.67 - 91.67
    expect(peers('PERSISTENT_ABSENCE')).toEqual([19, 3 + 15 + 10, 150]);
    expect(gap('PERSISTENT_ABSENCE')).toBe(48); // 66.67 - 18.67
    // 0 + 2 + 3 = 5 pupils severely absent: a small count, suppressed like any other.
    expect(peers('SEVERE_ABSENCE')).toBe('c');
    expect(measure(total, 'SEVERE_ABSENCE').gap.marker).toBe('c');
    expect(peers('ONE_OR_MORE_SUSPENSIONS')).toEqual([5, 8, 150]);
    // 0 + 5 + 9 = 14 suspensions per 150 pupils: 9 per 100; the gap 33.33 - 9.33 = 24 per 100.
    expect(peers('SUSPENSION_RATE')).toEqual([9, 14, 150]);
    expect(measure(total, 'SUSPENSION_RATE').gap).toMatchObject({
      value: 24,
      unit: 'PER_100_PUPILS',
    });
    expect(peers('PERMANENT_EXCLUSIONS')).toEqual([0, 0, 150]);
    expect(measure(total, 'PERMANENT_EXCLUSIONS').gap.marker).toBe('z');
    expect(peers('SEN_EHC_PLAN')).toEqual([5, 7, 150]);
    expect(gap('SEN_EHC_PLAN')).toBe(29); // 33.33 - 4.67
    expect(peers('SEN_SUPPORT')).toEqual([14, 21, 150]);
    // Schools report no PEPs, moves or PP+.
    for (const key of [
      'PEP_IN_DATE',
      'FIRST_PEP_ON_TIME',
      'SCHOOL_MOVES',
      'PUPIL_PREMIUM_PLUS_SPENT',
    ]) {
      expect(peers(key)).toBe('z');
    }
  });

  it('names its disclosure rules and the national reference table it compares with', () => {
    expect(the.disclosureControl.threshold).toBe(6);
    expect(the.disclosureControl.rules.length).toBeGreaterThan(3);
    expect(the.nationalComparison.version).toMatch(/^\d{4}-\d{2}/);
    expect(the.nationalComparison.figures.map((f) => f.measure)).toContain('KS4_ATTAINMENT_8');
    for (const figure of the.nationalComparison.figures)
      expect(figure.release).toMatch(/DfE|Outcomes/);
  });

  it('sets national figures beside a measure like for like, naming year and release', () => {
    // A report on everyone looked after today: the DfE's looked-after figures are for the
    // 12-months-at-31-March cohort, so only all pupils are set beside it.
    const ks2 = measure(total, 'KS2_RWM_EXPECTED').national!;
    expect(ks2.lookedAfter).toBeNull();
    expect(ks2.note).toMatch(/12 months at 31 March/);
    expect(ks2.allPupils).toMatchObject({
      academicYear: '2023/24',
      sameAcademicYear: false,
      cohortRule: 'ALL_PUPILS',
      value: 61,
    });
    expect(ks2.allPupils!.release).toMatch(/reporting year 2024/);
    expect(measure(total, 'PEP_IN_DATE').national).toBeNull();
  });
});

describe('key stage results by academic year', () => {
  it('counts a child’s KS2 result of the report’s year only, when they hold two', async () => {
    // C hold KS2 results of 2018 (expected) and 2019 (not); C alone were looked after at the
    // end of both years (since 2018-06-01).
    const first = await report({ academicYear: '2017/18' });
    expect(first.total.children.value).toBe(6);
    expect(v(measure(first.total, 'KS2_RWM_EXPECTED').lookedAfter)).toEqual([100, 6, 6]);
    const second = await report({ academicYear: '2018/19' });
    expect(v(measure(second.total, 'KS2_RWM_EXPECTED').lookedAfter)).toEqual([0, 0, 6]);
  });

  it('counts 2024/25 KS4 results in the 2024/25 report, beside the same year’s peers', async () => {
    // At 31 August 2025: A (Year 5) and C (Year 11, at Hollin Vale): C's KS4 of summer 2025.
    const last = await report({ academicYear: '2024/25' });
    const ks4 = measure(last.total, 'KS4_ATTAINMENT_8');
    expect(v(ks4.lookedAfter)).toEqual([20, 120, 6]);
    // Hollin Vale's Year 11 of 2024/25: 6,900 points over 150 pupils = 46.
    expect(v(ks4.peers)).toEqual([46, 6900, 150]);
    expect(ks4.gap.value).toBe(-26);
    expect(v(measure(last.total, 'KS4_ENGLISH_MATHS_4_PLUS').lookedAfter)).toEqual([0, 0, 6]);
    // KS4 coverage: the six in Year 11 that year, all results held.
    expect(v(ks4.coverage!)).toEqual([100, 6, 6]);
    // The outcome basis is not asked: no national looked-after figure beside it.
    expect(ks4.national!.lookedAfter).toBeNull();
    expect(ks4.national!.allPupils).toMatchObject({ academicYear: '2022/23', value: 46.3 });
  });
});

describe('breakdowns', () => {
  it('breaks down by placement location: cells, and the total of the dimension', async () => {
    const byLocation = await report({ academicYear: '2025/26' }, ['LOCATION']);
    const [inside, outside] = byLocation.cells;
    expect(inside!.bands).toEqual([
      { dimension: 'LOCATION', code: 'IN_AUTHORITY', label: "Placed inside the authority's area" },
    ]);
    // Inside: A and C (12); outside: B, in Wigan (6).
    expect(v(inside!.children)).toEqual([12, 12, 12]);
    expect(v(outside!.children)).toEqual([6, 6, 6]);
    expect(v(measure(inside!, 'SEVERE_ABSENCE').lookedAfter)).toEqual([50, 6, 12]);
    expect(v(measure(outside!, 'ONE_OR_MORE_SUSPENSIONS').lookedAfter)).toEqual([100, 6, 6]);
    expect(v(measure(inside!, 'ONE_OR_MORE_SUSPENSIONS').lookedAfter)).toEqual([0, 0, 12]);
  });

  it('lists schools where the cohort has children, by name', async () => {
    const bySchool = await report({ academicYear: '2025/26' }, ['SCHOOL']);
    expect(
      bySchool.cells.map((c) => [c.bands[0]!.code, c.bands[0]!.label, c.children.value]),
    ).toEqual([
      ['100001', 'Brookfield Primary School (100001)', 6],
      ['100003', 'Marsh Lane High School (100003)', 6],
      ['100004', 'Knowsley Pupil Referral Unit (100004)', 6],
    ]);
  });

  it('refuses more than two dimensions, or one twice', async () => {
    for (const breakdown of [
      ['AGE_BAND', 'GENDER', 'LOCATION'],
      ['GENDER', 'GENDER'],
    ]) {
      const response = await ask({ academicYear: '2025/26' }, breakdown);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('disclosure control through the subgraph', () => {
  it('withholds the outcome cohort when it differs from everyone looked after by one child', async () => {
    // At 31 March 2025: A and C (continuously since 2023 and 2018) and 2000019, in care only
    // since 2024-09-01. Outcome cohort 12 against 13 would single out 2000019.
    const outcome = await report({
      academicYear: '2024/25',
      basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS',
    });
    expect(outcome.referenceDate).toBe('2025-03-31');
    expect(outcome.suppressedTotalOnly).toBe(true);
    expect(outcome.total.children.marker).toBe('c');
    expect(outcome.cells).toEqual([]);
  });

  it('shows a cohort with no children as zero, not suppressed', async () => {
    // B are the only boys, and they are all UASC; nobody is placed for adoption.
    const small = await report({
      academicYear: '2025/26',
      ageBand: 'AGE_16_AND_OVER',
      gender: 'MALE',
      uasc: false,
    });
    expect(small.total.children).toMatchObject({ status: 'VALUE', value: 0 });
    const none = await report({ academicYear: '2025/26', placementType: 'PLACED_FOR_ADOPTION' });
    expect(none.total.children.value).toBe(0);
  });
});

describe('periods', () => {
  it('takes whole terms', async () => {
    // The LA's autumn term 2025: Monday 1 September to Friday 19 December.
    const autumn = await report({ dateRange: { from: '2025-09-01', to: '2025-12-19' } });
    expect(autumn).toMatchObject({
      from: '2025-09-01',
      to: '2025-12-19',
      measuredTo: REPORT_AS_OF,
    });
    // The autumn term so far is the year to date, which is what attendance is held for.
    expect(v(measure(autumn.total, 'ATTENDANCE_RATE').lookedAfter)).toEqual([72, 1290, 1800]);
    expect(v(measure(autumn.total, 'ONE_OR_MORE_SUSPENSIONS').lookedAfter)).toEqual([33, 6, 18]);
  });

  it('takes a past year: who was looked after at its end, with what the systems still hold', async () => {
    // At 31 August 2025: A and C. B came into care later; 2000019 left in June.
    const last = await report({ academicYear: '2024/25' });
    expect(last).toMatchObject({ referenceDate: '2025-08-31', financialYear: '2024-25' });
    expect(last.total.children.value).toBe(12);
    // Attendance and exclusions are held for the current year only; there is no PP+ for 2024-25.
    expect(measure(last.total, 'ATTENDANCE_RATE').lookedAfter.marker).toBe('x');
    expect(measure(last.total, 'SUSPENSION_RATE').lookedAfter.marker).toBe('x');
    expect(measure(last.total, 'PUPIL_PREMIUM_PLUS_ALLOCATED').lookedAfter.marker).toBe('z');
    // On 31 August (summer holiday: the summer term just ended) C's PEP of 2025-03-10 was in
    // the previous term (DUE); A's last completed one was 2023-02-20 (OVERDUE).
    expect(v(measure(last.total, 'PEP_IN_DATE').lookedAfter)).toEqual([50, 6, 12]);
  });

  it.each([
    [{ academicYear: '2025-26' }],
    [{ academicYear: '2025/27' }],
    [{ dateRange: { from: '2025-09-02', to: '2025-12-19' } }],
    [{ dateRange: { from: '2025-09-01', to: '2025-12-31' } }],
    [{ dateRange: { from: '2025-09-01', to: '2025-11-14' } }],
    [
      {
        dateRange: { from: '2025-09-01', to: '2026-07-21' },
        basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS',
      },
    ],
    [{ academicYear: '2025/26', basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' }],
    [{ academicYear: '2026/27' }],
    [{ academicYear: '2025/26', dateRange: { from: '2025-09-01', to: '2025-12-19' } }],
    [{}],
    [{ academicYear: '2025/26', schoolUrn: 'Brookfield' }],
  ])('refuses %j as BAD_USER_INPUT', async (filter) => {
    const response = await ask(filter);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.data?.cohortReport ?? null).toBeNull();
  });
});

describe('who may ask', () => {
  const governor = caller(['governor'], { sub: 'G1', urns: ['100003'] });

  it.each<[string, Caller]>([
    ['an analyst', analyst],
    ['the virtual school head', caller(['virtual-school-head'])],
  ])('%s reads the whole authority', async (_who, who) => {
    expect((await report({ academicYear: '2025/26' }, [], who)).total.children.value).toBe(18);
  });

  it('a governor reads their own school', async () => {
    const own = await report(
      { academicYear: '2025/26', schoolUrn: '100003' },
      ['GENDER'],
      governor,
    );
    expect(own.total.children.value).toBe(6);
  });

  it.each([
    ['the whole authority', { academicYear: '2025/26' }],
    ['another school', { academicYear: '2025/26', schoolUrn: '100001' }],
  ])('a governor is refused %s', async (_what, filter) => {
    const response = await ask(filter, [], governor);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data?.cohortReport ?? null).toBeNull();
  });

  it.each<Role>([
    'finance-officer',
    'teacher',
    'placing-authority',
    'designated-teacher',
    'social-worker',
    'virtual-school-officer',
    'auditor',
  ])('%s is refused', async (role) => {
    const response = await ask(
      { academicYear: '2025/26' },
      [],
      caller([role], { urns: ['100003'] }),
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data?.cohortReport ?? null).toBeNull();
  });

  it('an analyst of another authority is refused', async () => {
    const response = await ask({ academicYear: '2025/26' }, [], caller(['analyst'], { la: '359' }));
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a request without the gateway token gets 401', async () => {
    const response = await graphql(REPORT, { filter: { academicYear: '2025/26' } }, null);
    expect(response.status).toBe(401);
  });
});

describe('the access log', () => {
  it('gets one AGGREGATE entry naming the filter and breakdown, no child', async () => {
    const response = await ask({ academicYear: '2025/26', gender: 'FEMALE', uasc: false }, [
      'KEY_STAGE',
    ]);
    expect(response.extensions?.claAudit).toEqual([
      {
        childId: null,
        categories: ['AGGREGATE'],
        cohortFilter: {
          basis: 'LOOKED_AFTER_AT_DATE',
          academicYear: '2025/26',
          gender: 'FEMALE',
          uasc: false,
          breakdown: ['KEY_STAGE'],
        },
      },
    ]);
  });

  it('records a refused report as nothing', async () => {
    const response = await ask({ academicYear: '2025/26' }, [], caller(['teacher']));
    expect(response.extensions?.claAudit).toBeUndefined();
  });
});

describe('cost', () => {
  it('reads each system in bulk, then serves a repeat from cache', async () => {
    const filter = { academicYear: '2025/26', keyStage: 'KEY_STAGE_5' };
    const before = await requests();
    await report(filter, ['GENDER']);
    const cold = await requests();
    // Through the bulk exports (bulk-source.ts): social care's twice (who, then everyone with
    // their histories). Education: the pupils' export, one page of school figures. Finance: the
    // clients' export, and the year's top-slices once.
    expect({
      socialCare: cold.socialCare - before.socialCare,
      education: cold.education - before.education,
      finance: cold.finance - before.finance,
    }).toEqual({ socialCare: 2, education: 2, finance: 2 });
    await report(filter, ['GENDER']);
    expect(await requests()).toEqual(cold);
    // Another question is another report.
    await report(filter, ['LOCATION']);
    expect((await requests()).socialCare).toBe(cold.socialCare + 2);
  });
});

describe('a council system down', () => {
  afterEach(async () => {
    await simulators.setFaults('finance', { errorRate: 0 });
    await simulators.setFaults('education', { errorRate: 0 });
  });

  it('marks the figures it supplies x and keeps the rest, and does not cache that', async () => {
    await simulators.setFaults('finance', { errorRate: 1 });
    const filter = { academicYear: '2025/26', gender: 'FEMALE' };
    const degraded = await report(filter);
    expect(measure(degraded.total, 'PUPIL_PREMIUM_PLUS_ALLOCATED').lookedAfter.marker).toBe('x');
    expect(degraded.total.children.value).toBe(12);
    await simulators.setFaults('finance', { errorRate: 0 });
    const again = await report(filter);
    expect(v(measure(again.total, 'PUPIL_PREMIUM_PLUS_SPENT').lookedAfter)).toEqual([
      9600, 9600, 12,
    ]);
  });

  it('refuses a report that needs the education system to place children when it is down', async () => {
    await simulators.setFaults('education', { errorRate: 1 });
    const response = await ask({ academicYear: '2025/26', senStatus: 'EHC_PLAN' });
    expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('published snapshots for analysts and governors (issue 9, point 5)', () => {
  const governor = caller(['governor'], { sub: 'G2', urns: ['100003'] });
  /** A second subgraph on the same systems whose "today" the tests move. */
  let today = REPORT_AS_OF;
  let dated: SubgraphApp;
  let datedServer: RunningServer;
  const datedClient = subgraphClient<ReportData>(
    () => datedServer.url,
    () => identity.tokenFor(analyst, 'reporting'),
  );
  const askOn = async (
    day: string,
    filter: Record<string, unknown>,
    breakdown: string[] = [],
    who: Caller = analyst,
  ): Promise<Response> => {
    today = day;
    const token = await identity.tokenFor(who, 'reporting');
    return datedClient.graphql(REPORT, { filter, breakdown }, token);
  };
  const reportOn = async (...args: Parameters<typeof askOn>) => {
    const response = await askOn(...args);
    expect(response.errors).toBeUndefined();
    return response.data!.cohortReport!;
  };

  beforeAll(async () => {
    dated = await createReportingSubgraph(config, {
      ...identity.security('reporting'),
      clock: () => today,
    });
    datedServer = await listen(dated.app, 0);
  });
  afterAll(async () => {
    await datedServer?.close();
    await dated?.stop();
  });

  it('gives an analyst and a governor the last completed month end, the head today', async () => {
    const year = { academicYear: '2025/26' };
    const forAnalyst = await report(year, [], analyst);
    expect(forAnalyst).toMatchObject({ referenceDate: '2025-10-31', measuredTo: '2025-10-31' });
    expect(forAnalyst.total.children.value).toBe(18);
    // Attendance is held from 1 September to today only: not as of a month end.
    expect(measure(forAnalyst.total, 'ATTENDANCE_RATE').lookedAfter.marker).toBe('x');
    const forGovernor = await report({ ...year, schoolUrn: '100003' }, [], governor);
    expect(forGovernor.referenceDate).toBe('2025-10-31');
    expect((await report(year)).referenceDate).toBe(REPORT_AS_OF);
  });

  it('gives the same report on two consecutive days, where current figures change', async () => {
    // Group B joined Marsh Lane (100003) on Monday 2025-10-06, off roll since the 3rd.
    const year = { academicYear: '2025/26' };
    const atMarshLane = (r: Report) =>
      r.cells.find((cell) => cell.bands[0]!.code === '100003')?.children.value ?? 0;
    const headBefore = await reportOn('2025-10-05', year, ['SCHOOL'], head);
    const headAfter = await reportOn('2025-10-06', year, ['SCHOOL'], head);
    expect([atMarshLane(headBefore), atMarshLane(headAfter)]).toEqual([0, 6]);
    for (const who of [analyst, governor]) {
      const filter = who === governor ? { ...year, schoolUrn: '100003' } : year;
      const before = await reportOn('2025-10-05', filter, ['SCHOOL'], who);
      const after = await reportOn('2025-10-06', filter, ['SCHOOL'], who);
      expect(before.referenceDate).toBe('2025-09-30');
      expect(after).toEqual(before);
    }
  });

  it('does not let the next snapshot single out the child who left', async () => {
    // Everyone looked after in May 2025 was placed in the authority: 13 then, 12 in June.
    const inside = { academicYear: '2024/25', location: 'IN_AUTHORITY' };
    const may = await reportOn('2025-06-15', inside);
    expect(may.total.children.value).toBe(13);
    const june = await reportOn('2025-07-01', inside);
    expect(june.referenceDate).toBe('2025-06-30');
    expect(june.suppressedTotalOnly).toBe(true);
    expect(june.total.children.marker).toBe('c');
  });

  it('refuses a period that has no published snapshot yet, naming the dates', async () => {
    const response = await askOn('2025-09-10', { academicYear: '2025/26' });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/2025-08-31.*2025-09-30/);
    const forHead = await reportOn('2025-09-10', { academicYear: '2025/26' }, [], head);
    expect(forHead.referenceDate).toBe('2025-09-10');
  });

  it('lists the same schools in a SCHOOL breakdown whatever the filter', async () => {
    const schools = async (filter: Record<string, unknown>, who: Caller) =>
      (await report({ academicYear: '2025/26', ...filter }, ['SCHOOL'], who)).cells
        .map((cell) => cell.bands[0]!.code)
        .filter((code) => code !== null);
    const filters = [{}, { gender: 'MALE' }, { uasc: true }, { keyStage: 'KEY_STAGE_2' }];
    // Where the authority's children were on roll at this snapshot or the previous one.
    for (const filter of filters) {
      expect(await schools(filter, analyst)).toEqual(['100001', '100002', '100003', '100004']);
      expect(await schools(filter, head)).toEqual(['100001', '100003', '100004']);
      expect(await schools({ ...filter, schoolUrn: '100003' }, governor)).toEqual(['100003']);
    }
  });
});
