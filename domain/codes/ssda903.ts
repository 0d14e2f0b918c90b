/**
 * The SSDA903 (children looked after) code lists the social care system speaks, with their
 * meanings, each naming the collection year it is the list of and where it comes from: the
 * DfE's 903 guidance (its code sets, as the data-to-insight Standard Safeguarding Dataset
 * quotes them) and the data-to-insight 903 validator's rule files, which say which codes each
 * collection year accepts. Codes of earlier years stay on the lists as historic codes, with the
 * last year they were valid: a real case system's history still holds them.
 *
 * Look-ups never throw: an unknown code gets a label that says so, because a code the lists
 * do not know yet (a new collection year) must not break a child's record.
 */
import type { CodeListSource } from './code-list-source';

/** A code from a statutory list with its meaning (the schema's `CodedValue`). */
export interface CodedValue {
  code: string;
  label: string;
}

/**
 * One statutory code list, as it stands in one collection year: `collectionYear` (1 April to
 * 31 March, e.g. "2025-26") and `source` say which list it is.
 */
export interface CodeList extends CodeListSource {
  /** The field of the 903 return the list is for, e.g. `PLACE`. */
  field: string;
  /** The codes valid in `collectionYear`, with their meanings. */
  codes: Readonly<Record<string, string>>;
  /** Codes no longer valid in `collectionYear` that older episodes still carry. */
  historic?: Readonly<Record<string, HistoricCode>>;
}

export interface HistoricCode {
  meaning: string;
  /** The last collection year whose list held the code. */
  lastCollectionYear: string;
}

/** What a look-up found: the code's meaning and the list (and year) it is from. */
export interface CodeLookup extends CodedValue {
  field: string;
  /** The collection year of the list the label comes from. */
  collectionYear: string;
  /**
   * CURRENT: on the collection year's list. HISTORIC: on an earlier year's list only
   * (`lastCollectionYear` says which). UNKNOWN: on neither.
   */
  status: 'CURRENT' | 'HISTORIC' | 'UNKNOWN';
  lastCollectionYear: string | null;
}

/** The collection year every 903 list here is of. */
export const SSDA903_COLLECTION_YEAR = '2025-26';

/**
 * Meanings: the DfE SSDA903 guide's code sets, as the data-to-insight Standard Safeguarding
 * Dataset (ssd-data-model, DfE data item guidance) quotes them. Which codes are valid in
 * 2025-26: the data-to-insight 903 validator's rule files for that year (csc-validator-be-903,
 * lac_validator/rules/lac2025_26 and the earlier years it inherits), rule named per list.
 */
const DFE_903_GUIDE =
  'DfE SSDA903 guide code sets (as quoted by data-to-insight/ssd-data-model); codes valid in ' +
  '2025-26 per data-to-insight/csc-validator-be-903';

const list = (
  field: string,
  source: string,
  codes: Record<string, string>,
  historic?: Record<string, HistoricCode>,
): CodeList => ({
  field,
  collectionYear: SSDA903_COLLECTION_YEAR,
  source,
  codes,
  ...(historic ? { historic } : {}),
});

/** `LS`: the legal status of an episode (validator rule 144). */
export const LEGAL_STATUS: CodeList = list('LS', `${DFE_903_GUIDE} (rule 144)`, {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  J1: 'Remanded to local authority accommodation or to youth detention accommodation',
  J2: 'Placed in local authority accommodation under the Police and Criminal Evidence Act 1984, including secure accommodation',
  J3: 'Sentenced to Youth Rehabilitation Order (Criminal Justice and Immigration Act 2008 as amended by Legal Aid, Sentencing and Punishment of Offenders Act (LASPOA) 2012 with residence or intensive fostering requirement)',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order (EPO)',
  L3: 'Under child assessment order and in local authority accommodation',
  V2: 'Single period of accommodation under section 20 (Children Act 1989)',
  V3: 'Accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded',
  V4: 'Accommodated under an agreed series of short-term breaks, when agreements are recorded (NOT individual episodes of care)',
});

/** `RNE`: why a new episode started (validator rule 143). */
export const REASON_NEW_EPISODE: CodeList = list('RNE', `${DFE_903_GUIDE} (rule 143)`, {
  S: 'Started to be looked after',
  L: 'Change of legal status only',
  P: 'Change of placement and carer(s) only',
  T: 'Change of placement (but same carer(s)) only',
  U: 'Change of legal status and change of placement (but same carer(s)) at the same time',
  B: 'Change of legal status and placement and carer(s) at the same time',
});

/** `CIN`: category of need (validator rule 145). */
export const CATEGORY_OF_NEED: CodeList = list('CIN', `${DFE_903_GUIDE} (rule 145)`, {
  N1: 'Abuse or neglect',
  N2: 'Child’s disability',
  N3: 'Parental illness or disability',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
});

/**
 * The four codes that replaced Z1 ("Other placements") from 2025-26: the validator's 2025-26
 * rules accept them and treat them as placements with no provider and no Ofsted URN (rules 146,
 * 178, 213, 218, 222). The DfE guide's own words for each were not in any source this list was
 * checked against, so the labels say what is known rather than guess a meaning.
 */
const OTHER_PLACEMENT = (code: string) =>
  `Other placement (${code}: one of the four codes that replaced Z1 “Other placements” in 2025-26)`;

/**
 * `PLACE`: placement type, the 2025-26 list (validator rule 146), with the codes that left it:
 * H5, P2 and Z1 were last valid in 2024-25 (rule 146 of 2024-25), when K3 arrived.
 */
export const PLACEMENT_TYPE: CodeList = list(
  'PLACE',
  `${DFE_903_GUIDE} (rule 146, 2025-26 and 2024-25)`,
  {
    A3: 'Placed for adoption with parental/guardian consent with current foster carer(s)',
    A4: 'Placed for adoption with parental/guardian consent not with current foster carer(s)',
    A5: 'Placed for adoption with placement order with current foster carer(s)',
    A6: 'Placed for adoption with placement order not with current foster carer(s)',
    K1: 'Secure children’s homes',
    K2: 'Children’s Homes subject to Children’s Homes Regulations',
    K3: 'Supported accommodation not subject to children’s homes regulations (aged 16 or 17)',
    P1: 'Placed with own parent(s) or other person(s) with parental responsibility',
    P3: 'Residential employment',
    R1: 'Residential care home',
    R2: 'National Health Service (NHS)/health trust or other establishment providing medical or nursing care',
    R3: 'Family centre or mother and baby unit',
    R5: 'Young offender institution (YOI)',
    S1: 'All residential schools, except where dual-registered as a school and children’s home',
    T0: 'All types of temporary move',
    T1: 'Temporary periods in hospital',
    T2: 'Temporary absences of the child on holiday',
    T3: 'Temporary accommodation whilst normal foster carer(s) is/are on holiday',
    T4: 'Temporary accommodation of seven days or less, for any reason, not covered by codes T1 to T3',
    U1: 'Foster placement with relative(s) or friend(s) – long term fostering',
    U2: 'Fostering placement with relative(s) or friend(s) who is/are also an approved adopter(s) – fostering for adoption / concurrent planning',
    U3: 'Fostering placement with relative(s) or friend(s) who is/are not long-term or fostering for adoption / concurrent planning',
    U4: 'Foster placement with other foster carer(s) – long term fostering',
    U5: 'Foster placement with other foster carer(s) who is/are also an approved adopter(s) – fostering for adoption / concurrent planning',
    U6: 'Foster placement with other foster carer(s) – not long term or fostering for adoption / concurrent planning',
    Z11: OTHER_PLACEMENT('Z11'),
    Z12: OTHER_PLACEMENT('Z12'),
    Z13: OTHER_PLACEMENT('Z13'),
    Z14: OTHER_PLACEMENT('Z14'),
  },
  {
    H5: {
      meaning: 'Semi-independent living accommodation not subject to children’s homes regulations',
      lastCollectionYear: '2024-25',
    },
    P2: {
      meaning:
        'Independent living, for example in a flat, lodgings, bedsit, bed and breakfast (B&B) or with friends, with or without formal support',
      lastCollectionYear: '2024-25',
    },
    Z1: {
      meaning: 'Other placements (must be listed on a schedule sent to DfE with annual submission)',
      lastCollectionYear: '2024-25',
    },
  },
);

/** `PLACE_PROVIDER`: who provides the placement (validator rule 178). */
export const PLACEMENT_PROVIDER: CodeList = list('PLACE_PROVIDER', `${DFE_903_GUIDE} (rule 178)`, {
  PR0: 'Parent(s) or other person(s) with parental responsibility',
  PR1: 'Own provision (by the local authority) including a regional adoption agency where the child’s responsible local authority is the host authority',
  PR2: 'Other local authority provision, including a regional adoption agency where another local authority is the host authority',
  PR3: 'Other public provision (for example, a primary care trust)',
  PR4: 'Private provision',
  PR5: 'Voluntary/third sector provision',
});

/** `REC`: why an episode ceased (validator rule 149). */
export const REASON_EPISODE_CEASED: CodeList = list('REC', `${DFE_903_GUIDE} (rule 149)`, {
  X1: 'Episode ceases, and new episode begins on same day, for any reason',
  E11: 'Adopted – application for an adoption order unopposed',
  E12: 'Adopted – consent dispensed with by the court',
  E2: 'Died',
  E3: 'Care taken over by another local authority in the UK',
  E4A: 'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility as part of the care planning process (not under a special guardianship order or residence order/ child arrangement order)',
  E4B: 'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility which was not part of the current care planning process (not under a special guardianship order or residence order or child arrangement order)',
  E13: 'Left care to live with parent(s), relative(s), or other person(s) with no parental responsibility',
  E41: 'Residence order/ child arrangement order (which sets out with whom the child is to live) granted',
  E45: 'Special guardianship order made to former foster carer(s), who was/are a relative(s) or friend(s)',
  E46: 'Special guardianship order made to former foster carer(s), other than relative(s) or friend(s)',
  E47: 'Special guardianship order made to carer(s), other than former foster carer(s), who was/are a relative(s) or friend(s)',
  E48: 'Special guardianship order made to carer(s), other than former foster carer(s), other than relative(s) or friend(s)',
  E5: 'Moved into independent living arrangement and no longer looked-after: supportive accommodation providing formalised advice/support arrangements',
  E6: 'Moved into independent living arrangement and no longer looked-after: accommodation providing no formalised advice/support arrangements',
  E7: 'Transferred to residential care funded by adult social care services',
  E8: 'Period of being looked-after ceased for any other reason (where none of the other reasons apply)',
  E9: 'Sentenced to custody',
  E14: 'Accommodation on remand ended',
  E15: 'Age assessment determined child is aged 18 or over and E5, E6 and E7 do not apply',
  E16: 'Child moved abroad',
  E17: 'Aged 18 (or over) and remained with current carers (inc under staying put arrangements)',
});

/** `REASON_PLACE_CHANGE`: why a placement ended (validator rule 1009). */
export const REASON_PLACE_CHANGE: CodeList = list(
  'REASON_PLACE_CHANGE',
  `${DFE_903_GUIDE} (rule 1009)`,
  {
    CARPL: 'Change to/implementing care plan',
    CLOSE: 'Resignation/closure of provision',
    ALLEG: 'Allegation (s47)',
    STAND: 'Standards of care concern',
    APPRR: 'Approval removed',
    CREQB: 'Carer(s) request placement end due to child’s behaviour',
    CREQO: 'Carer(s) request placement end for other reasons',
    CHILD: 'Child requests placement end',
    LAREQ: 'Responsible/area authority requests placement end',
    PLACE: 'Change in the status of placement only',
    CUSTOD: 'Custody arrangement',
    OTHER: 'Other reasons not captured above',
  },
);

/** `ETHNIC`: the DfE ethnicity codes. */
export const ETHNICITY: CodeList = list('ETHNIC', DFE_903_GUIDE, {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WIRT: 'Traveller of Irish heritage',
  WOTH: 'Any other White background',
  WROM: 'Gypsy or Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean',
  BAFR: 'Black African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
});

/**
 * What the case system records a carer may agree to without asking the authority. Not a
 * statutory list (no collection year): the case system's own items, worded by us.
 */
export const DELEGATED_AUTHORITY: Readonly<Record<string, string>> = {
  SCHOOL_TRIPS: 'School trips and activities',
  OVERNIGHT_TRIPS: 'Overnight school trips',
  OVERNIGHT_STAYS: 'Overnight stays with friends',
  SLEEPOVERS: 'Sleepovers with friends',
  HOLIDAYS_UK: 'Holidays in the UK',
  HOLIDAYS_ABROAD: 'Holidays abroad',
  HAIRCUTS: 'Haircuts',
  ROUTINE_MEDICAL: 'Routine medical treatment',
  MEDICAL_ROUTINE: 'Routine medical treatment',
  DENTAL: 'Dental check-ups and treatment',
  OPTICIAN: 'Eye tests',
  IMMUNISATIONS: 'Immunisations',
  PHOTOGRAPHS: 'School photographs',
  SCHOOL_PHOTOS: 'School photographs',
  SCHOOL_CONSENT_FORMS: 'School consent forms',
  PARENTS_EVENINGS: "Parents' evenings",
  EXTRA_CURRICULAR: 'Clubs and extra-curricular activities',
  SPORTS: 'Sports and clubs',
  SOCIAL_MEDIA: 'Social media use',
  MOBILE_PHONE: 'Mobile phone',
  PART_TIME_WORK: 'Part-time work',
};

const hasOwn = (record: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(record, key);

/**
 * The code looked up on its list: its meaning, the list's collection year, and whether it is
 * on that year's list, on an earlier year's only, or on neither (own keys only, so
 * "toString" is not a code).
 */
export function lookUpCode(codeList: CodeList, code: string): CodeLookup {
  const found = {
    code,
    field: codeList.field,
    collectionYear: codeList.collectionYear,
  };
  if (hasOwn(codeList.codes, code)) {
    return {
      ...found,
      label: codeList.codes[code] as string,
      status: 'CURRENT',
      lastCollectionYear: codeList.collectionYear,
    };
  }
  const historic = codeList.historic;
  if (historic && hasOwn(historic, code)) {
    const entry = historic[code] as HistoricCode;
    return {
      ...found,
      label: `${entry.meaning} (historic code, last valid in ${entry.lastCollectionYear})`,
      status: 'HISTORIC',
      lastCollectionYear: entry.lastCollectionYear,
    };
  }
  return { ...found, label: `Unknown code (${code})`, status: 'UNKNOWN', lastCollectionYear: null };
}

/** True when `code` is on the list, this year's or as a historic code. */
export function isKnownCode(codeList: CodeList, code: string): boolean {
  return lookUpCode(codeList, code).status !== 'UNKNOWN';
}

/** The code's meaning, or "Unknown code (XX)" when the list does not hold it. */
export function labelFor(codeList: CodeList, code: string): string {
  return lookUpCode(codeList, code).label;
}

export function codedValue(codeList: CodeList, code: string): CodedValue {
  return { code, label: labelFor(codeList, code) };
}

/**
 * A readable delegated-authority item. Unknown items are worded from the code itself
 * ("SWIMMING_LESSONS" -> "Swimming lessons"): the code names the activity, so its words are a
 * better label than "Unknown code".
 */
export function delegatedAuthorityLabel(code: string): string {
  if (hasOwn(DELEGATED_AUTHORITY, code)) return DELEGATED_AUTHORITY[code] as string;
  const words = code.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
  return words.length > 0
    ? words.charAt(0).toUpperCase() + words.slice(1)
    : `Unknown code (${code})`;
}
