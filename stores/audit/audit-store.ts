/**
 * The access audit log: who read which child's record, when and how. Written before data
 * leaves the graph (a failed write fails the read), so `append` is one statement for a whole
 * request's events. The database refuses UPDATE, DELETE and TRUNCATE on the table.
 */
import { LA_CODE } from '../../domain/identifiers';
import { z } from 'zod';
import type { Database, SqlValue } from '../database';
import { parseInput } from '../errors';
import { isoMicrosSql, isoSql } from '../sql';
import { childId, isoTimestamp, principalId, upn } from '../validation';
import { decodeCursor, encodeCursor } from './cursor';
import {
  DATA_CATEGORIES,
  type AuditEvent,
  type AuditEventInput,
  type AuditPage,
  type AuditQuery,
  type JsonObject,
  type JsonValue,
  type OperationType,
} from './types';

export type {
  AuditEvent,
  AuditEventInput,
  AuditPage,
  AuditQuery,
  DataCategory,
  JsonObject,
  JsonValue,
  OperationType,
} from './types';
export { DATA_CATEGORIES } from './types';

const MAX_BATCH = 10_000;
const MAX_PAGE = 500;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().finite(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(jsonValue),
  ]),
);

const eventInput = z.object({
  requestId: z.string().min(1).max(200),
  occurredAt: isoTimestamp.optional(),
  actorSub: principalId,
  actorRoles: z.array(z.string().min(1).max(100)).max(50),
  actorLa: z.string().regex(LA_CODE),
  clientId: principalId.nullish(),
  childId: childId.nullish(),
  subjectUpn: upn.nullish(),
  categories: z.array(z.enum(DATA_CATEGORIES)).max(DATA_CATEGORIES.length),
  operationName: z.string().min(1).max(200).nullish(),
  operationType: z.enum(['query', 'mutation', 'subscription']),
  purpose: z.string().min(1).max(500).nullish(),
  cohortFilter: z.record(jsonValue).nullish(),
  outcome: z.string().regex(/^[A-Za-z_]{1,50}$/),
});
const eventInputs = z.array(eventInput).max(MAX_BATCH);

const auditQuery = z.object({
  childId: childId.optional(),
  subjectUpn: upn.optional(),
  excludePupilsByUpn: z.boolean().optional(),
  actorSub: principalId.optional(),
  from: isoTimestamp.optional(),
  to: isoTimestamp.optional(),
  first: z.number().int().min(1).max(MAX_PAGE),
  after: z.string().max(200).nullish(),
});

// The whole batch travels as one JSON parameter and becomes rows in the database. Neither
// alternative fits: unnest() flattens the per-row text[] columns (roles, categories) into
// one list, and a generated VALUES list of 13 parameters a row meets PostgreSQL's 65,535
// parameter limit at about 5,000 events.
const INSERT_EVENTS = `
  INSERT INTO access_audit_event (
    request_id, occurred_at, actor_sub, actor_roles, actor_la, client_id, child_id,
    subject_upn, categories, operation_name, operation_type, purpose, cohort_filter, outcome)
  SELECT request_id, COALESCE(occurred_at, now()), actor_sub, actor_roles, actor_la,
         client_id, child_id, subject_upn, categories, operation_name, operation_type, purpose,
         cohort_filter, outcome
    FROM jsonb_to_recordset($1::jsonb) AS e(
      request_id text, occurred_at timestamptz, actor_sub text, actor_roles text[],
      actor_la text, client_id text, child_id text, subject_upn text, categories text[],
      operation_name text,
      operation_type text, purpose text, cohort_filter jsonb, outcome text)`;

const EVENT_COLUMNS = `id::text AS id, request_id, ${isoSql('occurred_at')} AS occurred_at,
  ${isoMicrosSql('occurred_at')} AS cursor_at, actor_sub, actor_roles, actor_la, client_id,
  child_id, subject_upn, categories, operation_name, operation_type, purpose, cohort_filter,
  outcome`;

interface EventRow {
  id: string;
  request_id: string;
  occurred_at: string;
  cursor_at: string;
  actor_sub: string;
  actor_roles: string[];
  actor_la: string;
  client_id: string | null;
  child_id: string | null;
  subject_upn: string | null;
  categories: string[];
  operation_name: string | null;
  operation_type: OperationType;
  purpose: string | null;
  cohort_filter: JsonObject | null;
  outcome: string;
}

export class AuditStore {
  constructor(private readonly db: Database) {}

  /** Records the events in one INSERT (all or none). An empty list sends no query. */
  async append(events: readonly AuditEventInput[]): Promise<void> {
    const valid = parseInput(eventInputs, events, 'audit events');
    if (valid.length === 0) return;
    // snake_case keys for jsonb_to_recordset; a missing key becomes SQL NULL.
    const rows = valid.map((e) => ({
      request_id: e.requestId,
      occurred_at: e.occurredAt,
      actor_sub: e.actorSub,
      actor_roles: e.actorRoles,
      actor_la: e.actorLa,
      client_id: e.clientId ?? undefined,
      child_id: e.childId ?? undefined,
      subject_upn: e.subjectUpn ?? undefined,
      categories: e.categories,
      operation_name: e.operationName ?? undefined,
      operation_type: e.operationType,
      purpose: e.purpose ?? undefined,
      cohort_filter: e.cohortFilter ?? undefined,
      outcome: e.outcome,
    }));
    await this.db.query(INSERT_EVENTS, [JSON.stringify(rows)]);
  }

  /** A page of matching events, newest first, with keyset paging on (occurred_at, id). */
  async query(filter: AuditQuery): Promise<AuditPage> {
    const valid = parseInput(auditQuery, filter, 'audit query');
    const cursor = valid.after ? decodeCursor(valid.after) : null;

    const conditions: string[] = [];
    const params: SqlValue[] = [];
    const where = (condition: (param: string) => string, value: SqlValue): void => {
      params.push(value);
      conditions.push(condition(`$${params.length}`));
    };
    if (valid.childId) where((p) => `child_id = ${p}`, valid.childId);
    if (valid.subjectUpn) where((p) => `subject_upn = ${p}`, valid.subjectUpn);
    if (valid.excludePupilsByUpn) conditions.push('subject_upn IS NULL');
    if (valid.actorSub) where((p) => `actor_sub = ${p}`, valid.actorSub);
    if (valid.from) where((p) => `occurred_at >= ${p}::timestamptz`, valid.from);
    if (valid.to) where((p) => `occurred_at < ${p}::timestamptz`, valid.to);
    const filterSql = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const countParams = [...params];

    if (cursor) {
      params.push(cursor.occurredAt, cursor.id);
      const [at, id] = [`$${params.length - 1}`, `$${params.length}`];
      conditions.push(`(occurred_at, id) < (${at}::timestamptz, ${id}::bigint)`);
    }
    params.push(valid.first + 1);
    const pageSql = `SELECT ${EVENT_COLUMNS} FROM access_audit_event
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY occurred_at DESC, id DESC
      LIMIT $${params.length}`;

    const [page, count] = await Promise.all([
      this.db.query<EventRow>(pageSql, params),
      this.db.query<{ total: string }>(
        `SELECT count(*)::text AS total FROM access_audit_event ${filterSql}`,
        countParams,
      ),
    ]);
    const rows = page.rows.slice(0, valid.first);
    const last = rows[rows.length - 1];
    return {
      events: rows.map(toEvent),
      hasNextPage: page.rows.length > valid.first,
      endCursor: last ? encodeCursor({ occurredAt: last.cursor_at, id: last.id }) : null,
      totalCount: Number(count.rows[0]?.total ?? 0),
    };
  }
}

function toEvent(row: EventRow): AuditEvent {
  return {
    id: row.id,
    requestId: row.request_id,
    occurredAt: row.occurred_at,
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    actorLa: row.actor_la,
    clientId: row.client_id,
    childId: row.child_id,
    subjectUpn: row.subject_upn,
    categories: row.categories,
    operationName: row.operation_name,
    operationType: row.operation_type,
    purpose: row.purpose,
    cohortFilter: row.cohort_filter,
    outcome: row.outcome,
  };
}
