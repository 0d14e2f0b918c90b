/**
 * The statutory code lists the generator draws from (see /work/shared/spec/domain.md):
 * SSDA903 header and episode codes, DfE attendance codes from 19 August 2024, exclusion
 * reasons, SEN. Tests import these to check every code in the world is a real one.
 */

/** 903 ethnicity. */
export const ETHNIC_CODES = [
  'WBRI',
  'WIRI',
  'WOTH',
  'WIRT',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'CHNE',
  'OOTH',
  'REFU',
  'NOBT',
] as const;

/** 903 legal status. */
export const LEGAL_STATUS_CODES = [
  'C1',
  'C2',
  'D1',
  'E1',
  'J1',
  'J2',
  'J3',
  'L1',
  'L2',
  'L3',
  'V2',
  'V3',
  'V4',
] as const;

/** 903 reason for new episode. */
export const RNE_CODES = ['S', 'L', 'P', 'T', 'U', 'B'] as const;

/** 903 category of need. */
export const CIN_CODES = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'] as const;

/** 903 placement type, 2025-26 list. */
export const PLACEMENT_CODES = [
  'A3',
  'A4',
  'A5',
  'A6',
  'K1',
  'K2',
  'K3',
  'P1',
  'P3',
  'R1',
  'R2',
  'R3',
  'R5',
  'S1',
  'T0',
  'T1',
  'T2',
  'T3',
  'T4',
  'U1',
  'U2',
  'U3',
  'U4',
  'U5',
  'U6',
  'Z11',
  'Z12',
  'Z13',
  'Z14',
] as const;

/** Placement types of earlier years that a real system's history still holds. */
export const HISTORIC_PLACEMENT_CODES = ['H5', 'P2', 'Z1'] as const;

/**
 * Approximate last days the historic codes were in use, for the generator's history:
 * episodes that closed before these dates may carry them.
 */
export const HISTORIC_PLACEMENT_CUTOFF = { Z1: '2022-03-31', H5: '2024-03-31', P2: '2024-03-31' };

export const FOSTER_PLACEMENTS = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'] as const;
export const ADOPTION_PLACEMENTS = ['A3', 'A4', 'A5', 'A6'] as const;

/** 903 placement provider. */
export const PLACE_PROVIDER_CODES = ['PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5'] as const;

/** 903 reason episode ceased. */
export const REC_CODES = [
  'E11',
  'E12',
  'E13',
  'E14',
  'E15',
  'E16',
  'E17',
  'E2',
  'E3',
  'E4A',
  'E4B',
  'E41',
  'E45',
  'E46',
  'E47',
  'E48',
  'E5',
  'E6',
  'E7',
  'E8',
  'E9',
  'X1',
] as const;

/** 903 reason for placement change (on the episode that ended with the change). */
export const REASON_PLACE_CHANGE_CODES = [
  'CARPL',
  'CLOSE',
  'ALLEG',
  'STAND',
  'APPRR',
  'CREQB',
  'CREQO',
  'CHILD',
  'LAREQ',
  'PLACE',
  'CUSTOD',
  'OTHER',
] as const;

/** 903 UPN unknown reasons. */
export const UPN_UNKNOWN_CODES = ['UN1', 'UN2', 'UN3', 'UN4', 'UN5'] as const;

/** What a carer may have delegated authority to agree to. */
export const DELEGATED_AUTHORITY_ITEMS = [
  'SCHOOL_TRIPS',
  'PHOTO_CONSENT',
  'HAIRCUTS',
  'OVERNIGHT_STAYS',
  'MEDICAL_ROUTINE',
] as const;

/** DfE attendance codes from 19 August 2024, by category. */
export const ATTENDANCE_CODES = {
  present: ['/', '\\', 'L'],
  approvedEducationalActivity: ['K', 'V', 'P', 'W', 'B'],
  authorisedAbsence: ['C', 'C1', 'C2', 'E', 'I', 'M', 'J1', 'S', 'T', 'R'],
  unauthorisedAbsence: ['G', 'N', 'O', 'U'],
  // D (dual registered): the other school records the session; not possible here.
  notPossible: ['Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'X', 'Z', '#', 'D'],
} as const;

export const ALL_ATTENDANCE_CODES: readonly string[] = [
  ...ATTENDANCE_CODES.present,
  ...ATTENDANCE_CODES.approvedEducationalActivity,
  ...ATTENDANCE_CODES.authorisedAbsence,
  ...ATTENDANCE_CODES.unauthorisedAbsence,
  ...ATTENDANCE_CODES.notPossible,
];

/** Sessions that count as attended (present or approved educational activity). */
export const ATTENDED_CODES: ReadonlySet<string> = new Set([
  ...ATTENDANCE_CODES.present,
  ...ATTENDANCE_CODES.approvedEducationalActivity,
]);
/** Sessions that count as absence. */
export const ABSENCE_CODES: ReadonlySet<string> = new Set([
  ...ATTENDANCE_CODES.authorisedAbsence,
  ...ATTENDANCE_CODES.unauthorisedAbsence,
]);
/** Sessions left out of the denominator. */
export const NOT_POSSIBLE_CODES: ReadonlySet<string> = new Set(ATTENDANCE_CODES.notPossible);

/** Reasons for a suspension or permanent exclusion. */
export const EXCLUSION_REASONS = [
  'PP',
  'PA',
  'VP',
  'VA',
  'OW',
  'BU',
  'RA',
  'LG',
  'DS',
  'SM',
  'DA',
  'DM',
  'TH',
  'MT',
  'PH',
  'DB',
] as const;

export const SEN_STATUSES = ['E', 'K', 'N'] as const;
export const SEN_PRIMARY_NEEDS = [
  'SPLD',
  'MLD',
  'SLD',
  'PMLD',
  'SEMH',
  'SLCN',
  'HI',
  'VI',
  'MSI',
  'PD',
  'ASD',
  'OTH',
  'NSA',
] as const;

/** KS2 writing teacher assessment outcomes. */
export const WRITING_TA_CODES = ['GDS', 'EXS', 'WTS', 'PK'] as const;

export const STAFF_ROLES = ['HEAD', 'DT', 'TEACHER', 'SENCO', 'GOVERNOR', 'OFFICE'] as const;
export const WORKER_ROLES = ['SW', 'VSO', 'VSH', 'TM'] as const;

export const PHASES = ['NURSERY', 'PRIMARY', 'SECONDARY', 'ALL_THROUGH', 'SPECIAL', 'PRU'] as const;

/** PP+ per-child rates published so far, in pence, by financial year. */
export const PP_PLUS_RATES_PENCE: Readonly<Record<string, number>> = {
  '2023-24': 253_000,
  '2024-25': 257_000,
  '2025-26': 263_000,
};

/** Finance cost centre for PP+ for children looked after. */
export const PP_PLUS_COST_CENTRE = 'VS-PPP';

/** KS2 tests were cancelled in these summers (COVID-19): no results. */
export const KS2_CANCELLED_YEARS: ReadonlySet<string> = new Set(['2020', '2021']);
