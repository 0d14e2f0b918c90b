/**
 * The designated teacher register's history: one append-only row per change to a school's
 * entry (who, when, the entry before and after). The entry itself lives in the education
 * system; this is the record of how it came to be. Reads are batched: one query for a page
 * of schools.
 */
import { z } from 'zod';
import type { Database } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { principalId, urn } from '../validation';
import type {
  DesignatedTeacherChange,
  DesignatedTeacherChangeInput,
  DesignatedTeacherDetails,
} from './types';

export type {
  DesignatedTeacherChange,
  DesignatedTeacherChangeInput,
  DesignatedTeacherDetails,
} from './types';

const text = (max: number) => z.string().min(1).max(max);

const details = z
  .object({
    title: z.string().max(20).nullable(),
    forename: text(100),
    surname: text(100),
    jobTitle: text(200),
    workEmail: text(254),
    workPhone: text(30),
    confirmedOn: z.string().date(),
  })
  .strict();

const changeInput = z
  .object({
    urn,
    actorSub: principalId,
    actorRoles: z.array(z.string().min(1).max(50)).max(20),
    requestId: z.string().min(1).max(100).nullish(),
    detailsChanged: z.boolean(),
    confirmed: z.boolean(),
    before: details.nullable(),
    after: details,
  })
  .refine((change) => change.detailsChanged || change.confirmed, {
    message: 'a change changes the details, confirms the entry, or both',
    path: ['confirmed'],
  });

const urns = z.array(urn).max(10_000);

interface ChangeRow {
  id: string;
  urn: string;
  changed_at: string;
  actor_sub: string;
  actor_roles: string[];
  request_id: string | null;
  details_changed: boolean;
  confirmed: boolean;
  old_entry: string | null;
  new_entry: string;
}

// JSON travels as text both ways: the drivers parse jsonb differently, text they agree on.
const CHANGE_COLUMNS = `id::text AS id, urn, ${isoSql('changed_at')} AS changed_at, actor_sub,
  actor_roles, request_id, details_changed, confirmed, old_entry::text AS old_entry,
  new_entry::text AS new_entry`;

export class DesignatedTeacherHistoryStore {
  constructor(private readonly db: Database) {}

  /** Appends one change; returns it as stored. */
  async record(input: DesignatedTeacherChangeInput): Promise<DesignatedTeacherChange> {
    const valid = parseInput(changeInput, input, 'designated teacher change');
    const { rows } = await this.db.query<ChangeRow>(
      `INSERT INTO designated_teacher_change
         (urn, actor_sub, actor_roles, request_id, details_changed, confirmed, old_entry, new_entry)
       VALUES ($1, $2, $3::text[], $4, $5, $6, $7::jsonb, $8::jsonb)
       RETURNING ${CHANGE_COLUMNS}`,
      [
        valid.urn,
        valid.actorSub,
        valid.actorRoles,
        valid.requestId ?? null,
        valid.detailsChanged,
        valid.confirmed,
        valid.before === null ? null : JSON.stringify(valid.before),
        JSON.stringify(valid.after),
      ],
    );
    return toChange(rows[0]!);
  }

  /** Each school's changes, oldest first (every URN asked for is a key, [] when none). */
  async historyFor(ids: readonly string[]): Promise<Map<string, DesignatedTeacherChange[]>> {
    const unique = [...new Set(parseInput(urns, ids, 'URNs'))];
    const byUrn = new Map<string, DesignatedTeacherChange[]>(unique.map((id) => [id, []]));
    if (unique.length === 0) return byUrn;
    const { rows } = await this.db.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM designated_teacher_change
        WHERE urn = ANY($1::text[])
        ORDER BY urn, changed_at, id`,
      [unique],
    );
    for (const row of rows) byUrn.get(row.urn)?.push(toChange(row));
    return byUrn;
  }
}

function toDetails(json: string): DesignatedTeacherDetails {
  return details.parse(JSON.parse(json));
}

function toChange(row: ChangeRow): DesignatedTeacherChange {
  return {
    id: row.id,
    urn: row.urn,
    changedAt: row.changed_at,
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    requestId: row.request_id,
    detailsChanged: row.details_changed,
    confirmed: row.confirmed,
    before: row.old_entry === null ? null : toDetails(row.old_entry),
    after: toDetails(row.new_entry),
  };
}
