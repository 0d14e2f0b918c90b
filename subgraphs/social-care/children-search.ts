/**
 * `Query.children` arguments turned into the case system's search: the filter checked and
 * mapped to `ScChildSearch`, and the Relay window [offset, offset + first) mapped to the
 * upstream pages that cover it.
 */
import type { ArgumentCategories } from '../../lib/authz/arguments';
import {
  LEGAL_STATUS,
  PLACEMENT_TYPE,
  isKnownCode,
  type CodeList,
} from '../../domain/codes/ssda903';
import { badUserInput } from '../../lib/errors';
import { addDays } from '../../domain/school-calendar';
import type { ScChildSearch } from '../../upstream/social-care/contract';
import { ALL_PARTS } from '../../upstream/social-care/client';
import type { WorklistInput } from './worklist';

/** The schema's `ChildFilter` as it arrives (omitted and null mean the same). */
export interface ChildFilterInput {
  legalStatus?: readonly string[] | null;
  placementType?: readonly string[] | null;
  placedOutOfArea?: boolean | null;
  uasc?: boolean | null;
  minAge?: number | null;
  maxAge?: number | null;
  includeCeased?: boolean | null;
  /** Worklist criteria (`worklist.ts`), decided by the subgraph after the search. */
  worklist?: WorklistInput | null;
}

/**
 * What each filter field reads (access.md, "Arguments are reads"): selecting children by a
 * value tells the caller that value. Legal status, UASC and whether ceased children are
 * included: CARE; placement type and in/out of area: PLACEMENT; age: ID.
 */
export const CHILD_FILTER_CATEGORIES: ArgumentCategories = {
  legalStatus: { category: 'CARE' },
  uasc: { category: 'CARE' },
  // Only asking for ceased children selects by care status; the default (current) does not.
  includeCeased: { category: 'CARE', used: (value) => value === true },
  placementType: { category: 'PLACEMENT' },
  placedOutOfArea: { category: 'PLACEMENT' },
  minAge: { category: 'ID' },
  maxAge: { category: 'ID' },
};

export const MIN_AGE_BOUND = 0;
export const MAX_AGE_BOUND = 25;

/** The same day `years` earlier, or the month's last day when it has none (29 February). */
export function minusYears(isoDate: string, years: number): string {
  const year = Number(isoDate.slice(0, 4)) - years;
  const month = Number(isoDate.slice(5, 7));
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(Number(isoDate.slice(8, 10)), lastDay);
  return `${String(year).padStart(4, '0')}-${isoDate.slice(5, 7)}-${String(day).padStart(2, '0')}`;
}

/**
 * Dates of birth for ages in [minAge, maxAge] on `asOf`, inclusive both ends:
 * age >= min  <=>  DOB <= asOf - min years;  age <= max  <=>  DOB > asOf - (max + 1) years.
 * `minusYears` clamps 29 February the way `ageOn` counts it (birthday on 1 March).
 */
export function dobRange(
  asOf: string,
  minAge: number | null | undefined,
  maxAge: number | null | undefined,
): { dob_from?: string; dob_to?: string } {
  for (const [name, value] of [
    ['minAge', minAge],
    ['maxAge', maxAge],
  ] as const) {
    if (value === null || value === undefined) continue;
    if (!Number.isInteger(value) || value < MIN_AGE_BOUND || value > MAX_AGE_BOUND) {
      throw badUserInput(
        `\`${name}\` must be a whole number from ${MIN_AGE_BOUND} to ${MAX_AGE_BOUND}.`,
      );
    }
  }
  if (typeof minAge === 'number' && typeof maxAge === 'number' && minAge > maxAge) {
    throw badUserInput('`minAge` must not be greater than `maxAge`.');
  }
  const range: { dob_from?: string; dob_to?: string } = {};
  if (typeof minAge === 'number') range.dob_to = minusYears(asOf, minAge);
  if (typeof maxAge === 'number') range.dob_from = addDays(minusYears(asOf, maxAge + 1), 1);
  return range;
}

/** Codes upper-cased and checked against their 903 list; an unknown code is bad input. */
function checkedCodes(
  field: string,
  list: CodeList,
  codes: readonly string[] | null | undefined,
): string[] | undefined {
  if (codes === null || codes === undefined) return undefined;
  const normalised = [...new Set(codes.map((code) => code.trim().toUpperCase()))];
  const unknown = normalised.filter((code) => !isKnownCode(list, code));
  if (unknown.length > 0) {
    throw badUserInput(
      `\`${field}\` holds codes that are not on the SSDA903 list: ${unknown.join(', ')}.`,
    );
  }
  return normalised;
}

/**
 * The search for one filter, without paging. An empty code list matches no child (as the
 * case system reads it). Restricted records stay out of lists until access rules decide who
 * may see them.
 */
export function toChildSearch(
  filter: ChildFilterInput | null | undefined,
  asOf: string,
): ScChildSearch {
  const f = filter ?? {};
  const search: ScChildSearch = {
    include: [...ALL_PARTS],
    include_restricted: false,
    current_only: f.includeCeased !== true,
    ...dobRange(asOf, f.minAge, f.maxAge),
  };
  const legalStatus = checkedCodes('legalStatus', LEGAL_STATUS, f.legalStatus);
  if (legalStatus) search.legal_status = legalStatus;
  const placementType = checkedCodes('placementType', PLACEMENT_TYPE, f.placementType);
  if (placementType) search.placement_type = placementType;
  if (typeof f.placedOutOfArea === 'boolean') search.out_of_area = f.placedOutOfArea;
  if (typeof f.uasc === 'boolean') search.uasc = f.uasc;
  return search;
}

/**
 * The upstream pages (per_page = first) that cover [offset, offset + first): one page when the
 * offset is a multiple of `first` (always so when a client pages on with the same `first`),
 * otherwise the page holding `offset` and, if needed, the next. `skip` is where the window
 * starts inside the first page.
 */
export function pagesFor(
  offset: number,
  first: number,
): { perPage: number; page: number; skip: number } {
  return { perPage: first, page: Math.floor(offset / first) + 1, skip: offset % first };
}
