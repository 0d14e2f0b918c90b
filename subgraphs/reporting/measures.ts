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
  /** This academic year's attendance, when the period is the year the system holds. */
  attendance: {
    attended: number;
    possible: number;
    persistent: boolean;
    severe: boolean;
  } | null;
  suspended: boolean;
  permanentlyExcluded: boolean;
  /** E EHC plan, K SEN support, N none; null without a pupil record. */
  sen: 'E' | 'K' | 'N' | null;
  ks2: { expected: boolean } | null;
  ks4: {
    attainment8: number | null;
    englishMaths4: boolean;
    englishMaths5: boolean;
  } | null;
  movedSchool: boolean;
  pep: { ofAge: boolean; inDate: boolean };
  /** Entered care in the period, with a first PEP due (or held) by its end. */
  firstPep: { counted: boolean; onTime: boolean };
  /** Pupil Premium Plus for the report's financial year, in pence; null without any. */
  funding: { allocated: number; spent: number; unspent: number } | null;
}

/** School figures for all pupils, summed over a set of schools and year groups. */
export type AggregateSums = Omit<EdYearGroupAggregate, 'urn' | 'academic_year' | 'year_group'>;

/** Which data a measure needs: unavailable data is published as `x`. */
export type MeasureSource = 'SOCIAL_CARE' | 'ATTENDANCE' | 'EXCLUSIONS' | 'EDUCATION' | 'FINANCE';

export interface MeasureDefinition {
  key: MeasureKey;
  label: string;
  kind: FigureKind;
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
    label: 'Persistent absence (missing 10% or more of possible sessions)',
    ...CHILD_RATE,
    source: 'ATTENDANCE',
    contribution: ({ attendance: a }) =>
      childRate(a !== null && a.possible > 0, a?.persistent ?? false),
    peers: (s) => rate(s.persistent_absentees, s.pupils),
  },
  {
    key: 'SEVERE_ABSENCE',
    label: 'Severe absence (missing 50% or more of possible sessions)',
    ...CHILD_RATE,
    source: 'ATTENDANCE',
    contribution: ({ attendance: a }) =>
      childRate(a !== null && a.possible > 0, a?.severe ?? false),
    peers: (s) => rate(s.severe_absentees, s.pupils),
  },
  {
    key: 'SUSPENSION_RATE',
    label: 'Suspension rate (children with one or more suspensions / children on roll)',
    ...CHILD_RATE,
    source: 'EXCLUSIONS',
    contribution: (c) => childRate(c.onRoll, c.suspended),
    peers: (s) => rate(s.suspended_pupils, s.pupils),
  },
  {
    key: 'PERMANENT_EXCLUSIONS',
    label: 'Permanent exclusions (children permanently excluded)',
    kind: 'COUNT',
    numeratorCountsChildren: true,
    denominatorCountsChildren: true,
    source: 'EXCLUSIONS',
    contribution: (c) => childRate(c.onRoll, c.permanentlyExcluded),
    peers: (s) => ({ numerator: s.permanently_excluded, denominator: s.pupils, basis: s.pupils }),
  },
  {
    key: 'PEP_IN_DATE',
    label: 'PEP in date (children of PEP age with an in-date PEP)',
    ...CHILD_RATE,
    source: 'SOCIAL_CARE',
    contribution: ({ pep }) => childRate(pep.ofAge, pep.inDate),
  },
  {
    key: 'FIRST_PEP_ON_TIME',
    label: 'First PEP on time (entries to care whose first PEP met the 20-school-day limit)',
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
    label: 'KS2 reading, writing and maths at the expected standard',
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: ({ ks2 }) => childRate(ks2 !== null, ks2?.expected ?? false),
    peers: (s) => rate(s.ks2_rwm_expected, s.ks2_pupils),
  },
  {
    key: 'KS4_ATTAINMENT_8',
    label: 'KS4 Attainment 8 (mean)',
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
    label: 'KS4 English and maths at grade 4 or above',
    ...CHILD_RATE,
    source: 'EDUCATION',
    contribution: ({ ks4 }) => childRate(ks4 !== null, ks4?.englishMaths4 ?? false),
    peers: (s) => rate(s.ks4_em_4plus, s.ks4_pupils),
  },
  {
    key: 'KS4_ENGLISH_MATHS_5_PLUS',
    label: 'KS4 English and maths at grade 5 or above',
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
    label: 'Pupil Premium Plus unspent',
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
