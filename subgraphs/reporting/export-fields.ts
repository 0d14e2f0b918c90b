/**
 * What a report reads of each system's records, asked of the bulk exports as `fields` (the
 * systems send nothing else: a child's record with every PEP's targets, attendees and sign-off
 * is about 5.2 KB, what the measures read of it 0.6 KB). The one place the list lives;
 * `export-fields.test.ts` checks it against what facts.ts and the bulk read (bulk-source.ts)
 * actually read, both ways: a field read and not asked for fails, and so does one asked for
 * and never read.
 */
import type { EdInclude, EdStudentExportField } from '../../upstream/education/contract';
import type { FinClientExportField, FinInclude } from '../../upstream/finance/contract';
import type { ScChildExportField, ScInclude } from '../../upstream/social-care/contract';

/** The parts of each system's records a report includes (`include`). */
export const CHILD_PARTS = [
  'episodes',
  'placements',
  'peps',
] as const satisfies readonly ScInclude[];
export const PUPIL_PARTS = [
  'enrolments',
  'attendance',
  'exclusions',
  'sen',
  'attainment',
] as const satisfies readonly EdInclude[];
export const FUNDING_PARTS = [
  'allocations',
  'ledger',
  'commitments',
] as const satisfies readonly FinInclude[];

/** Who a report is about (the first social care read): enough to ask the others for them. */
export const WHO_FIELDS = ['UPN'] as const satisfies readonly ScChildExportField[];

/** The children's records with the histories the measures read (episodes, placements, PEPs). */
export const CHILD_FIELDS = [
  'UPN',
  'SEX',
  'DOB',
  'UASC',
  'UASC_CEASED',
  'episodes.DECOM',
  'episodes.RNE',
  'episodes.LS',
  'episodes.PLACE',
  'episodes.DEC',
  'episodes.REC',
  'episodes.PL_LA',
  'placements.CHILD',
  'placements.DECOM',
  'placements.EMERGENCY',
  'peps.MEETING_DATE',
  'peps.STATUS',
] as const satisfies readonly ScChildExportField[];

/** The pupils' records: roll, attendance, exclusions, SEN and results. */
export const PUPIL_FIELDS = [
  'enrolments.urn',
  'enrolments.year_group',
  'enrolments.entry_date',
  'enrolments.leaving_date',
  'enrolments.enrolment_status',
  'attendance.academic_year',
  'attendance.from',
  'attendance.to',
  'attendance.codes',
  'exclusions.category',
  'exclusions.start_date',
  'sen.status',
  'attainment.ks2',
  'attainment.ks4',
] as const satisfies readonly EdStudentExportField[];

/** The clients' PP+ of the year: allocations, spend and open commitments. */
export const FUNDING_FIELDS = [
  'allocations.client_ref',
  'allocations.fy',
  'allocations.rate_pence',
  'allocations.amount_pence',
  'allocations.status',
  'ledger.line_id',
  'ledger.client_ref',
  'ledger.fy',
  'ledger.posted_on',
  'ledger.type',
  'ledger.urn',
  'ledger.item',
  'ledger.amount_pence',
  'ledger.pep_target_id',
  'commitments.client_ref',
  'commitments.fy',
  'commitments.amount_pence',
  'commitments.paid_pence',
  'commitments.status',
] as const satisfies readonly FinClientExportField[];
