/**
 * A small hand-made world for the reporting tests: three groups of six children, each group
 * alike, so that every measure's numerator is 0, 6, 12 or 18 and every figure of the whole
 * cohort survives disclosure control; the tests work each number out from these records.
 * Everyone here is invented. asOf is Friday 14 November 2025 (autumn term, 2025/26).
 *
 * - Group A (2000001-2000006): girls aged 9 (Year 5), full care order (C2), foster care (U4)
 *   in the authority since 2023-02-01; PEP review 2025-10-01 (this term: current). On roll at Brookfield
 *   (100001). Attendance 95 of 100 sessions. SEN support. PP+ £2,630, £600 spent.
 *   2000001 is a restricted record: counted in aggregates like anyone.
 * - Group B (2000007-2000012): UASC boys aged 16 (Year 12), section 20 (V2), children's home
 *   (K2) in Wigan, in care since 2025-09-15 (entered this year); first PEP 2025-10-01 (on time).
 *   Moved mid-year from Hollin Vale (100002, left 2025-10-03) to Marsh Lane (100003, from
 *   2025-10-06). Attendance 80 of 100. One suspension (2025-10-20). EHC plan. KS2 at the
 *   expected standard (2019); KS4 2025: Attainment 8 45.5, English 5, maths 4. PP+ £1,500.
 * - Group C (2000013-2000018): girls aged 16 (Year 12), C2, foster care (U6) in the
 *   authority since 2018-06-01; last PEP 2025-03-10 (spring 2025: none last term or this,
 *   overdue). Permanently excluded from
 *   Hollin Vale on 2025-10-08, at the PRU (100004) from 2025-10-16. Attendance 40 of 100
 *   (severe). No SEN. KS2 from two years: 2018 at the expected standard, 2019 not; KS4
 *   2025: Attainment 8 20, grades 3 and 3. PP+ £2,630, £1,000 spent.
 * Not in any cohort: 2000019 left care on 2025-06-30; 2000020 has short breaks (V3).
 */
import type { EdSchool, EdYearGroupAggregate } from '../../upstream/education/contract';
import type { FinAllocation, FinLedgerLine } from '../../upstream/finance/contract';
import type { ScChild, ScEpisode, ScPep } from '../../upstream/social-care/contract';
import type { StudentFull, World } from '../../simulators/seed/world';
import { loadReportingConfig, type ReportingConfig } from '../../subgraphs/reporting/config';
import type { TestSimulators } from './subgraph-harness';
import { SC_PEP_DEFAULTS } from '../../upstream/social-care/contract';

export const REPORT_AS_OF = '2025-11-14';

const school = (urn: string, name: string, phase: EdSchool['phase'], la: string): EdSchool => ({
  urn,
  laestab: `${la}${urn.slice(2)}`,
  name,
  phase,
  type: phase === 'PRU' ? 'PRU' : 'ACADEMY',
  la_code: la,
  la_name: la === '340' ? 'Knowsley' : 'Wigan',
  postcode: 'L34 1ZZ',
  updated_at: '2025-09-01T08:00:00Z',
});

interface Group {
  first: number;
  child: (n: number) => Omit<ScChild, 'CHILD' | 'UPN' | 'FORENAME' | 'SURNAME'>;
  episode: Omit<ScEpisode, 'CHILD'>;
  peps: Array<Pick<ScPep, 'MEETING_DATE' | 'INITIAL'>>;
  student: (n: number) => Omit<StudentFull, 'upn' | 'forename' | 'surname'>;
  allocationPence: number;
  spendPence: number;
}

const baseChild = {
  ETHNIC: 'WBRI',
  PREFERRED_NAME: null,
  LA: '340',
  UASC_CEASED: null,
  RESTRICTED: false,
  SW_ID: 'SW001',
  VS_CASEWORKER_ID: 'VSO001',
  DELEGATED_AUTHORITY: [],
  LAST_UPDATED: '2025-10-01',
};

const episodeBase = {
  CIN: 'N1',
  PLACE_PROVIDER: 'PR1',
  DEC: null,
  REC: null,
  REASON_PLACE_CHANGE: null,
  HOME_POST: 'L36 9',
  PL_POST: 'L34 2',
  URN: null,
};

const studentBase = {
  looked_after: true,
  looked_after_la: '340',
  updated_at: '2025-11-10T07:00:00Z',
};

const GROUPS: Group[] = [
  {
    first: 2000001,
    child: (n) => ({
      ...baseChild,
      SEX: '2',
      DOB: `2016-03-1${n}`,
      UASC: false,
      RESTRICTED: n === 0,
    }),
    episode: { ...episodeBase, DECOM: '2023-02-01', RNE: 'S', LS: 'C2', PLACE: 'U4', PL_LA: '340' },
    peps: [
      { MEETING_DATE: '2023-02-20', INITIAL: true },
      { MEETING_DATE: '2025-10-01', INITIAL: false },
    ],
    student: (n) => ({
      ...studentBase,
      coverage: { source: 'LA_FEED', latest_return_on: null },
      dob: `2016-03-1${n}`,
      gender: 'F',
      enrolments: [
        {
          urn: '100001',
          year_group: '5',
          entry_date: '2020-09-02',
          leaving_date: null,
          enrolment_status: 'C',
        },
      ],
      attendance: {
        academic_year: '2025/26',
        from: '2025-09-01',
        to: REPORT_AS_OF,
        codes: { '/': 48, '\\': 47, N: 5 },
      },
      exclusions: [],
      sen: { status: 'K', primary_need: 'SLCN' },
      attainment: { ks2: [], ks4: [] },
    }),
    allocationPence: 263_000,
    spendPence: 60_000,
  },
  {
    first: 2000007,
    child: (n) => ({ ...baseChild, SEX: '1', DOB: `2009-03-0${n + 1}`, UASC: true }),
    episode: {
      ...episodeBase,
      DECOM: '2025-09-15',
      RNE: 'S',
      LS: 'V2',
      PLACE: 'K2',
      PLACE_PROVIDER: 'PR4',
      PL_LA: '359',
      PL_POST: 'WN5 0',
    },
    peps: [{ MEETING_DATE: '2025-10-01', INITIAL: true }],
    student: (n) => ({
      ...studentBase,
      // Marsh Lane (Wigan) sends the Virtual School returns, the latest on the report's day.
      coverage: { source: 'SCHOOL_RETURN', latest_return_on: REPORT_AS_OF },
      dob: `2009-03-0${n + 1}`,
      gender: 'M',
      enrolments: [
        {
          urn: '100002',
          year_group: '12',
          entry_date: '2025-09-02',
          leaving_date: '2025-10-03',
          enrolment_status: 'C',
        },
        {
          urn: '100003',
          year_group: '12',
          entry_date: '2025-10-06',
          leaving_date: null,
          enrolment_status: 'C',
        },
      ],
      attendance: {
        academic_year: '2025/26',
        from: '2025-09-01',
        to: REPORT_AS_OF,
        codes: { '/': 40, '\\': 40, N: 10, U: 10 },
      },
      exclusions: [
        {
          category: 'FIXED',
          urn: '100003',
          start_date: '2025-10-20',
          sessions: 2,
          reasons: ['PA'],
        },
      ],
      sen: { status: 'E', primary_need: 'SEMH' },
      attainment: {
        ks2: [{ year: '2019', reading_scaled: 104, maths_scaled: 101, writing_ta: 'EXS' }],
        ks4: [{ year: '2025', attainment8: 45.5, english_grade: 5, maths_grade: 4 }],
      },
    }),
    allocationPence: 150_000,
    spendPence: 0,
  },
  {
    first: 2000013,
    child: (n) => ({ ...baseChild, SEX: '2', DOB: `2009-01-2${n}`, UASC: false }),
    episode: { ...episodeBase, DECOM: '2018-06-01', RNE: 'S', LS: 'C2', PLACE: 'U6', PL_LA: '340' },
    peps: [
      { MEETING_DATE: '2018-06-20', INITIAL: true },
      { MEETING_DATE: '2025-03-10', INITIAL: false },
    ],
    student: (n) => ({
      ...studentBase,
      coverage: { source: 'LA_FEED', latest_return_on: null },
      dob: `2009-01-2${n}`,
      gender: 'F',
      enrolments: [
        {
          urn: '100002',
          year_group: '12',
          entry_date: '2020-09-03',
          leaving_date: '2025-10-15',
          enrolment_status: 'C',
        },
        {
          urn: '100004',
          year_group: '12',
          entry_date: '2025-10-16',
          leaving_date: null,
          enrolment_status: 'C',
        },
      ],
      attendance: {
        academic_year: '2025/26',
        from: '2025-09-01',
        to: REPORT_AS_OF,
        codes: { '/': 20, '\\': 20, N: 30, U: 30 },
      },
      exclusions: [
        {
          category: 'PERMANENT',
          urn: '100002',
          start_date: '2025-10-08',
          sessions: null,
          reasons: ['PA', 'VA'],
        },
      ],
      sen: { status: 'N', primary_need: null },
      attainment: {
        // Two KS2 results: 2018 (sat with the year above, expected standard) and 2019 (not).
        ks2: [
          { year: '2018', reading_scaled: 104, maths_scaled: 101, writing_ta: 'EXS' },
          { year: '2019', reading_scaled: 95, maths_scaled: 98, writing_ta: 'WTS' },
        ],
        ks4: [{ year: '2025', attainment8: 20, english_grade: 3, maths_grade: 3 }],
      },
    }),
    allocationPence: 263_000,
    spendPence: 100_000,
  },
];

const aggregate = (
  urn: string,
  academicYear: string,
  yearGroup: string,
  figures: Omit<EdYearGroupAggregate, 'urn' | 'academic_year' | 'year_group'>,
): EdYearGroupAggregate => ({
  urn,
  academic_year: academicYear,
  year_group: yearGroup,
  ...figures,
});

const noResults = {
  ks2_pupils: 0,
  ks2_rwm_expected: 0,
  ks4_pupils: 0,
  ks4_attainment8_total: 0,
  ks4_em_4plus: 0,
  ks4_em_5plus: 0,
};

/** School figures for all pupils; the tests sum the ones for the groups' schools and years. */
export const REPORT_AGGREGATES: EdYearGroupAggregate[] = [
  aggregate('100001', '2025/26', '5', {
    pupils: 30,
    possible_sessions: 3000,
    attended_sessions: 2850,
    persistent_absentees: 3,
    severe_absentees: 0,
    suspended_pupils: 0,
    suspensions: 0,
    permanently_excluded: 0,
    ehc_plan: 1,
    sen_support: 4,
    ...noResults,
  }),
  aggregate('100003', '2025/26', '12', {
    pupils: 100,
    possible_sessions: 10000,
    attended_sessions: 9300,
    persistent_absentees: 15,
    severe_absentees: 2,
    suspended_pupils: 3,
    suspensions: 5,
    permanently_excluded: 0,
    ehc_plan: 2,
    sen_support: 8,
    ...noResults,
  }),
  aggregate('100004', '2025/26', '12', {
    pupils: 20,
    possible_sessions: 2000,
    attended_sessions: 1600,
    persistent_absentees: 10,
    severe_absentees: 3,
    suspended_pupils: 5,
    suspensions: 9,
    permanently_excluded: 0,
    ehc_plan: 4,
    sen_support: 9,
    ...noResults,
  }),
  // Not the schools or years the groups are in now, or another academic year: never summed.
  aggregate('100002', '2025/26', '12', {
    pupils: 150,
    possible_sessions: 15000,
    attended_sessions: 14000,
    persistent_absentees: 20,
    severe_absentees: 2,
    suspended_pupils: 6,
    suspensions: 11,
    permanently_excluded: 1,
    ehc_plan: 3,
    sen_support: 12,
    ...noResults,
  }),
  aggregate('100001', '2024/25', '5', {
    pupils: 28,
    possible_sessions: 5000,
    attended_sessions: 4000,
    persistent_absentees: 9,
    severe_absentees: 1,
    suspended_pupils: 0,
    suspensions: 0,
    permanently_excluded: 0,
    ehc_plan: 1,
    sen_support: 3,
    ...noResults,
  }),
  // Hollin Vale's Year 11 of 2024/25, with the KS4 results of summer 2025 (group C sat them
  // there): like for like with a 2024/25 report.
  aggregate('100002', '2024/25', '11', {
    pupils: 160,
    possible_sessions: 50000,
    attended_sessions: 46000,
    persistent_absentees: 30,
    severe_absentees: 3,
    suspended_pupils: 12,
    suspensions: 21,
    permanently_excluded: 1,
    ehc_plan: 4,
    sen_support: 18,
    ks2_pupils: 0,
    ks2_rwm_expected: 0,
    ks4_pupils: 150,
    ks4_attainment8_total: 6900,
    ks4_em_4plus: 97,
    ks4_em_5plus: 68,
  }),
];

export const REPORT_SCHOOLS: EdSchool[] = [
  school('100001', 'Brookfield Primary School', 'PRIMARY', '340'),
  school('100002', 'Hollin Vale Academy', 'SECONDARY', '340'),
  school('100003', 'Marsh Lane High School', 'SECONDARY', '359'),
  school('100004', 'Knowsley Pupil Referral Unit', 'PRU', '340'),
];

export function reportWorld(): World {
  const children: ScChild[] = [];
  const episodes: ScEpisode[] = [];
  const peps: ScPep[] = [];
  const students: StudentFull[] = [];
  const allocations: FinAllocation[] = [];
  const ledger: FinLedgerLine[] = [];
  GROUPS.forEach((group, g) => {
    for (let n = 0; n < 6; n++) {
      const id = String(group.first + n);
      const upn = `${'ABC'[g]}3402001180${String(n + 1).padStart(2, '0')}`;
      children.push({
        ...group.child(n),
        CHILD: id,
        UPN: upn,
        FORENAME: `Child${id}`,
        SURNAME: 'Example',
      });
      episodes.push({ ...group.episode, CHILD: id });
      group.peps.forEach((pep, p) =>
        peps.push({
          PEP_ID: `PEP-${id}-${p}`,
          CHILD: id,
          MEETING_DATE: pep.MEETING_DATE,
          INITIAL: pep.INITIAL,
          STATUS: 'COMPLETE',
          SCHOOL_URN: null,
          CHILD_VIEWS: null,
          ...SC_PEP_DEFAULTS,
          SUPPORT_STRATEGIES: [],
          TARGETS: [],
        }),
      );
      students.push({ ...group.student(n), upn, forename: `Child${id}`, surname: 'Example' });
      const ref = `CLA/${id}`;
      allocations.push({
        client_ref: ref,
        fy: '2025-26',
        rate_pence: 263_000,
        amount_pence: group.allocationPence,
        status: 'PROVISIONAL',
        cost_centre: 'VS-PPP',
      });
      if (group.spendPence > 0) {
        ledger.push({
          line_id: `L-${id}`,
          client_ref: ref,
          fy: '2025-26',
          posted_on: '2025-10-20',
          type: 'SPEND',
          urn: null,
          item: '1:1 tuition',
          amount_pence: group.spendPence,
          pep_target_id: null,
          cost_centre: 'VS-PPP',
        });
      }
    }
  });
  // The Virtual School Head top-sliced a tenth of 2025-26's allocations (£40,560 to these 18
  // children): each child's unspent PP+ takes off a tenth of their own allocation.
  ledger.push({
    line_id: 'L-TOPSLICE-1',
    client_ref: null,
    fy: '2025-26',
    posted_on: '2025-04-14',
    type: 'TOPSLICE',
    urn: null,
    item: 'Designated teacher training programme',
    amount_pence: 405_600,
    pep_target_id: null,
    cost_centre: 'VS-PPP',
  });
  // Two children outside every cohort of the tests.
  children.push(
    {
      ...baseChild,
      CHILD: '2000019',
      SEX: '1',
      DOB: '2012-05-05',
      UASC: false,
      UPN: 'UN1',
      FORENAME: 'Left',
      SURNAME: 'Care',
    },
    {
      ...baseChild,
      CHILD: '2000020',
      SEX: '2',
      DOB: '2014-07-07',
      UASC: false,
      UPN: 'UN1',
      FORENAME: 'Short',
      SURNAME: 'Breaks',
    },
  );
  episodes.push(
    {
      ...episodeBase,
      CHILD: '2000019',
      DECOM: '2024-09-01',
      RNE: 'S',
      LS: 'C1',
      PLACE: 'U6',
      PL_LA: '340',
      DEC: '2025-06-30',
      REC: 'E8',
    },
    {
      ...episodeBase,
      CHILD: '2000020',
      DECOM: '2025-01-06',
      RNE: 'S',
      LS: 'V3',
      PLACE: 'R1',
      PL_LA: '340',
    },
  );
  // A pupil another authority looks after: the education system's, not ours.
  students.push({
    upn: 'Z359400117005',
    forename: 'Mia',
    surname: 'Kowal',
    dob: '2011-02-14',
    gender: 'F',
    looked_after: true,
    looked_after_la: '359',
    updated_at: '2025-09-20T07:00:00Z',
    coverage: { source: 'LA_FEED', latest_return_on: null },
    enrolments: [
      {
        urn: '100001',
        year_group: '5',
        entry_date: '2022-09-05',
        leaving_date: null,
        enrolment_status: 'C',
      },
    ],
    attendance: null,
    exclusions: [],
    sen: { status: 'N', primary_need: null },
    attainment: { ks2: [], ks4: [] },
  });
  return {
    asOf: REPORT_AS_OF,
    seed: 0,
    la: { code: '340', name: 'Knowsley' },
    socialCare: { children, episodes, placements: [], workers: [], peps },
    education: {
      schools: REPORT_SCHOOLS,
      students,
      staff: [],
      designatedTeachers: [],
      aggregates: REPORT_AGGREGATES,
    },
    finance: { allocations, ledger },
    needToKnow: [],
    personas: [],
  };
}

/** The reporting subgraph's settings over simulators serving this world (no retries: tests fail fast). */
export function reportingConfigFor(simulators: TestSimulators): ReportingConfig {
  return loadReportingConfig({
    NODE_ENV: 'test',
    AS_OF: REPORT_AS_OF,
    LA_CODE: '340',
    SOCIAL_CARE_URL: simulators.urls.socialCare,
    SOCIAL_CARE_API_KEY: simulators.keys.socialCare,
    EDUCATION_URL: simulators.urls.education,
    EDUCATION_API_KEY: simulators.keys.education,
    FINANCE_URL: simulators.urls.finance,
    FINANCE_API_KEY: simulators.keys.finance,
    REPORTING_RETRIES: '0',
  });
}
