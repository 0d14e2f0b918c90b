/**
 * The report a caller asked for, checked and normalised: the same question always gives the
 * same request (and so the same cache key and the same audit entry), however it was written.
 * Only fixed bands get this far: the schema's enums, a URN, a boolean; there is no free text.
 */
import { URN } from '../../domain/identifiers';
import { badUserInput } from '../../lib/errors';
import { DIMENSIONS, type Attribute, type Dimension } from './bands';
import type { CohortBasis } from './period';

export interface CohortFilterInput {
  academicYear?: string | null;
  dateRange?: { from: string; to: string } | null;
  basis?: CohortBasis | null;
  ageBand?: string | null;
  yearGroup?: string | null;
  keyStage?: string | null;
  placementType?: string | null;
  legalStatus?: string | null;
  location?: string | null;
  schoolUrn?: string | null;
  gender?: string | null;
  uasc?: boolean | null;
  senStatus?: string | null;
  placedBy?: PlacedBy | null;
}

/**
 * Whose looked-after pupils a report counts: this authority's children (the default, the
 * universe every report had before), other authorities' looked-after pupils on roll at this
 * authority's schools, or both.
 */
export type PlacedBy = 'THIS_AUTHORITY' | 'OTHER_AUTHORITIES' | 'ANY';

/** Filter fields that are conditions on an attribute, in a fixed order. */
const CONDITION_FIELDS = [
  ['ageBand', 'AGE_BAND'],
  ['yearGroup', 'YEAR_GROUP'],
  ['keyStage', 'KEY_STAGE'],
  ['placementType', 'PLACEMENT_TYPE'],
  ['legalStatus', 'LEGAL_STATUS'],
  ['location', 'LOCATION'],
  ['schoolUrn', 'SCHOOL'],
  ['gender', 'GENDER'],
  ['uasc', 'UASC'],
  ['senStatus', 'SEN_STATUS'],
] as const satisfies ReadonlyArray<readonly [keyof CohortFilterInput, Attribute]>;

export interface ReportRequest {
  academicYear: string | null;
  dateRange: { from: string; to: string } | null;
  basis: CohortBasis;
  /** Conditions by filter field name, in CONDITION_FIELDS order (values as the schema writes them). */
  conditions: Array<{ field: string; attribute: Attribute; value: string }>;
  breakdown: Dimension[];
  placedBy: PlacedBy;
}

export function toReportRequest(
  filter: CohortFilterInput,
  breakdown: readonly string[] | null | undefined,
): ReportRequest {
  const dimensions = [...(breakdown ?? [])];
  if (dimensions.length > 2) throw badUserInput('`breakdown` takes at most two dimensions.');
  if (new Set(dimensions).size !== dimensions.length) {
    throw badUserInput('`breakdown` must not name a dimension twice.');
  }
  if (!dimensions.every((d): d is Dimension => (DIMENSIONS as readonly string[]).includes(d))) {
    throw badUserInput('`breakdown` names an unknown dimension.');
  }
  if (filter.schoolUrn !== undefined && filter.schoolUrn !== null && !URN.test(filter.schoolUrn)) {
    throw badUserInput('`schoolUrn` must be a 6-digit URN.');
  }
  const conditions: ReportRequest['conditions'] = [];
  for (const [field, attribute] of CONDITION_FIELDS) {
    const value = filter[field];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'boolean' ? (value ? 'YES' : 'NO') : String(value);
    conditions.push({ field, attribute, value: text });
  }
  return {
    academicYear: filter.academicYear ?? null,
    dateRange: filter.dateRange ? { from: filter.dateRange.from, to: filter.dateRange.to } : null,
    basis: filter.basis ?? 'LOOKED_AFTER_AT_DATE',
    conditions,
    breakdown: dimensions,
    // A breakdown by placing authority is about both groups unless the filter says otherwise.
    placedBy:
      filter.placedBy ?? (dimensions.includes('PLACING_AUTHORITY') ? 'ANY' : 'THIS_AUTHORITY'),
  };
}

/**
 * The report counts other authorities' pupils too: it asks for them, or breaks down by
 * placing authority. Only then is the universe extended with them (report.ts).
 */
export function includesOtherAuthorities(request: ReportRequest): boolean {
  return request.placedBy !== 'THIS_AUTHORITY' || request.breakdown.includes('PLACING_AUTHORITY');
}

/** The condition on `attribute`, if the request has one. */
export function conditionOn(request: ReportRequest, attribute: Attribute): string | null {
  return request.conditions.find((condition) => condition.attribute === attribute)?.value ?? null;
}

/** What the access log records about the report (the question, never an answer). */
export function auditFilter(request: ReportRequest): Record<string, unknown> {
  const filter: Record<string, unknown> = { basis: request.basis };
  if (request.academicYear !== null) filter.academicYear = request.academicYear;
  if (request.dateRange !== null) filter.dateRange = request.dateRange;
  for (const { field, value } of request.conditions) {
    filter[field] = field === 'uasc' ? value === 'YES' : value;
  }
  // The default is left out, so the entries of this authority's reports read as before.
  if (request.placedBy !== 'THIS_AUTHORITY') filter.placedBy = request.placedBy;
  return { ...filter, breakdown: request.breakdown };
}
