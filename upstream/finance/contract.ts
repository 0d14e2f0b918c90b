/**
 * The council's finance system, API `/api/finance/v1`: ledger-style lines booked against a
 * client reference that carries the social care id (`CLA/<CHILD>`). Money is in pence.
 * Financial years run April to March and are written "2025-26". The payloads, the routes
 * CLA Graph calls (`schema/openapi/finance.yaml`, checked by `contract.test.ts`) and the join
 * rule between a social care child and a finance client.
 */
import type { Paged, UpstreamRoute } from '../common/contract';
import { exportFields, type ExportField } from '../common/export-fields';

export interface FinAllocation {
  client_ref: string;
  fy: string;
  /** PP+ per-child rate for the year, in pence. */
  rate_pence: number;
  /** Allocated to this child this year, in pence (pro rata for part-year). */
  amount_pence: number;
  status: 'PROVISIONAL' | 'CONFIRMED';
  cost_centre: string;
}

export interface FinLedgerLine {
  line_id: string;
  client_ref: string | null;
  fy: string;
  posted_on: string;
  /** SPEND against a child, TOPSLICE kept centrally by the VSH, ADJUST correction. */
  type: 'SPEND' | 'TOPSLICE' | 'ADJUST';
  /** School the money went to, if any. */
  urn: string | null;
  item: string;
  amount_pence: number;
  /** The PEP target it serves (social care TARGET_ID), if any. */
  pep_target_id: string | null;
  cost_centre: string;
  /**
   * The name of the school `urn` names, as the finance system's supplier record for it holds
   * it; null when the line names no school or one the system has no record of. Only with
   * `include=school_names`.
   */
  school_name?: string | null;
}

/**
 * Money promised to a child's PEP target and not yet (all) paid: a PP+ approval. OPEN until
 * paid in full (PAID). What it still holds back of the allocation is amount - paid.
 */
export interface FinCommitment {
  commitment_id: string;
  /** The caller's reference (CLA Graph's PP+ request id): one commitment per reference. */
  commitment_ref: string;
  client_ref: string;
  fy: string;
  amount_pence: number;
  paid_pence: number;
  pep_target_id: string | null;
  urn: string | null;
  status: 'OPEN' | 'PAID' | 'CANCELLED';
  created_on: string;
}

/**
 * The parts of a client record a search or an export can include (the OpenAPI file's
 * `FinInclude` enum). `school_names`: each ledger line carries `school_name` as well (with
 * `ledger`), so a caller showing spend by school needs no look-up of the schools elsewhere.
 */
export const FIN_INCLUDES = ['allocations', 'ledger', 'commitments', 'school_names'] as const;
export type FinInclude = (typeof FIN_INCLUDES)[number];

/**
 * What a search can include (the OpenAPI file's `FinSearchInclude` enum): a record's parts, and
 * `fund_years`, side-loaded once for the whole page (`included.fund_years`, one per financial
 * year of the page's clients' allocations): what `GET /top-slices` answers for that year, so a
 * caller working out unspent PP+ needs no second request. A search only: an export streams
 * records one a line and has no place for them.
 */
export const FIN_SEARCH_INCLUDES = [...FIN_INCLUDES, 'fund_years'] as const;
export type FinSearchInclude = (typeof FIN_SEARCH_INCLUDES)[number];

export interface FinClient {
  client_ref: string;
  cost_centre: string;
  allocations?: FinAllocation[];
  ledger?: FinLedgerLine[];
  commitments?: FinCommitment[];
}

/**
 * Body of `POST /api/finance/v1/commitments`. commitment_ref makes it idempotent: the same
 * again answers the commitment it made (200, created false).
 */
export interface FinCommitmentPost {
  commitment_ref: string;
  client_ref: string;
  fy: string;
  amount_pence: number;
  pep_target_id: string | null;
  urn: string | null;
}

/** What `POST /commitments` answers (201 when made, 200 when the reference had made it). */
export interface FinCommitmentResult {
  data: FinCommitment;
  meta: { created: boolean };
}

/**
 * Body of `POST /api/finance/v1/commitments/{id}/payments`: a payment against an open
 * commitment, booked as a SPEND line. payment_ref makes it idempotent.
 */
export interface FinPaymentPost {
  payment_ref: string;
  paid_on: string;
  amount_pence: number;
  item: string;
}

/** What a payment answers: the commitment now and the SPEND line it booked. */
export interface FinPaymentResult {
  data: { commitment: FinCommitment; line: FinLedgerLine };
  meta: { created: boolean };
}

/**
 * Why the finance system refused a commitment or payment (422, `error.code`):
 * OVER_ALLOCATION (more than allocated - spent - open commitments; `remaining_pence` says
 * what remains), OVER_PAYMENT (more than is unpaid of the commitment; `remaining_pence`),
 * NOT_OPEN (the commitment is paid or cancelled), REF_REUSED (the reference was used for a
 * different commitment or payment).
 */
export const FIN_REFUSALS = {
  OVER_ALLOCATION: 'OVER_ALLOCATION',
  OVER_PAYMENT: 'OVER_PAYMENT',
  NOT_OPEN: 'NOT_OPEN',
  REF_REUSED: 'REF_REUSED',
} as const;
export type FinRefusalCode = (typeof FIN_REFUSALS)[keyof typeof FIN_REFUSALS];

/** A name `fields` of `POST /api/finance/v1/exports/clients` may hold (export-fields.ts). */
export type FinClientExportField = ExportField<FinClient>;

/** Every FinClientExportField (the OpenAPI file's `FinClientExportField` enum). */
export const FIN_CLIENT_EXPORT_FIELDS = exportFields<FinClient>()([
  'client_ref',
  'cost_centre',
  'allocations',
  'allocations.client_ref',
  'allocations.fy',
  'allocations.rate_pence',
  'allocations.amount_pence',
  'allocations.status',
  'allocations.cost_centre',
  'ledger',
  'ledger.line_id',
  'ledger.client_ref',
  'ledger.fy',
  'ledger.posted_on',
  'ledger.type',
  'ledger.urn',
  'ledger.item',
  'ledger.amount_pence',
  'ledger.pep_target_id',
  'ledger.cost_centre',
  'ledger.school_name',
  'commitments',
  'commitments.commitment_id',
  'commitments.commitment_ref',
  'commitments.client_ref',
  'commitments.fy',
  'commitments.amount_pence',
  'commitments.paid_pence',
  'commitments.pep_target_id',
  'commitments.urn',
  'commitments.status',
  'commitments.created_on',
]);

/** Body of `POST /api/finance/v1/exports/clients`: the clients of a list, one financial year. */
export interface FinClientExport {
  /** At most MAX_PER_EXPORT. */
  client_refs: string[];
  fy?: string;
  include?: FinInclude[];
  /**
   * Only these fields of each record (and client_ref, always): a part's fields only with the
   * part in `include`. Absent: every field.
   */
  fields?: FinClientExportField[];
}

/** Body of `POST /api/finance/v1/clients/search`. */
export interface FinClientSearch {
  client_refs?: string[];
  fy?: string;
  include?: FinSearchInclude[];
  page?: number;
  per_page?: number;
}

/**
 * What the year's top-slices are shared over: every child's PP+ allocation of the year, and the
 * top-slices themselves. `GET /api/finance/v1/top-slices?fy=2025-26`.
 */
export interface FinTopSliceMeta {
  fy: string;
  /** Every PP+ allocation of the year (all children, all statuses), in pence. */
  allocated_pence: number;
  /** The year's top-slice lines added up (corrections included), in pence. */
  top_sliced_pence: number;
}

/** The year's top-slice lines (type TOPSLICE, no client), by posting date then line id. */
export interface FinTopSlices {
  data: FinLedgerLine[];
  meta: FinTopSliceMeta;
}

/**
 * What a search side-loads once for its page (a compound document's `included`): with
 * `include=fund_years`, one `FinTopSlices` per financial year of the page's clients'
 * allocations (of `fy` only, when the search names one), each exactly `GET /top-slices`'s answer.
 */
export interface FinSearchIncluded {
  fund_years?: FinTopSlices[];
}

/** One page of `POST /clients/search`: the clients, and what was side-loaded for them. */
export interface FinClientPage extends Paged<FinClient> {
  included?: FinSearchIncluded;
}

/**
 * A search read to its end: the clients, and the fund years side-loaded with them (every
 * page's, one per year; empty unless `fund_years` was asked for).
 */
export interface FinClientSearchResult {
  clients: FinClient[];
  fundYears: FinTopSlices[];
}

/** The routes CLA Graph calls. */
export const FINANCE_ROUTES = {
  clientsSearch: {
    method: 'POST',
    path: '/api/finance/v1/clients/search',
    response: 'PagedFinClient',
  },
  /** NDJSON, one FinClient a line (a bulk export: `streamLines`). */
  clientsExport: { method: 'POST', path: '/api/finance/v1/exports/clients' },
  topSlices: {
    method: 'GET',
    path: '/api/finance/v1/top-slices',
    query: ['fy'],
    response: 'FinTopSlices',
  },
  createCommitment: {
    method: 'POST',
    path: '/api/finance/v1/commitments',
    response: 'FinCommitmentResult',
  },
  commitments: {
    method: 'GET',
    path: '/api/finance/v1/commitments',
    query: ['client_ref', 'fy'],
    response: 'FinCommitmentList',
  },
  recordPayment: {
    method: 'POST',
    path: '/api/finance/v1/commitments/{id}/payments',
    response: 'FinPaymentResult',
  },
  health: { method: 'GET', path: '/health', response: 'Health' },
} as const satisfies Record<string, UpstreamRoute>;

/**
 * The join rule: the finance system books a looked-after child's money against the client
 * reference `CLA/<social care id>`. A client reference for a social care child id, and back.
 */
export function clientRefFor(childId: string): string {
  return `CLA/${childId}`;
}

export function childIdFromClientRef(ref: string): string | null {
  const match = /^CLA\/(\d+)$/.exec(ref);
  return match?.[1] ?? null;
}
