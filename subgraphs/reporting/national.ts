/**
 * Published national figures to compare a cohort with: a reference table kept in code, with its
 * version and the DfE release each figure comes from, so every answer names exactly what it was
 * compared with. Like for like only: the same measure, the same cohort rule (children looked
 * after continuously for 12 months at 31 March, or all pupils) and the report's own academic
 * year, or else the latest academic year the table holds, named as such. Update the table (and
 * its version) when the DfE publishes newer figures.
 */
import type { CohortBasis } from './period';
import type { MeasureKey } from './measures';

/** Who a national figure is about, by the DfE's rule. */
export type NationalCohortRule = 'LOOKED_AFTER_12_MONTHS_AT_31_MARCH' | 'ALL_PUPILS';

export interface NationalRelease {
  id: string;
  title: string;
  /** Where it is published. */
  url: string;
}

export interface NationalFigure {
  measure: MeasureKey;
  /** The academic year the results are of, e.g. "2023/24". */
  academicYear: string;
  cohortRule: NationalCohortRule;
  value: number;
  release: NationalRelease['id'];
}

export interface NationalReference {
  version: string;
  source: string;
  releases: readonly NationalRelease[];
  figures: readonly NationalFigure[];
}

const OUTCOMES_2024: NationalRelease = {
  id: 'dfe-outcomes-cin-cla-2024',
  title:
    'Outcomes for children in need, including children looked after by local authorities in ' +
    'England, reporting year 2024 (academic year 2023/24), published 10 April 2025',
  url: 'https://explore-education-statistics.service.gov.uk/find-statistics/outcomes-for-children-in-need-including-children-looked-after-by-local-authorities-in-england/2024',
};
const OUTCOMES_2023: NationalRelease = {
  id: 'dfe-outcomes-cin-cla-2023',
  title:
    'Outcomes for children in need, including children looked after by local authorities in ' +
    'England, reporting year 2023 (academic year 2022/23), published 18 April 2024',
  url: 'https://explore-education-statistics.service.gov.uk/find-statistics/outcomes-for-children-in-need-including-children-looked-after-by-local-authorities-in-england/2023',
};
const OUTCOMES_2019: NationalRelease = {
  id: 'dfe-outcomes-cin-cla-2019',
  title:
    'Outcomes of children in need, including looked after children, England, academic year ' +
    '2018/19 (the 2019 ad hoc release)',
  url: 'https://explore-education-statistics.service.gov.uk/find-statistics/outcomes-of-children-in-need-including-looked-after-children',
};

/**
 * The table. The looked-after figures of the 2024 and 2023 releases are not transcribed yet
 * (this table was built without access to the release's files): for those measures the latest
 * looked-after figure here is 2018/19, and every answer says so.
 */
export const NATIONAL_COMPARISON: NationalReference = {
  version: '2026-12-r2',
  source:
    'DfE national statistics, each figure from the release it names: the national "all pupils ' +
    'comparison" and "children looked after for 12 months at 31 March" rows.',
  releases: [OUTCOMES_2024, OUTCOMES_2023, OUTCOMES_2019],
  figures: [
    // KS2 reading, writing and maths at the expected standard, percent.
    {
      measure: 'KS2_RWM_EXPECTED',
      academicYear: '2023/24',
      cohortRule: 'ALL_PUPILS',
      value: 61,
      release: OUTCOMES_2024.id,
    },
    {
      measure: 'KS2_RWM_EXPECTED',
      academicYear: '2018/19',
      cohortRule: 'ALL_PUPILS',
      value: 65,
      release: OUTCOMES_2019.id,
    },
    {
      measure: 'KS2_RWM_EXPECTED',
      academicYear: '2018/19',
      cohortRule: 'LOOKED_AFTER_12_MONTHS_AT_31_MARCH',
      value: 37,
      release: OUTCOMES_2019.id,
    },
    // KS4 Attainment 8, mean points.
    {
      measure: 'KS4_ATTAINMENT_8',
      academicYear: '2022/23',
      cohortRule: 'ALL_PUPILS',
      value: 46.3,
      release: OUTCOMES_2023.id,
    },
    {
      measure: 'KS4_ATTAINMENT_8',
      academicYear: '2018/19',
      cohortRule: 'ALL_PUPILS',
      value: 46.7,
      release: OUTCOMES_2019.id,
    },
    {
      measure: 'KS4_ATTAINMENT_8',
      academicYear: '2018/19',
      cohortRule: 'LOOKED_AFTER_12_MONTHS_AT_31_MARCH',
      value: 19.1,
      release: OUTCOMES_2019.id,
    },
    // KS4 English and maths, percent.
    {
      measure: 'KS4_ENGLISH_MATHS_4_PLUS',
      academicYear: '2022/23',
      cohortRule: 'ALL_PUPILS',
      value: 65.1,
      release: OUTCOMES_2023.id,
    },
    {
      measure: 'KS4_ENGLISH_MATHS_5_PLUS',
      academicYear: '2022/23',
      cohortRule: 'ALL_PUPILS',
      value: 45.3,
      release: OUTCOMES_2023.id,
    },
    {
      measure: 'KS4_ENGLISH_MATHS_5_PLUS',
      academicYear: '2018/19',
      cohortRule: 'ALL_PUPILS',
      value: 43.2,
      release: OUTCOMES_2019.id,
    },
    {
      measure: 'KS4_ENGLISH_MATHS_5_PLUS',
      academicYear: '2018/19',
      cohortRule: 'LOOKED_AFTER_12_MONTHS_AT_31_MARCH',
      value: 7.2,
      release: OUTCOMES_2019.id,
    },
  ],
};

/** One national figure as a report names it beside a measure. */
export interface NationalValue {
  value: number;
  academicYear: string;
  /** True when the national figure is of the report's own academic year. */
  sameAcademicYear: boolean;
  cohortRule: NationalCohortRule;
  release: string;
}

export interface NationalComparisonOfMeasure {
  /** Children looked after nationally, on the same cohort rule as the report; null when not comparable. */
  lookedAfter: NationalValue | null;
  /** All pupils nationally. */
  allPupils: NationalValue | null;
  /** What the comparison is, and why a figure is missing, in words. */
  note: string;
}

/** The figure of the report's academic year if the table has it, else the latest one. */
function bestFigure(
  measure: MeasureKey,
  cohortRule: NationalCohortRule,
  academicYear: string,
  reference: NationalReference,
): NationalValue | null {
  const candidates = reference.figures
    .filter(
      (f) => f.measure === measure && f.cohortRule === cohortRule && f.academicYear <= academicYear,
    )
    .sort((a, b) => b.academicYear.localeCompare(a.academicYear));
  const figure = candidates[0];
  if (!figure) return null;
  const release = reference.releases.find((r) => r.id === figure.release);
  return {
    value: figure.value,
    academicYear: figure.academicYear,
    sameAcademicYear: figure.academicYear === academicYear,
    cohortRule,
    release: release?.title ?? figure.release,
  };
}

const describe = (what: string, v: NationalValue): string =>
  `${what}: ${v.academicYear}${v.sameAcademicYear ? ' (the same academic year)' : ' (the latest in the reference table)'}, ${v.release}`;

/**
 * The national figures to set beside a measure of a report of `academicYear` on `basis`, or null
 * when the table has none for the measure. Looked-after figures are the DfE's outcome cohort
 * (12 months at 31 March): compared only with a report on that basis.
 */
export function nationalFor(
  measure: MeasureKey,
  academicYear: string,
  basis: CohortBasis,
  reference: NationalReference = NATIONAL_COMPARISON,
): NationalComparisonOfMeasure | null {
  if (!reference.figures.some((f) => f.measure === measure)) return null;
  const allPupils = bestFigure(measure, 'ALL_PUPILS', academicYear, reference);
  const sameRule = basis === 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS';
  const lookedAfter = sameRule
    ? bestFigure(measure, 'LOOKED_AFTER_12_MONTHS_AT_31_MARCH', academicYear, reference)
    : null;
  const notes: string[] = [];
  if (lookedAfter)
    notes.push(describe('Children looked after for 12 months at 31 March', lookedAfter));
  else if (!sameRule) {
    notes.push(
      'No national looked-after figure: the DfE publishes it for children looked after for 12 ' +
        'months at 31 March; ask for that basis to compare like with like',
    );
  } else notes.push('The reference table holds no national looked-after figure for this measure');
  if (allPupils) notes.push(describe('All pupils', allPupils));
  return { lookedAfter, allPupils, note: `${notes.join('. ')}.` };
}
