import { RECORDED_CATEGORIES, type RecordedCategory } from '../../domain/categories';

/** The categories an event may name: the one list in domain/, with the audit-only ones. */
export const DATA_CATEGORIES = RECORDED_CATEGORIES;
export type DataCategory = RecordedCategory;

export type OperationType = 'query' | 'mutation' | 'subscription';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One read to record. */
export interface AuditEventInput {
  requestId: string;
  /** When the read happened; the database's clock (now()) when left out. */
  occurredAt?: string;
  actorSub: string;
  actorRoles: string[];
  actorLa: string;
  clientId?: string | null;
  /** The child read; null for an aggregate (cohort) query. */
  childId?: string | null;
  /** A pupil another authority looks after, read by UPN (they have no social care id here). */
  subjectUpn?: string | null;
  categories: DataCategory[];
  operationName?: string | null;
  operationType: OperationType;
  purpose?: string | null;
  /** The cohort filter of an aggregate query (no personal data in it). */
  cohortFilter?: JsonObject | null;
  /** e.g. ALLOWED, DENIED. */
  outcome: string;
}

export interface AuditEvent {
  id: string;
  requestId: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  actorSub: string;
  actorRoles: string[];
  actorLa: string;
  clientId: string | null;
  childId: string | null;
  subjectUpn: string | null;
  categories: string[];
  operationName: string | null;
  operationType: OperationType;
  purpose: string | null;
  cohortFilter: JsonObject | null;
  outcome: string;
}

export interface AuditQuery {
  childId?: string;
  /** Events about a pupil another authority looks after. */
  subjectUpn?: string;
  /**
   * Leave out every event about another authority's pupil (recorded by UPN): only auditors
   * see those. Applied before counting and paging, so `totalCount` is after it too.
   */
  excludePupilsByUpn?: boolean;
  actorSub?: string;
  /** Inclusive, ISO 8601. */
  from?: string;
  /** Exclusive, ISO 8601. */
  to?: string;
  /** Page size, 1..500. */
  first: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEvent[];
  hasNextPage: boolean;
  endCursor: string | null;
  /** Events matching the filter, on every page (the cursor does not narrow it). */
  totalCount: number;
}
