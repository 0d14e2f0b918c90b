/**
 * The alert outbox (issue 13): domain events stored once by their stable key in one global
 * order (seq), each feed's cursor moved in the same transaction as the events it gave, and
 * who acknowledged what. The database refuses UPDATE, DELETE and TRUNCATE of events and
 * acknowledgements.
 *
 * Writers are serialised (a transaction advisory lock, see OUTBOX_WRITE_LOCK) so that seq
 * values become visible in order: the webhook fan-out reads "every event after seq N" and
 * must never see N+1 committed while N is still in flight, or it would skip N for ever.
 */
import { z } from 'zod';
import { ErrorCode, PublicError } from '../../lib/errors';
import type { Audience, NewEvent, StoredEvent } from '../../events/types';
import type { Database, Queryable, SqlValue } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { isoTimestamp, principalId } from '../validation';
import type { Acknowledgement, AlertQuery, AlertRow, EventStorePort } from './types';
import { alertQuery, bigintId, feedCursor, newEvent, source } from './validation';

export type { Acknowledgement, AlertQuery, AlertRow, EventStorePort } from './types';

/** Most events stored by one statement (a bigger batch is split, in one transaction). */
const CHUNK = 1_000;
const MAX_BATCH = 100_000;

/**
 * Taken exclusively by every event writer, shared by every reader that must see seq without
 * gaps (fan-out, a new subscription's starting point). Keyed by schema, as migrations are.
 */
export const OUTBOX_WRITE_LOCK = `SELECT pg_advisory_xact_lock(1129, hashtext(current_schema()))`;
export const OUTBOX_READ_LOCK = `SELECT pg_advisory_xact_lock_shared(1129, hashtext(current_schema()))`;

interface EventRow {
  seq: string;
  event_key: string;
  type: StoredEvent['type'];
  category: StoredEvent['category'];
  child_id: string | null;
  urn: string | null;
  occurred_at: string;
  detected_at: string;
  facts: string;
  audience: string[];
}

// JSON travels as text both ways: the drivers parse jsonb differently, text they agree on.
const eventColumns = (t: string): string =>
  `${t}.seq::text AS seq, ${t}.event_key, ${t}.type, ${t}.category, ${t}.child_id, ${t}.urn,
   ${isoSql(`${t}.occurred_at`)} AS occurred_at, ${isoSql(`${t}.detected_at`)} AS detected_at,
   ${t}.facts::text AS facts, ${t}.audience`;

const events = z.array(newEvent).max(MAX_BATCH);
const acknowledgeInput = z.object({
  seq: bigintId,
  by: principalId,
  at: isoTimestamp.optional(),
});

export class EventStore implements EventStorePort {
  constructor(private readonly db: Database) {}

  async cursor(feed: string): Promise<string | null> {
    const valid = parseInput(source, feed, 'feed');
    const { rows } = await this.db.query<{ cursor: string | null }>(
      'SELECT cursor FROM alert_feed_cursor WHERE source = $1',
      [valid],
    );
    return rows[0]?.cursor ?? null;
  }

  async recordBatch(
    feed: string,
    cursor: string | null,
    batch: readonly NewEvent[],
  ): Promise<StoredEvent[]> {
    const validSource = parseInput(source, feed, 'feed');
    const validCursor = parseInput(feedCursor, cursor, 'feed cursor');
    const valid = parseInput(events, batch, 'events');
    return this.db.transaction(async (tx) => {
      const stored = await insertEvents(tx, valid);
      await tx.query(
        `INSERT INTO alert_feed_cursor (source, cursor, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
        [validSource, validCursor],
      );
      return stored;
    });
  }

  async record(batch: readonly NewEvent[]): Promise<StoredEvent[]> {
    const valid = parseInput(events, batch, 'events');
    if (valid.length === 0) return [];
    return this.db.transaction((tx) => insertEvents(tx, valid));
  }

  async alerts(query: AlertQuery): Promise<AlertRow[]> {
    const valid = parseInput(alertQuery, query, 'alert query');
    const where = alertFilter(valid);
    if (!where) return [];
    const params = [...where.params, valid.acknowledgedBy];
    const by = `$${params.length}`;
    let sql = `SELECT ${eventColumns('e')}, a.ack_by, ${isoSql('a.ack_at')} AS ack_at
         FROM alert_event e
         LEFT JOIN alert_acknowledgement a ON a.seq = e.seq AND a.ack_by = ${by}
        WHERE ${where.sql}`;
    if (valid.acknowledged !== undefined) {
      sql += valid.acknowledged ? ' AND a.ack_by IS NOT NULL' : ' AND a.ack_by IS NULL';
    }
    if (valid.beforeSeq !== undefined) {
      params.push(valid.beforeSeq);
      sql += ` AND e.seq < $${params.length}::bigint`;
    }
    params.push(valid.limit);
    sql += ` ORDER BY e.seq DESC LIMIT $${params.length}`;
    const { rows } = await this.db.query<
      EventRow & { ack_by: string | null; ack_at: string | null }
    >(sql, params);
    return rows.map((row) => ({
      ...toEvent(row),
      acknowledgement:
        row.ack_by === null || row.ack_at === null ? null : { by: row.ack_by, at: row.ack_at },
    }));
  }

  async countAlerts(query: Omit<AlertQuery, 'beforeSeq' | 'limit'>): Promise<number> {
    const valid = parseInput(alertQuery, { ...query, limit: 1 }, 'alert query');
    const where = alertFilter(valid);
    if (!where) return 0;
    let sql = `SELECT count(*)::int AS count FROM alert_event e WHERE ${where.sql}`;
    const params = [...where.params];
    if (valid.acknowledged !== undefined) {
      params.push(valid.acknowledgedBy);
      sql += ` AND ${valid.acknowledged ? '' : 'NOT '}EXISTS (SELECT 1 FROM alert_acknowledgement a
                WHERE a.seq = e.seq AND a.ack_by = $${params.length})`;
    }
    const { rows } = await this.db.query<{ count: number }>(sql, params);
    return rows[0]?.count ?? 0;
  }

  async event(seq: string): Promise<StoredEvent | null> {
    const valid = parseInput(bigintId, seq, 'event');
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${eventColumns('e')} FROM alert_event e WHERE e.seq = $1::bigint`,
      [valid],
    );
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async acknowledge(seq: string, by: string, at?: Date): Promise<Acknowledgement> {
    const valid = parseInput(
      acknowledgeInput,
      { seq, by, at: at?.toISOString() },
      'acknowledgement',
    );
    // ON CONFLICT DO NOTHING and then a read: the first acknowledgement stands, and two at
    // once both answer with it.
    const inserted = await this.db.query<{ at: string }>(
      `INSERT INTO alert_acknowledgement (seq, ack_by, ack_at)
       SELECT e.seq, $2, coalesce($3::timestamptz, now()) FROM alert_event e WHERE e.seq = $1::bigint
       ON CONFLICT (seq, ack_by) DO NOTHING
       RETURNING ${isoSql('ack_at')} AS at`,
      [valid.seq, valid.by, valid.at ?? null],
    );
    if (inserted.rows[0]) return { by: valid.by, at: inserted.rows[0].at };
    const { rows } = await this.db.query<{ at: string }>(
      `SELECT ${isoSql('ack_at')} AS at FROM alert_acknowledgement WHERE seq = $1::bigint AND ack_by = $2`,
      [valid.seq, valid.by],
    );
    if (!rows[0]) throw new PublicError(ErrorCode.NOT_FOUND, 'No such alert.');
    return { by: valid.by, at: rows[0].at };
  }
}

/**
 * Inserts the events not already stored, in the order given (seq follows it), and returns
 * those it stored, in seq order. One statement per chunk: the events travel as one JSON
 * array, unpacked in SQL in order (WITH ORDINALITY ... ORDER BY).
 */
async function insertEvents(tx: Queryable, valid: readonly NewEvent[]): Promise<StoredEvent[]> {
  if (valid.length === 0) return [];
  await tx.query(OUTBOX_WRITE_LOCK);
  const stored: StoredEvent[] = [];
  for (let start = 0; start < valid.length; start += CHUNK) {
    const chunk = valid.slice(start, start + CHUNK);
    const { rows } = await tx.query<EventRow>(
      `INSERT INTO alert_event (event_key, type, category, child_id, urn, occurred_at, facts, audience)
       SELECT x->>'key', x->>'type', x->>'category', x->>'childId', x->>'urn',
              (x->>'occurredAt')::timestamptz, x->'facts',
              ARRAY(SELECT jsonb_array_elements_text(x->'audience'))
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS input(x, n)
        ORDER BY n
       ON CONFLICT (event_key) DO NOTHING
       RETURNING ${eventColumns('alert_event')}`,
      [JSON.stringify(chunk)],
    );
    // RETURNING promises no order; seq is the order given.
    rows.sort((a, b) => compareSeq(a.seq, b.seq));
    stored.push(...rows.map(toEvent));
  }
  return stored;
}

function compareSeq(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

type ValidAlertQuery = z.output<typeof alertQuery>;

/** The WHERE clause shared by alerts and countAlerts, or null when nothing can match. */
function alertFilter(query: ValidAlertQuery): { sql: string; params: SqlValue[] } | null {
  if (query.audience.length === 0 || query.categories.length === 0) return null;
  if (query.types?.length === 0 || query.childIds?.length === 0) return null;
  const params: SqlValue[] = [dedupe(query.audience), dedupe(query.categories)];
  const clauses = ['e.audience && $1::text[]', 'e.category = ANY($2::text[])'];
  const add = (clause: (param: string) => string, value: SqlValue): void => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (query.types) add((p) => `e.type = ANY(${p}::text[])`, dedupe(query.types));
  if (query.childIds) add((p) => `e.child_id = ANY(${p}::text[])`, dedupe(query.childIds));
  if (query.since) add((p) => `e.detected_at >= ${p}::timestamptz`, query.since);
  if (query.until) add((p) => `e.occurred_at < ${p}::timestamptz`, query.until);
  return { sql: clauses.join(' AND '), params };
}

const dedupe = <T extends string>(values: readonly T[]): T[] => [...new Set(values)];

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    key: row.event_key,
    type: row.type,
    category: row.category,
    childId: row.child_id,
    urn: row.urn,
    occurredAt: row.occurred_at,
    detectedAt: row.detected_at,
    facts: JSON.parse(row.facts) as StoredEvent['facts'],
    audience: row.audience as Audience[],
  };
}
