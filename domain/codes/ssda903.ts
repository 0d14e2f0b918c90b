/**
 * The SSDA903 (children looked after) code lists the social care system speaks, with their
 * meanings, after the DfE's 903 guidance and the data-to-insight 903 validator's rule files.
 * Historic codes stay in the lists: a real case system's history still holds them.
 *
 * Look-ups never throw: an unknown code gets a label that says so, because a code the lists
 * do not know yet (a new collection year) must not break a child's record.
 */

/** A code from a statutory list with its meaning (the schema's `CodedValue`). */
export interface CodedValue {
  code: string;
  label: string;
}

export type CodeList = Readonly<Record<string, string>>;

/** `LS`: the legal status of an episode. */
export const LEGAL_STATUS: CodeList = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  J1: 'Remanded to local authority accommodation or to youth detention accommodation',
  J2: 'Placed in local authority accommodation under the Police and Criminal Evidence Act 1984',
  J3: 'Sentenced to a youth rehabilitation order with residence or intensive fostering requirement',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Under a child assessment order and in local authority accommodation',
  V2: 'Single period of accommodation under section 20',
  V3: 'Accommodated under an agreed series of short-term breaks (individual placements)',
  V4: 'Accommodated under an agreed series of short-term breaks (ongoing arrangement)',
};

/** `RNE`: why a new episode started. */
export const REASON_NEW_EPISODE: CodeList = {
  S: 'Started to be looked after',
  L: 'Change of legal status only',
  P: 'Change of placement and carer(s) only',
  T: 'Change of placement but same carer(s)',
  U: 'Change of legal status and placement, same carer(s)',
  B: 'Change of legal status, placement and carer(s)',
};

/** `CIN`: category of need. */
export const CATEGORY_OF_NEED: CodeList = {
  N1: 'Abuse or neglect',
  N2: "Child's disability",
  N3: 'Parental illness or disability',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
};

/** `PLACE`: placement type, the 2025-26 list plus the historic H5, P2 and Z1. */
export const PLACEMENT_TYPE: CodeList = {
  A3: 'Placed for adoption with parental consent with current foster carer(s)',
  A4: 'Placed for adoption with parental consent not with current foster carer(s)',
  A5: 'Placed for adoption with placement order with current foster carer(s)',
  A6: 'Placed for adoption with placement order not with current foster carer(s)',
  K1: "Secure children's home",
  K2: "Children's home subject to Children's Homes Regulations",
  K3: 'Supported accommodation (aged 16 or 17)',
  P1: 'Placed with own parent(s) or other person(s) with parental responsibility',
  P3: 'Residential employment',
  R1: 'Residential care home',
  R2: 'NHS or health trust establishment providing medical or nursing care',
  R3: 'Family centre or mother and baby unit',
  R5: 'Young offender institution',
  S1: "Residential school (not dual-registered as a children's home)",
  T0: 'Temporary move of any type',
  T1: 'Temporary period in hospital',
  T2: 'Temporary absence on holiday',
  T3: 'Temporary accommodation while the usual foster carer(s) are on holiday',
  T4: 'Temporary accommodation of seven days or less, for any other reason',
  U1: 'Foster placement with relative(s) or friend(s): long-term fostering',
  U2: 'Foster placement with relative(s) or friend(s) who are also approved adopters (fostering for adoption or concurrent planning)',
  U3: 'Foster placement with relative(s) or friend(s): other',
  U4: 'Foster placement with other foster carer(s): long-term fostering',
  U5: 'Foster placement with other foster carer(s) who are also approved adopters (fostering for adoption or concurrent planning)',
  U6: 'Foster placement with other foster carer(s): other',
  Z11: 'Other placement (Z11)',
  Z12: 'Other placement (Z12)',
  Z13: 'Other placement (Z13)',
  Z14: 'Other placement (Z14)',
  H5: 'Semi-independent living accommodation not subject to Children’s Homes Regulations (historic code)',
  P2: 'Independent living, e.g. flat, lodgings, bedsit or with friends (historic code)',
  Z1: 'Other placement (historic code)',
};

/** `PLACE_PROVIDER`: who provides the placement. */
export const PLACEMENT_PROVIDER: CodeList = {
  PR0: 'Parent(s) or other person(s) with parental responsibility',
  PR1: 'Own provision by the local authority',
  PR2: 'Other local authority provision',
  PR3: 'Other public provision',
  PR4: 'Private provision',
  PR5: 'Voluntary or third sector provision',
};

/** `REC`: why an episode ceased. */
export const REASON_EPISODE_CEASED: CodeList = {
  E11: 'Adopted: application for an adoption order unopposed',
  E12: 'Adopted: consent dispensed with by the court',
  E13: 'Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility',
  E14: 'Accommodation on remand ended',
  E15: 'Age assessment determined the child is aged 18 or over',
  E16: 'Child moved abroad',
  E17: 'Aged 18 or over and remained with current carers (including staying put)',
  E2: 'Died',
  E3: 'Care taken over by another local authority in the UK',
  E4A: 'Returned home to parent(s) or other person(s) with parental responsibility, as part of the care plan',
  E4B: 'Returned home to parent(s) or other person(s) with parental responsibility, not as part of the care plan',
  E41: 'Residence order or child arrangements order granted',
  E45: 'Special guardianship order made to former foster carer(s) who were a relative or friend',
  E46: 'Special guardianship order made to former foster carer(s) other than a relative or friend',
  E47: 'Special guardianship order made to carer(s) other than former foster carer(s), who were a relative or friend',
  E48: 'Special guardianship order made to carer(s) other than former foster carer(s), other than a relative or friend',
  E5: 'Moved into independent living with formalised advice and support',
  E6: 'Moved into independent living without formalised advice and support',
  E7: 'Transferred to residential care funded by adult social services',
  E8: 'Care ceased for any other reason',
  E9: 'Sentenced to custody',
  X1: 'Episode ceased and a new episode began on the same day',
};

/** `ETHNIC`: the DfE ethnicity codes. */
export const ETHNICITY: CodeList = {
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
};

/** What the case system records a carer may agree to without asking the authority. */
export const DELEGATED_AUTHORITY: CodeList = {
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

/** True when `code` is on `list` (own keys only, so "toString" is not a code). */
export function isKnownCode(list: CodeList, code: string): boolean {
  return Object.prototype.hasOwnProperty.call(list, code);
}

/** The code's meaning, or "Unknown code (XX)" when the list does not hold it. */
export function labelFor(list: CodeList, code: string): string {
  return isKnownCode(list, code) ? (list[code] as string) : `Unknown code (${code})`;
}

export function codedValue(list: CodeList, code: string): CodedValue {
  return { code, label: labelFor(list, code) };
}

/**
 * A readable delegated-authority item. Unknown items are worded from the code itself
 * ("SWIMMING_LESSONS" -> "Swimming lessons"): the code names the activity, so its words are a
 * better label than "Unknown code".
 */
export function delegatedAuthorityLabel(code: string): string {
  if (isKnownCode(DELEGATED_AUTHORITY, code)) return DELEGATED_AUTHORITY[code] as string;
  const words = code.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
  return words.length > 0
    ? words.charAt(0).toUpperCase() + words.slice(1)
    : `Unknown code (${code})`;
}
