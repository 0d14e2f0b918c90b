/**
 * The data categories of the access policy (shared/spec/access.md), plus the finer ones the
 * graph records: ID_BASIC (id and name only), CLASSROOM (a teacher's view), AGGREGATE (a
 * disclosure-controlled cohort report) and DT_REGISTER (the designated teacher register).
 */
export const DATA_CATEGORIES = [
  'ID_BASIC',
  'CLASSROOM',
  'AGGREGATE',
  'DT_REGISTER',
  'ID',
  'CARE',
  'PLACEMENT',
  'ADDRESS',
  'PR',
  'EDU',
  'PEP',
  'FUNDING',
  'NTK',
  'AUDIT',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

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
