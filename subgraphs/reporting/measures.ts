/**
 * The cohort measures of the domain reference (shared/spec/domain.md, "Cohort measures"): what
 * each child adds to each measure's numerator and denominator, which system it needs, and how
 * the same measure is read from the education system's school figures for all pupils (peers).
 */
import type { EdYearGroupAggregate } from '../../upstream/education/contract';
import type { FigureKind, Tally } from './disclosure';

export const MEASURE_KEYS = [
  'ATTENDANCE_RATE',
  'PERSISTENT_ABSENCE',
  'SEVERE_ABSENCE',
  'ONE_OR_MORE_SUSPENSIONS',
  'SUSPENSION_RATE',
  'PERMANENT_EXCLUSIONS',
  'PEP_IN_DATE',
  'FIRST_PEP_ON_TIME',
  'SEN_EHC_PLAN',
  'SEN_SUPPORT',
  'KS2_RWM_EXPECTED',
  'KS4_ATTAINMENT_8',
  'KS4_ENGLISH_MATHS_4_PLUS',
  'KS4_ENGLISH_MATHS_5_PLUS',
  'SCHOOL_MOVES',
  'PUPIL_PREMIUM_PLUS_ALLOCATED',
  'PUPIL_PREMIUM_PLUS_SPENT',
  'PUPIL_PREMIUM_PLUS_UNSPENT',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

/** What the measures need to know about one child, worked out once (see facts.ts). */
export interface ChildView {
  /** On a school roll (single or main registration) at some point in the period. */
  onRoll: boolean;
  /**
   * What the LA's education system holds for the child: a school outside the authority that
   * sends no return leaves attendance, exclusions and attainment unknown (never zero).
   */
  held: { attendance: boolean; exclusions: boolean; attainment: boolean };
  /** This academic year's attendance, when the period is the year the system holds. */
  attendance: {
    attended: number;
    possible: number;
    persistent: boolean;
    severe: boolean;
  } | null;
  /** Suspensions that started in the period (0 when exclusions are not held: see `held`). */
  suspensions: number;
  permanentlyExcluded: boolean;
  /** E EHC plan, K SEN support, N none; null without a pupil record. */
  sen: 'E' | 'K' | 'N' | null;
  /** In the year group that sits the key stage in the report's academic year (Year 6, Year 11). */
  assessed: { ks2: boolean; ks4: boolean };
  /** The result of the report's academic year only (never one of another year). */
  ks2: { expected: boolean } | null;
  ks4: {
    attainment8: number | null;
    englishMaths4: boolean;
    englishMaths5: boolean;
  } | null;
  movedSchool: boolean;
  /** A PEP is required (looked after, of PEP age), and it is in date (CURRENT or DUE). */
  pep: { ofAge: boolean; inDate: boolean };
  /** Entered care in the period, with a first PEP due (or held) by its end. */
  firstPep: { counted: boolean; onTime: boolean };
  /**
   * Pupil Premium Plus for the report's financial year, in pence; null without any. `unspent`
   * is allocated minus spent minus the child's share of the year's top-slices.
   */
  funding: { allocated: number; spent: number; unspent: number } | null;
}

/** School figures for all pupils, summed over a set of schools and year groups. */
export type AggregateSums = Omit<EdYearGroupAggregate, 'urn' | 'academic_year' | 'year_group'>;

/** Which data a measure needs: unavailable data is published as `x`. */
export type MeasureSource = 'SOCIAL_CARE' | 'ATTENDANCE' | 'EXCLUSIONS' | 'EDUCATION' | 'FINANCE';

/**
 * Data the LA's systems may hold for only part of a group (schools outside the authority send
 * returns or not): for these, every figure says how many children it is about of how many are
 * in the group. Everything else (social care, SEN, rolls, finance) is held for every child.
 */
export const COVERAGE_KEYS = ['ATTENDANCE', 'EXCLUSIONS', 'KS2', 'KS4'] as const;
export type CoverageKey = (typeof COVERAGE_KEYS)[number];

export interface CoverageDefinition {
  key: CoverageKey;
  /** What the group is, for the report's description of its coverage. */
  label: string;
  source: MeasureSource;
  /** [data held and in the group, in the group, in the group]. */
  contribution(child: ChildView): [number, number, number];
}

const held = (inGroup: boolean, known: boolean): [number, number, number] => {
  const basis = inGroup ? 1 : 0;
  return [basis * (known ? 1 : 0), basis, basis];
};

export const COVERAGES: readonly CoverageDefinition[] = [
  {
    key: 'ATTENDANCE',
    label: 'Children on roll whose attendance the education system holds',
    source: 'ATTENDANCE',
    contribution: (c) => held(c.onRoll, c.held.attendance),
  },
  {
    key: 'EXCLUSIONS',
    label: 'Children on roll whose suspensions and exclusions the education system holds',
    source: 'EXCLUSIONS',
    contribution: (c) => held(c.onRoll, c.held.exclusions),
  },
  {
    key: 'KS2',
    label: 'Children in Year 6 (or with a KS2 result) whose KS2 results the system holds',
    source: 'EDUCATION',
    contribution: (c) => held(c.assessed.ks2 || c.ks2 !== null, c.held.attainment),
  },
  {
    key: 'KS4',
    label: 'Children in Year 11 (or with a KS4 result) whose KS4 results the system holds',
    source: 'EDUCATION',
    contribution: (c) => held(c.assessed.ks4 || c.ks4 !== null, c.held.attainment),
  },
];

/** Index of a coverage in COVERAGES. */
export function coverageIndex(key: CoverageKey): number {
  return COVERAGE_KEYS.indexOf(key);
}

export interface MeasureDefinition {
  key: MeasureKey;
  label: string;
  kind: FigureKind;
  /** How the published value reads; by default from `kind` (a PERCENT is a percentage). */
  unit?: 'PER_100_PUPILS';
  /** The group the data may be held for only in part (see COVERAGES); absent: held for all. */
  coverage?: CoverageKey;
  numeratorCountsChildren: boolean;
  denominatorCountsChildren: boolean;
  source: MeasureSource;
  /** [numerator, denominator, basis]: basis 1 when the measure is computed from this child. */
  contribution(child: ChildView): [number, number, number];
  /** The same measure for all pupils, from school figures; absent where schools report none. */
  peers?: (sums: AggregateSums) => Tally;
}

const flag = (value: boolean): number => (value ? 1 : 0);
/** A rate over children: numerator and denominator both count them. */
const childRate = (inPopulation: boolean, counted: boolean): [number, number, number] => {
  const basis = flag(inPopulation);
  return [basis * flag(counted), basis, basis];
};
const rate = (numerator: number, denominator: number): Tally => ({
  numerator,
  denominator,
  basis: denominator,
});
const CHILD_RATE = {
  kind: 'PERCENT',
  numeratorCountsChildren: true,
  denominatorCountsChildren: true,
} as const;
const MONEY = {
  kind: 'MONEY',
  numeratorCountsChildren: false,
  denominatorCountsChildren: true,
} as const;

export const MEASURES: readonly MeasureDefinition[] = [
  {
    key: 'ATTENDANCE_RATE',
    coverage: 'ATTENDANCE',
    label: 'Attendance rate (attended sessions / possible sessions)',
    kind: 'PERCENT',
    numeratorCountsChildren: false,
    denominatorCountsChildren: false,
    source: 'ATTENDANCE',
    contribution: ({ attendance: a }) =>
      a && a.possible > 0 ? [a.attended, a.possible, 1] : [0, 0, 0],
    peers: (s) => ({
      numerator: s.attended_sessions,
      denominator: s.possible_sessions,
      basis: s.pupils,
    }),
  },
  {
    key: 'PERSISTENT_ABSENCE',
    coverage: 'ATTENDANCE',
    label: 'Persistent absence (missing 10% or more of possible sessions)',
    ...CHILD_RATE,
    source: 'ATTENDANCE',
    contribution: ({ attendance: a }) =>
      childRate(a !== null && a.possible > 0, a?.persistent ?? false),
    peers: (s) => rate(s.persistent_absentees, s.pupils),
  },
  {
    key: 'SEVERE_ABSENCE',
    coverage: 'ATTENDANCE',
    label: 'Severe absence (missing 50% or more of possible sessions)',
    ...CHILD_RATE,
    source: 'ATTENDANCE',
    contribution: ({ attendance: a }) =>
      childRate(a !== null && a.possible > 0, a?.severe ?? false),
    peers: (s) => rate(s.severe_absentees, s.pupils),
  },
  {
    key: 'ONE_OR_MORE_SUSPENSIONS',
    coverage: 'EXCLUSIONS',
    label: 'One or more suspensions (children with 1+ suspension / children on roll)',
    ...CHILD_RATE,
    source: 'EXCLUSIONS',
    contribution: (c) => childRate(c.onRoll && c.held.exclusions, c.suspensions > 0),
    peers: (s) => rate(s.suspended_pupils, s.pupils),
  },
  {
    key: 'SUSPENSION_RATE',
    coverage: 'EXCLUSIONS',
    label: "Suspension rate (the DfE's: suspensions per 100 pupils on roll)",
    kind: 'PERCENT',
    unit: 'PER_100_PUPILS',
    // A count of suspensions of 1 to 5 comes from 1 to 5 children: treated as a small count.
    numeratorCountsChildren: true,
    denominatorCountsChildren: true,
    source: 'EXCLUSIONS',
    contribution: (c) => {
      const basis = c.onRoll && c.held.exclusions ? 1 : 0;
      return [basis * c.suspensions, basis, basis];
    },
    peers: (s) => ({ numerator: s.suspensions, denominator: s.pupils, basis: s.pupils }),
  },
  {
    key: 'PERMANENT_EXCLUSIONS',
    coverage: 'EXCLUSIONS',
    label: 'Permanent exclusions (children permanently excluded)',
    kind: 'COUNT',
    numeratorCountsChildren: true,
    denominatorCountsChildren: true,
    source: 'EXCLUSIONS',
    contribution: (c) => childRate(c.onRoll && c.held.exclusions, c.permanentlyExcluded),
    peers: (s) => ({ numerator: s.permanently_excluded, denominator: s.pupils, basis: s.pupils }),
  },
  {
    key: 'PEP_IN_DATE',
    label:
      'PEP in date (children of PEP age whose PEP is current or due: a completed PEP this term or last)',
    ...CHILD_RATE,
    source: 'SOCIAL_CARE',
    contribution: ({ pep }) => childRate(pep.ofAge, pep.inDate),
  },
  {
    key: 'FIRST_PEP_ON_TIME',
    label:
      'First PEP on time (entries to care whose first completed PEP met the limit: 20 school days, 10 working days after an emergency placement)',
    ...CHILD_RATE,
    source: 'SOCIAL_CARE',
    contribution: ({ firstPep }) => childRate(firstPep.counted, firstPep.onTime),
  },
  {
    key: 'SEN_EHC_PLAN',
    label: 'SEN: EHC plan (children on roll)',
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: (c) => childRate(c.onRoll, c.sen === 'E'),
    peers: (s) => rate(s.ehc_plan, s.pupils),
  },
  {
    key: 'SEN_SUPPORT',
    label: 'SEN: SEN support (children on roll)',
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: (c) => childRate(c.onRoll, c.sen === 'K'),
    peers: (s) => rate(s.sen_support, s.pupils),
  },
  {
    key: 'KS2_RWM_EXPECTED',
    coverage: 'KS2',
    label:
      "KS2 reading, writing and maths at the expected standard (results of the report's academic year)",
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: ({ ks2 }) => childRate(ks2 !== null, ks2?.expected ?? false),
    peers: (s) => rate(s.ks2_rwm_expected, s.ks2_pupils),
  },
  {
    key: 'KS4_ATTAINMENT_8',
    coverage: 'KS4',
    label: "KS4 Attainment 8 (mean; results of the report's academic year)",
    kind: 'MEAN',
    numeratorCountsChildren: false,
    denominatorCountsChildren: true,
    source: 'EDUCATION',
    contribution: ({ ks4 }) =>
      ks4 && ks4.attainment8 !== null ? [ks4.attainment8, 1, 1] : [0, 0, 0],
    peers: (s) => rate(s.ks4_attainment8_total, s.ks4_pupils),
  },
  {
    key: 'KS4_ENGLISH_MATHS_4_PLUS',
    coverage: 'KS4',
    label: "KS4 English and maths at grade 4 or above (results of the report's academic year)",
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: ({ ks4 }) => childRate(ks4 !== null, ks4?.englishMaths4 ?? false),
    peers: (s) => rate(s.ks4_em_4plus, s.ks4_pupils),
  },
  {
    key: 'KS4_ENGLISH_MATHS_5_PLUS',
    coverage: 'KS4',
    label: "KS4 English and maths at grade 5 or above (results of the report's academic year)",
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: ({ ks4 }) => childRate(ks4 !== null, ks4?.englishMaths5 ?? false),
    peers: (s) => rate(s.ks4_em_5plus, s.ks4_pupils),
  },
  {
    key: 'SCHOOL_MOVES',
    label: 'School moves (children on roll with a mid-year move)',
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: (c) => childRate(c.onRoll, c.movedSchool),
  },
  {
    key: 'PUPIL_PREMIUM_PLUS_ALLOCATED',
    label: 'Pupil Premium Plus allocated',
    ...MONEY,
    source: 'FINANCE',
    contribution: ({ funding }) => (funding ? [funding.allocated, 1, 1] : [0, 0, 0]),
  },
  {
    key: 'PUPIL_PREMIUM_PLUS_SPENT',
    label: 'Pupil Premium Plus spent',
    ...MONEY,
    source: 'FINANCE',
    contribution: ({ funding }) => (funding ? [funding.spent, 1, 1] : [0, 0, 0]),
  },
  {
    key: 'PUPIL_PREMIUM_PLUS_UNSPENT',
    label:
      'Pupil Premium Plus unspent: allocated minus spent minus committed minus the child’s ' +
      'share of top-slices',
    ...MONEY,
    source: 'FINANCE',
    contribution: ({ funding }) => (funding ? [funding.unspent, 1, 1] : [0, 0, 0]),
  },
];

export const AGGREGATE_FIELDS = [
  'pupils',
  'possible_sessions',
  'attended_sessions',
  'persistent_absentees',
  'severe_absentees',
  'suspended_pupils',
  'suspensions',
  'permanently_excluded',
  'ehc_plan',
  'sen_support',
  'ks2_pupils',
  'ks2_rwm_expected',
  'ks4_pupils',
  'ks4_attainment8_total',
  'ks4_em_4plus',
  'ks4_em_5plus',
] as const satisfies ReadonlyArray<keyof AggregateSums>;

export function emptySums(): AggregateSums {
  return Object.fromEntries(AGGREGATE_FIELDS.map((field) => [field, 0])) as AggregateSums;
}
