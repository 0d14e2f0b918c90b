/**
 * A second check of the cohort measures, from outside: the figures of `cohortReport` for the
 * seeded authority (600 children), asked for by the virtual school head (current figures, no
 * snapshot), against an independent computation from the simulators' raw data, read over their
 * HTTP APIs as any client would. The rules below are written from shared/spec/domain.md, not
 * from the measures code (nothing under domain/measures or subgraphs/reporting is imported);
 * only the LA's calendar (its term dates) is shared, as the reference data it is.
 */
import type { EdStudentRecord } from '../upstream/education/contract';
import type { FinClient } from '../upstream/finance/contract';
import type { ScChildRecord, ScEpisode } from '../upstream/social-care/contract';
import { previousTerm, termOf } from '../domain/school-calendar';
import type { RunningSystem } from '../system/start-system';
import { TEST_AS_OF, clientFor, startTestSystem } from './support/system';

let system: RunningSystem;
let children: ScChildRecord[];
let pupils: Map<string, EdStudentRecord>;

beforeAll(async () => {
  system = await startTestSystem();
  children = await readAllChildren();
  pupils = await readPupils(children.map((c) => c.UPN));
});

afterAll(async () => {
  await system?.close();
});

// ------------------------------------------------------------------ raw data over HTTP

async function post<T>(
  simulator: 'socialCare' | 'education' | 'finance',
  path: string,
  body: unknown,
): Promise<T> {
  const response = await fetch(`${system.urls.simulators[simulator]}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${system.simulatorKeys[simulator]}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

async function readAllChildren(): Promise<ScChildRecord[]> {
  const all: ScChildRecord[] = [];
  for (let page = 1; ; page++) {
    const body = await post<{ data: ScChildRecord[]; meta: { pagination: { total: number } } }>(
      'socialCare',
      '/api/v1/children/search',
      {
        include: ['episodes', 'peps'],
        include_restricted: true,
        current_only: false,
        page,
        per_page: 500,
      },
    );
    all.push(...body.data);
    if (all.length >= body.meta.pagination.total || body.data.length === 0) return all;
  }
}

async function readPupils(upns: string[]): Promise<Map<string, EdStudentRecord>> {
  const real = upns.filter((upn) => /^[A-Z]\d{11}[A-Z0-9]$/.test(upn));
  const found = new Map<string, EdStudentRecord>();
  for (let i = 0; i < real.length; i += 500) {
    const body = await post<{ data: EdStudentRecord[] }>('education', '/v1/students/batch', {
      upns: real.slice(i, i + 500),
      include: ['enrolments', 'attendance', 'exclusions', 'sen', 'attainment'],
    });
    for (const pupil of body.data) found.set(pupil.upn, pupil);
  }
  return found;
}

/** The year's top-slices (lines the VSH keeps centrally) and every allocation of the year. */
async function readTopSlices(fy: string): Promise<{ topSliced: number; allocated: number }> {
  const response = await fetch(
    `${system.urls.simulators.finance}/api/finance/v1/top-slices?fy=${fy}`,
    {
      headers: { authorization: `Bearer ${system.simulatorKeys.finance}` },
    },
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    data: Array<{ amount_pence: number }>;
    meta: { allocated_pence: number };
  };
  const topSliced = body.data.reduce((sum, line) => sum + line.amount_pence, 0);
  // Every allocation of the year, every child's: what the share is pro rata to.
  const allocated = body.meta.allocated_pence;
  return { topSliced, allocated };
}

async function readFunding(refs: string[], fy: string): Promise<Map<string, FinClient>> {
  const found = new Map<string, FinClient>();
  for (let i = 0; i < refs.length; i += 500) {
    const body = await post<{ data: FinClient[] }>('finance', '/api/finance/v1/clients/search', {
      client_refs: refs.slice(i, i + 500),
      fy,
      include: ['allocations', 'ledger'],
      per_page: 500,
    });
    for (const client of body.data) found.set(client.client_ref, client);
  }
  return found;
}

// ------------------------------------------------------------------ the rules, from domain.md

/** domain.md, attendance table: `D` and the other "not a possible session" codes count for nothing. */
const ATTENDED = new Set(['/', '\\', 'L', 'K', 'V', 'P', 'W', 'B']);
const ABSENT = new Set(['C', 'C1', 'C2', 'E', 'I', 'M', 'J1', 'S', 'T', 'R', 'G', 'N', 'O', 'U']);

function openOn(episodes: readonly ScEpisode[], date: string): ScEpisode | null {
  let found: ScEpisode | null = null;
  for (const e of episodes) if (e.DECOM <= date && (e.DEC === null || e.DEC > date)) found = e;
  return found;
}

/** Age on 31 August before the academic year: 14 is Year 10, 15 Year 11 (domain.md, year groups). */
function ageOn(dob: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  return on.slice(5) < dob.slice(5) ? years - 1 : years;
}

/** Start of the continuous period of care `episode` is in (abutting episodes are one). */
function careStart(episodes: readonly ScEpisode[], episode: ScEpisode): string {
  const sorted = [...episodes].sort((a, b) => a.DECOM.localeCompare(b.DECOM));
  let i = sorted.indexOf(episode);
  while (i > 0 && sorted[i - 1]!.DEC === sorted[i]!.DECOM) i--;
  return sorted[i]!.DECOM;
}

/**
 * domain.md, PEPs: of PEP age from 3 to Year 13; in date (CURRENT or DUE) with a completed PEP
 * (a draft is not held) in this term or the previous one, in the current period of care. In a
 * holiday "this term" is the term just ended.
 */
function pepOnDate(
  child: ScChildRecord,
  episode: ScEpisode,
  date: string,
): { ofAge: boolean; inDate: boolean } {
  const ageThen = ageOn(child.DOB, `${Number(termOf(date).academicYear.slice(0, 4))}-08-31`);
  const ofAge = ageOn(child.DOB, date) >= 3 && ageThen <= 17;
  const since = careStart(child.episodes ?? [], episode);
  const from = previousTerm(date).start;
  const inDate = (child.peps ?? []).some(
    (pep) =>
      (pep.STATUS === 'COMPLETE' || pep.STATUS === 'QA_APPROVED') &&
      pep.MEETING_DATE >= since &&
      pep.MEETING_DATE <= date &&
      // This term (from its first day) or the previous one (and the holiday after it).
      pep.MEETING_DATE >= from,
  );
  return { ofAge, inDate };
}

interface Tally {
  numerator: number;
  denominator: number;
}

interface Period {
  academicYear: string;
  from: string;
  measuredTo: string;
  referenceDate: string;
  financialYear: string;
  /** The calendar year of the summer the year's key stage results are from. */
  resultsSummer: string;
  current: boolean;
}

type Selector = (child: ScChildRecord, episode: ScEpisode, period: Period) => boolean;

async function independentFigures(
  period: Period,
  select: Selector,
): Promise<Record<string, Tally>> {
  const t = (): Tally => ({ numerator: 0, denominator: 0 });
  const f: Record<string, Tally> = {};
  const add = (key: string, numerator: number, denominator: number) => {
    f[key] ??= t();
    f[key]!.numerator += numerator;
    f[key]!.denominator += denominator;
  };
  const cohort = children.filter((child) => {
    const episode = openOn(child.episodes ?? [], period.referenceDate);
    if (!episode || episode.LS === 'V3' || episode.LS === 'V4') return false;
    return select(child, episode, period);
  });
  const funding = await readFunding(
    cohort.map((c) => `CLA/${c.CHILD}`),
    period.financialYear,
  );
  const year = await readTopSlices(period.financialYear);
  const inPeriod = (date: string) => date >= period.from && date <= period.measuredTo;
  for (const child of cohort) {
    add('CHILDREN', 1, 1);
    const pep = pepOnDate(
      child,
      openOn(child.episodes ?? [], period.referenceDate)!,
      period.referenceDate,
    );
    if (pep.ofAge) add('PEP_IN_DATE', pep.inDate ? 1 : 0, 1);
    const pupil = pupils.get(child.UPN) ?? null;
    const onRoll = (pupil?.enrolments ?? []).some(
      (e) =>
        e.enrolment_status !== 'S' &&
        e.entry_date <= period.measuredTo &&
        (e.leaving_date === null || e.leaving_date >= period.from),
    );
    if (onRoll && pupil) {
      add('SEN_EHC_PLAN', pupil.sen?.status === 'E' ? 1 : 0, 1);
      add('SEN_SUPPORT', pupil.sen?.status === 'K' ? 1 : 0, 1);
      if (period.current) {
        const summary = pupil.attendance ?? null;
        add('COVERAGE_ATTENDANCE', summary ? 1 : 0, 1);
        if (summary && summary.academic_year === period.academicYear) {
          let attended = 0;
          let absent = 0;
          for (const [code, n] of Object.entries(summary.codes)) {
            if (ATTENDED.has(code)) attended += n;
            else if (ABSENT.has(code)) absent += n;
          }
          const possible = attended + absent;
          if (possible > 0) {
            add('ATTENDANCE_RATE', attended, possible);
            add('PERSISTENT_ABSENCE', absent * 10 >= possible ? 1 : 0, 1);
            add('SEVERE_ABSENCE', absent * 2 >= possible ? 1 : 0, 1);
          }
        }
        const exclusions = pupil.exclusions ?? null;
        add('COVERAGE_EXCLUSIONS', exclusions ? 1 : 0, 1);
        if (exclusions) {
          const suspensions = exclusions.filter(
            (x) => x.category === 'FIXED' && inPeriod(x.start_date),
          ).length;
          add('ONE_OR_MORE_SUSPENSIONS', suspensions > 0 ? 1 : 0, 1);
          add('SUSPENSION_RATE', suspensions, 1);
          add(
            'PERMANENT_EXCLUSIONS',
            exclusions.some((x) => x.category === 'PERMANENT' && inPeriod(x.start_date)) ? 1 : 0,
            1,
          );
        }
      }
    }
    // Key stage results of the report's academic year only.
    const ks2 = (pupil?.attainment?.ks2 ?? []).filter((r) => r.year === period.resultsSummer).pop();
    if (ks2) {
      const expected =
        (ks2.reading_scaled ?? 0) >= 100 &&
        (ks2.maths_scaled ?? 0) >= 100 &&
        (ks2.writing_ta === 'EXS' || ks2.writing_ta === 'GDS');
      add('KS2_RWM_EXPECTED', expected ? 1 : 0, 1);
    }
    const ks4 = (pupil?.attainment?.ks4 ?? []).filter((r) => r.year === period.resultsSummer).pop();
    if (ks4) {
      if (ks4.attainment8 !== null) add('KS4_ATTAINMENT_8', ks4.attainment8, 1);
      const both = (g: number) => (ks4.english_grade ?? 0) >= g && (ks4.maths_grade ?? 0) >= g;
      add('KS4_ENGLISH_MATHS_4_PLUS', both(4) ? 1 : 0, 1);
      add('KS4_ENGLISH_MATHS_5_PLUS', both(5) ? 1 : 0, 1);
    }
    const client = funding.get(`CLA/${child.CHILD}`);
    if (client) {
      const ref = client.client_ref;
      const allocated = (client.allocations ?? [])
        .filter((a) => a.fy === period.financialYear && a.client_ref === ref)
        .reduce((sum, a) => sum + a.amount_pence, 0);
      const spent = (client.ledger ?? [])
        .filter(
          (l) =>
            l.fy === period.financialYear &&
            l.client_ref === ref &&
            (l.type === 'SPEND' || l.type === 'ADJUST'),
        )
        .reduce((sum, l) => sum + l.amount_pence, 0);
      const hasAny =
        (client.allocations ?? []).some((a) => a.fy === period.financialYear) ||
        (client.ledger ?? []).some(
          (l) => l.fy === period.financialYear && (l.type === 'SPEND' || l.type === 'ADJUST'),
        );
      if (hasAny) {
        add('PUPIL_PREMIUM_PLUS_ALLOCATED', allocated / 100, 1);
        add('PUPIL_PREMIUM_PLUS_SPENT', spent / 100, 1);
        // domain.md: unspent = allocated - spent - the child's share of the year's top-slices
        // (pro rata to allocation, to the nearest penny).
        const share =
          year.allocated === 0 ? 0 : Math.round((year.topSliced * allocated) / year.allocated);
        add('PUPIL_PREMIUM_PLUS_UNSPENT', (allocated - spent - share) / 100, 1);
      }
    }
  }
  return f;
}

// ------------------------------------------------------------------ the report

interface Figure {
  status: string;
  numerator: number | null;
  denominator: number | null;
}

const REPORT = /* GraphQL */ `
  query Report($filter: CohortFilter!) {
    cohortReport(filter: $filter) {
      referenceDate
      measuredTo
      total {
        children {
          status
          numerator
          denominator
        }
        measures {
          measure
          lookedAfter {
            status
            numerator
            denominator
          }
          coverage {
            status
            numerator
            denominator
          }
        }
      }
    }
  }
`;

async function reportFigures(filter: Record<string, unknown>): Promise<{
  referenceDate: string;
  measuredTo: string;
  figures: Record<string, Figure>;
}> {
  const ask = await clientFor(system, 'vsh');
  const result = await ask<{
    cohortReport: {
      referenceDate: string;
      measuredTo: string;
      total: {
        children: Figure;
        measures: Array<{ measure: string; lookedAfter: Figure; coverage: Figure | null }>;
      };
    };
  }>(REPORT, { filter });
  expect(result.errors).toBeUndefined();
  const report = result.data!.cohortReport;
  const figures: Record<string, Figure> = { CHILDREN: report.total.children };
  for (const m of report.total.measures) {
    figures[m.measure] = m.lookedAfter;
    if (m.coverage && m.measure === 'ATTENDANCE_RATE') figures.COVERAGE_ATTENDANCE = m.coverage;
    if (m.coverage && m.measure === 'ONE_OR_MORE_SUSPENSIONS')
      figures.COVERAGE_EXCLUSIONS = m.coverage;
  }
  return { referenceDate: report.referenceDate, measuredTo: report.measuredTo, figures };
}

const CURRENT: Period = {
  academicYear: '2025/26',
  from: '2025-09-01',
  measuredTo: TEST_AS_OF,
  referenceDate: TEST_AS_OF,
  financialYear: '2025-26',
  resultsSummer: '2026',
  current: true,
};
const LAST_YEAR: Period = {
  academicYear: '2024/25',
  from: '2024-09-01',
  measuredTo: '2025-08-31',
  referenceDate: '2025-08-31',
  financialYear: '2024-25',
  resultsSummer: '2025',
  current: false,
};

const CASES: Array<{
  name: string;
  filter: Record<string, unknown>;
  period: Period;
  select: Selector;
}> = [
  {
    name: 'the whole authority, 2025/26 so far',
    filter: { academicYear: '2025/26' },
    period: CURRENT,
    select: () => true,
  },
  {
    name: 'children placed outside the authority, 2025/26 so far',
    filter: { academicYear: '2025/26', location: 'OUT_OF_AUTHORITY' },
    period: CURRENT,
    select: (_child, episode) => episode.PL_LA !== system.world.la.code,
  },
  {
    name: 'Key Stage 4 (Years 10 and 11 on 31 August 2025), last academic year',
    filter: { academicYear: '2024/25', keyStage: 'KEY_STAGE_4' },
    period: LAST_YEAR,
    select: (child) => [14, 15].includes(ageOn(child.DOB, '2024-08-31')),
  },
];

describe('cohortReport against an independent computation from the simulators raw data', () => {
  it.each(CASES)('$name', async ({ filter, period, select }) => {
    const [expected, report] = await Promise.all([
      independentFigures(period, select),
      reportFigures(filter),
    ]);
    expect(report.referenceDate).toBe(period.referenceDate);
    expect(report.measuredTo).toBe(period.measuredTo);
    const compared: string[] = [];
    for (const [key, figure] of Object.entries(report.figures)) {
      if (figure.status !== 'VALUE' && figure.status !== 'ROUNDS_TO_ZERO') continue;
      const mine = expected[key];
      if (!mine) continue;
      expect({ key, numerator: figure.numerator, denominator: figure.denominator }).toEqual({
        key,
        numerator: Math.round(mine.numerator * 100) / 100,
        denominator: mine.denominator,
      });
      compared.push(key);
    }
    // The report shows what the raw data says it should: no figure the data supports is missing.
    for (const [key, mine] of Object.entries(expected)) {
      if (mine.denominator >= 6 && report.figures[key]) {
        expect({ key, status: report.figures[key]!.status }).not.toEqual({
          key,
          status: 'NOT_APPLICABLE',
        });
      }
    }
    expect(compared.length).toBeGreaterThanOrEqual(period.current ? 10 : 5);
  });
});
