/**
 * The fixed bands reports are filtered and broken down by, and how a child falls into each,
 * on the report's reference date. Every child falls into exactly one band of every attribute
 * (with a band for "none" where needed), so a breakdown's cells add up to its total.
 */
import { LEGAL_STATUS, PLACEMENT_TYPE, isKnownCode } from '../../domain/codes/ssda903';
import { ageOn, yearGroupFor, yearGroupIndex, type YearGroup } from '../../domain/school-calendar';

/** Attributes of a child a report can condition on, in the order records carry them. */
export const ATTRIBUTES = [
  'AGE_BAND',
  'YEAR_GROUP',
  'KEY_STAGE',
  'PLACEMENT_TYPE',
  'LEGAL_STATUS',
  'LOCATION',
  'SCHOOL',
  'GENDER',
  'UASC',
  'SEN_STATUS',
  'OUTCOME_COHORT',
  // Last, so the others keep their places. Only a report that asks for other authorities'
  // pupils (`placedBy`, or this dimension) has a record of any band but OURS (report.ts).
  'PLACING_AUTHORITY',
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export const attributeIndex = (attribute: Attribute): number => ATTRIBUTES.indexOf(attribute);

/** The dimensions a report can be broken down by (the schema's CohortDimension). */
export const DIMENSIONS = [
  'AGE_BAND',
  'KEY_STAGE',
  'PLACEMENT_TYPE',
  'LEGAL_STATUS',
  'LOCATION',
  'GENDER',
  'SEN_STATUS',
  'SCHOOL',
  'PLACING_AUTHORITY',
] as const satisfies readonly Attribute[];
export type Dimension = (typeof DIMENSIONS)[number];

type BandList = ReadonlyArray<readonly [code: string, label: string]>;

/** Attributes that need the education system (a pupil record) to place a child. */
export const EDUCATION_ATTRIBUTES: ReadonlySet<Attribute> = new Set(['SCHOOL', 'SEN_STATUS']);

export const NOT_ON_ROLL = 'NONE';
/** PLACING_AUTHORITY bands: this authority's children, and other authorities' pupils. */
export const PLACED_BY_US = 'OURS';
export const PLACED_BY_OTHERS = 'OTHERS';
/**
 * The band of a care attribute (placement, legal status, location, UASC, outcome cohort) for
 * a pupil another authority looks after: the council holds no care record for them. Reports
 * that include them refuse conditions and breakdowns on these attributes (report.ts).
 */
export const NOT_HELD = 'NOT_HELD';
/** Attributes the council holds only for its own children (from their care records). */
export const CARE_ATTRIBUTES: ReadonlySet<Attribute> = new Set([
  'PLACEMENT_TYPE',
  'LEGAL_STATUS',
  'LOCATION',
  'UASC',
  'OUTCOME_COHORT',
]);
export const NO_YEAR_GROUP = 'NO_YEAR_GROUP';

const YEAR_GROUP_CODES: Record<YearGroup, string> = {
  N1: 'NURSERY_1',
  N2: 'NURSERY_2',
  R: 'RECEPTION',
  '1': 'YEAR_1',
  '2': 'YEAR_2',
  '3': 'YEAR_3',
  '4': 'YEAR_4',
  '5': 'YEAR_5',
  '6': 'YEAR_6',
  '7': 'YEAR_7',
  '8': 'YEAR_8',
  '9': 'YEAR_9',
  '10': 'YEAR_10',
  '11': 'YEAR_11',
  '12': 'YEAR_12',
  '13': 'YEAR_13',
};

/** Bands of every attribute but SCHOOL (whose bands are the schools with children in the cohort). */
export const BANDS: Record<Exclude<Attribute, 'SCHOOL'>, BandList> = {
  AGE_BAND: [
    ['UNDER_1', 'Under 1'],
    ['AGE_1_TO_4', 'Aged 1 to 4'],
    ['AGE_5_TO_9', 'Aged 5 to 9'],
    ['AGE_10_TO_15', 'Aged 10 to 15'],
    ['AGE_16_AND_OVER', 'Aged 16 and over'],
  ],
  YEAR_GROUP: [
    ...Object.entries(YEAR_GROUP_CODES).map(
      ([year, code]) =>
        [
          code,
          year === 'N1' || year === 'N2'
            ? `Nursery ${year.slice(1)}`
            : year === 'R'
              ? 'Reception'
              : `Year ${year}`,
        ] as const,
    ),
    [NO_YEAR_GROUP, 'No year group'],
  ],
  KEY_STAGE: [
    ['EARLY_YEARS', 'Early years (nursery and reception)'],
    ['KEY_STAGE_1', 'Key stage 1'],
    ['KEY_STAGE_2', 'Key stage 2'],
    ['KEY_STAGE_3', 'Key stage 3'],
    ['KEY_STAGE_4', 'Key stage 4'],
    ['KEY_STAGE_5', 'Key stage 5 (years 12 and 13)'],
    [NO_YEAR_GROUP, 'No year group (below nursery age or above year 13)'],
  ],
  PLACEMENT_TYPE: [
    ['FOSTER', 'Foster placements'],
    ['PLACED_FOR_ADOPTION', 'Placed for adoption'],
    ['PLACED_WITH_PARENTS', 'Placed with parents or others with parental responsibility'],
    ['SUPPORTED_OR_INDEPENDENT_LIVING', 'Supported accommodation and independent living'],
    ['CHILDRENS_HOMES_AND_SECURE', "Children's homes, secure homes and residential care homes"],
    ['OTHER_RESIDENTIAL', 'Other residential settings'],
    ['OTHER', 'Other placements'],
  ],
  LEGAL_STATUS: [
    ['INTERIM_CARE_ORDER', 'Interim care order'],
    ['FULL_CARE_ORDER', 'Full care order'],
    ['PLACEMENT_ORDER', 'Placement or freeing order'],
    ['SECTION_20', 'Voluntary agreement under section 20'],
    ['DETAINED_FOR_PROTECTION', 'Detained for child protection'],
    ['YOUTH_JUSTICE', 'Youth justice legal statuses'],
    ['OTHER', 'Other or not recorded'],
  ],
  LOCATION: [
    ['IN_AUTHORITY', "Placed inside the authority's area"],
    ['OUT_OF_AUTHORITY', "Placed outside the authority's area"],
  ],
  GENDER: [
    ['MALE', 'Male'],
    ['FEMALE', 'Female'],
  ],
  UASC: [
    ['YES', 'Unaccompanied asylum-seeking children'],
    ['NO', 'Other children'],
  ],
  SEN_STATUS: [
    ['EHC_PLAN', 'EHC plan'],
    ['SEN_SUPPORT', 'SEN support'],
    ['NO_SEN', 'No identified SEN'],
    ['NO_PUPIL_RECORD', 'No pupil record'],
  ],
  OUTCOME_COHORT: [
    ['YES', 'Looked after continuously for 12 months'],
    ['NO', 'Looked after for less than 12 months'],
  ],
  PLACING_AUTHORITY: [
    [PLACED_BY_US, 'Looked after by this authority'],
    [PLACED_BY_OTHERS, 'Looked after by other authorities'],
  ],
};

export const DIMENSION_LABELS: Record<Dimension, string> = {
  AGE_BAND: 'Age band',
  KEY_STAGE: 'Key stage',
  PLACEMENT_TYPE: 'Placement type',
  LEGAL_STATUS: 'Legal status',
  LOCATION: 'Placement location',
  GENDER: 'Gender',
  SEN_STATUS: 'SEN status',
  SCHOOL: 'School',
  PLACING_AUTHORITY: 'Placing authority',
};

export function bandLabel(attribute: Attribute, code: string): string {
  if (attribute === 'SCHOOL') return code === NOT_ON_ROLL ? 'Not on a school roll' : code;
  return BANDS[attribute].find(([band]) => band === code)?.[1] ?? code;
}

export function ageBand(dob: string, on: string): string {
  const age = ageOn(dob, on);
  if (age < 1) return 'UNDER_1';
  if (age <= 4) return 'AGE_1_TO_4';
  if (age <= 9) return 'AGE_5_TO_9';
  if (age <= 15) return 'AGE_10_TO_15';
  return 'AGE_16_AND_OVER';
}

/** National curriculum year group by age on `on` (the schema's CohortYearGroup), or NO_YEAR_GROUP. */
export function yearGroupBand(dob: string, on: string): string {
  const year = yearGroupFor(dob, on);
  return year === null ? NO_YEAR_GROUP : YEAR_GROUP_CODES[year];
}

/** The CohortYearGroup value for a census year group ("10" -> YEAR_10). */
export function yearGroupCode(year: YearGroup): string {
  return YEAR_GROUP_CODES[year];
}

/** The key stage a year group (CohortYearGroup value) is in. */
export function keyStageOf(yearGroup: string): string {
  let stage = keyStages.get(yearGroup);
  if (stage === undefined) {
    stage = keyStageOfYear(yearGroup);
    // Year groups come from a fixed list; an unknown one is kept too (the map stays small).
    if (keyStages.size < 1_000) keyStages.set(yearGroup, stage);
  }
  return stage;
}

/** Each year group's key stage once worked out (a report asks for it for every child). */
const keyStages = new Map<string, string>();

function keyStageOfYear(yearGroup: string): string {
  const year = Object.entries(YEAR_GROUP_CODES).find(([, code]) => code === yearGroup)?.[0];
  if (year === undefined) return NO_YEAR_GROUP;
  const index = yearGroupIndex(year) - 2; // Reception 0 .. Year 13 13
  if (index <= 0) return 'EARLY_YEARS';
  if (index <= 2) return 'KEY_STAGE_1';
  if (index <= 6) return 'KEY_STAGE_2';
  if (index <= 9) return 'KEY_STAGE_3';
  if (index <= 11) return 'KEY_STAGE_4';
  return 'KEY_STAGE_5';
}

const PLACEMENT_GROUPS: Array<[RegExp, string]> = [
  [/^U[1-6]$/, 'FOSTER'],
  [/^A[3-6]$/, 'PLACED_FOR_ADOPTION'],
  [/^P1$/, 'PLACED_WITH_PARENTS'],
  [/^(K3|H5|P2|P3)$/, 'SUPPORTED_OR_INDEPENDENT_LIVING'],
  [/^(K1|K2|R1)$/, 'CHILDRENS_HOMES_AND_SECURE'],
  [/^(R2|R3|R5|S1)$/, 'OTHER_RESIDENTIAL'],
];

/** The group of a 903 placement type; OTHER for temporary moves, Z codes and unknown codes. */
/** Each code's group once worked out (a report asks for it once or twice per child). */
const placementGroups = new Map<string, string>();
const legalStatusGroups = new Map<string, string>();

export function placementGroup(place: string): string {
  let group = placementGroups.get(place);
  if (group === undefined) {
    group = isKnownCode(PLACEMENT_TYPE, place)
      ? (PLACEMENT_GROUPS.find(([pattern]) => pattern.test(place))?.[1] ?? 'OTHER')
      : 'OTHER';
    // Codes come from a fixed list; an unknown one is kept too (the map stays small).
    if (placementGroups.size < 1_000) placementGroups.set(place, group);
  }
  return group;
}

const LEGAL_GROUPS: Record<string, string> = {
  C1: 'INTERIM_CARE_ORDER',
  C2: 'FULL_CARE_ORDER',
  D1: 'PLACEMENT_ORDER',
  E1: 'PLACEMENT_ORDER',
  V2: 'SECTION_20',
  V3: 'SECTION_20',
  V4: 'SECTION_20',
  L1: 'DETAINED_FOR_PROTECTION',
  L2: 'DETAINED_FOR_PROTECTION',
  L3: 'DETAINED_FOR_PROTECTION',
  J1: 'YOUTH_JUSTICE',
  J2: 'YOUTH_JUSTICE',
  J3: 'YOUTH_JUSTICE',
};

export function legalStatusGroup(ls: string): string {
  let group = legalStatusGroups.get(ls);
  if (group === undefined) {
    group = isKnownCode(LEGAL_STATUS, ls) ? (LEGAL_GROUPS[ls] ?? 'OTHER') : 'OTHER';
    if (legalStatusGroups.size < 1_000) legalStatusGroups.set(ls, group);
  }
  return group;
}
