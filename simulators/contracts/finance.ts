/**
 * The council's finance system, API `/api/finance/v1`: ledger-style lines booked against a
 * client reference that carries the social care id (`CLA/<CHILD>`). Money is in pence.
 * Financial years run April to March and are written "2025-26".
 */

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
}

export type FinInclude = 'allocations' | 'ledger';

export interface FinClient {
  client_ref: string;
  cost_centre: string;
  allocations?: FinAllocation[];
  ledger?: FinLedgerLine[];
}

/** Body of `POST /api/finance/v1/clients/search`. */
export interface FinClientSearch {
  client_refs?: string[];
  fy?: string;
  include?: FinInclude[];
  page?: number;
  per_page?: number;
}

/** Client reference for a social care child id, and back. */
export function clientRefFor(childId: string): string {
  return `CLA/${childId}`;
}

export function childIdFromClientRef(ref: string): string | null {
  const match = /^CLA\/(\d+)$/.exec(ref);
  return match?.[1] ?? null;
}
