/**
 * The oracle's own field -> category table, written from access.md's category list ("ID:
 * child id, name, preferred name, date of birth, gender, UPN; CARE: looked after since, legal
 * status, placing authority, UASC...") and the schema (schema/supergraph.graphql). Each
 * selectable piece of a record names the categories any one of which lets a caller read it.
 */
import type { Cat } from './oracle';

export interface FieldSpec {
  /** The selection, as GraphQL text (pieces with the same root field merge). */
  selection: string;
  /** Where its value sits in the answer; must be null when none of `cats` is readable. */
  path: string[];
  /** Any one of these categories lets the caller read it. */
  cats: Cat[];
}

export const CHILD_FIELDS = {
  id: { selection: 'id', path: ['id'], cats: ['ID_BASIC'] },
  name: {
    selection: 'name { displayName forename surname preferred }',
    path: ['name'],
    cats: ['ID_BASIC'],
  },
  upn: { selection: 'upn', path: ['upn'], cats: ['ID'] },
  dateOfBirth: { selection: 'dateOfBirth', path: ['dateOfBirth'], cats: ['ID'] },
  age: { selection: 'age', path: ['age'], cats: ['ID'] },
  gender: { selection: 'gender', path: ['gender'], cats: ['ID'] },
  careStatus: {
    selection:
      'careStatus { lookedAfter lookedAfterSince ceasedOn legalStatus { code } categoryOfNeed { code } placingAuthority { code } uasc ethnicity { code } }',
    path: ['careStatus'],
    cats: ['CARE'],
  },
  careEpisodes: {
    selection: 'careStatus { episodes { startDate legalStatus { code } placementType { code } } }',
    path: ['careStatus'],
    cats: ['CARE'],
  },
  placement: {
    selection:
      'placement { type { code } provider { code } startDate outOfArea localAuthority { code } }',
    path: ['placement'],
    cats: ['PLACEMENT'],
  },
  carer: {
    selection: 'placement { carer { name workPhone workEmail } }',
    path: ['placement', 'carer'],
    cats: ['PLACEMENT'],
  },
  address: {
    selection: 'placement { address { line1 town postcode } }',
    path: ['placement', 'address'],
    cats: ['ADDRESS'],
  },
  socialWorker: {
    selection: 'socialWorker { staffId name team workEmail }',
    path: ['socialWorker'],
    cats: ['PR'],
  },
  parentalResponsibility: {
    selection: 'parentalResponsibility { localAuthorityShares summary delegatedAuthority }',
    path: ['parentalResponsibility'],
    cats: ['PR'],
  },
  pep: {
    selection:
      'pep { status nextReviewDue current { meetingDate childViews supportStrategies targets { description } } }',
    path: ['pep'],
    cats: ['PEP'],
  },
  sharedSupportStrategies: {
    selection: 'sharedSupportStrategies',
    path: ['sharedSupportStrategies'],
    cats: ['PEP', 'CLASSROOM'],
  },
  education: {
    selection:
      'education { yearGroup currentSchool { urn name } dataSource { source latestReturnOn missing } attendance { ratePercent possibleSessions } sen { status } exclusions { kind startDate } attainment { ks2 { year } ks2Results { academicYear } ks4Results { academicYear } } }',
    path: ['education'],
    cats: ['EDU'],
  },
  yearGroup: { selection: 'yearGroup', path: ['yearGroup'], cats: ['EDU', 'CLASSROOM'] },
  designatedTeacher: {
    selection: 'designatedTeacher { name workEmail }',
    path: ['designatedTeacher'],
    cats: ['EDU', 'CLASSROOM'],
  },
  pupilPremiumPlus: {
    selection:
      'pupilPremiumPlus { financialYear allocated { pence } spent { pence } balance { pence } spend { item amount { pence } school { urn } } }',
    path: ['pupilPremiumPlus'],
    cats: ['FUNDING'],
  },
  needToKnow: {
    selection: 'needToKnow { grants { urn staffMember { staffId } } }',
    path: ['needToKnow'],
    cats: ['NTK'],
  },
} satisfies Record<string, FieldSpec>;

export type ChildField = keyof typeof CHILD_FIELDS;
export const CHILD_FIELD_KEYS = Object.keys(CHILD_FIELDS) as ChildField[];

/** A looked-after pupil on a school's roll (`School.lookedAfterPupils`). */
export const PUPIL_FIELDS = {
  name: { selection: 'name { displayName }', path: ['name'], cats: ['ID_BASIC'] },
  yearGroup: { selection: 'yearGroup', path: ['yearGroup'], cats: ['EDU', 'CLASSROOM'] },
  lookedAfterBy: { selection: 'lookedAfterBy { code }', path: ['lookedAfterBy'], cats: ['CARE'] },
  education: {
    selection: 'education { yearGroup attendance { ratePercent } sen { status } }',
    path: ['education'],
    cats: ['EDU'],
  },
} satisfies Record<string, FieldSpec>;

/**
 * Another authority's pupil on a teacher's need-to-know list (`Query.needToKnowPupils`, issue
 * 15): access.md gives a teacher ID, the year group and the DT's contact.
 */
export const NTK_PUPIL_FIELDS = {
  upn: { selection: 'upn', path: ['upn'], cats: ['ID'] },
  name: { selection: 'name { displayName }', path: ['name'], cats: ['ID_BASIC', 'ID'] },
  yearGroup: { selection: 'yearGroup', path: ['yearGroup'], cats: ['EDU', 'CLASSROOM'] },
  designatedTeacher: {
    selection: 'designatedTeacher { name workEmail }',
    path: ['designatedTeacher'],
    cats: ['CLASSROOM'],
  },
} satisfies Record<string, FieldSpec>;

export type PupilField = keyof typeof PUPIL_FIELDS;
export const PUPIL_FIELD_KEYS = Object.keys(PUPIL_FIELDS) as PupilField[];

export function childSelection(fields: readonly ChildField[]): string {
  const all = new Set<ChildField>(['id', ...fields]);
  return [...all].map((f) => CHILD_FIELDS[f].selection).join(' ');
}

export function valueAt(node: unknown, path: readonly string[]): unknown {
  let value: unknown = node;
  for (const key of path) {
    if (value === null || value === undefined || typeof value !== 'object') return value;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Whether an access-log event's categories cover a use of these categories. */
export function covers(logged: readonly string[], cats: readonly Cat[]): boolean {
  return cats.some((c) => logged.includes(c) || (c === 'ID_BASIC' && logged.includes('ID')));
}
