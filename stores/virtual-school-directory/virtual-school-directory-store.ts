/**
 * The directory of local authorities' Virtual Schools (issue 15): one current entry per
 * authority and an append-only history of every change (who, when, before and after), written
 * in one transaction so there is no change without its history. The directory is small (one
 * row per English authority), so reads fetch what they are asked for in one query.
 */
import { z } from 'zod';
import { isUkPhone, isWorkEmail, isPlainText } from '../../domain/contact-details';
import { LA_CODE } from '../../domain/identifiers';
import type { Database, Queryable } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { isoDateOrTimestamp, principalId } from '../validation';
import type {
  SeedVirtualSchool,
  VirtualSchoolChange,
  VirtualSchoolDetails,
  VirtualSchoolEntry,
  VirtualSchoolUpdateInput,
  VirtualSchoolUpdateResult,
} from './types';

export type {
  SeedVirtualSchool,
  VirtualSchoolActor,
  VirtualSchoolChange,
  VirtualSchoolDetails,
  VirtualSchoolEntry,
  VirtualSchoolUpdateInput,
  VirtualSchoolUpdateResult,
} from './types';

/** The limits the table's checks hold too. */
export const VIRTUAL_SCHOOL_LIMITS = { headName: 200, source: 500 } as const;

/** Who the seeded entries and their history name as having made them. */
export const SEED_ACTOR = 'system:seed';

const laCode = z.string().regex(LA_CODE);

const details = z
  .object({
    headName: z.string().refine((v) => isPlainText(v, VIRTUAL_SCHOOL_LIMITS.headName)),
    email: z.string().refine(isWorkEmail),
    phone: z.string().refine(isUkPhone),
    source: z.string().refine((v) => isPlainText(v, VIRTUAL_SCHOOL_LIMITS.source)),
  })
  .strict();

const updateInput = details
  .extend({
    laCode,
    actorSub: principalId,
    actorRoles: z.array(z.string().min(1).max(50)).max(20),
    requestId: z.string().min(1).max(100).nullish(),
  })
  .strict();

const seedEntries = z
  .array(details.extend({ laCode, recordedAt: isoDateOrTimestamp }).strict())
  .max(1_000);

const laCodes = z.array(laCode).max(1_000);

interface EntryRow {
  la_code: string;
  head_name: string;
  email: string;
  phone: string;
  source: string;
  updated_at: string;
  updated_by: string;
}

interface ChangeRow {
  id: string;
  la_code: string;
  changed_at: string;
  actor_sub: string;
  actor_roles: string[];
  request_id: string | null;
  before: string | null;
  after: string;
}

const ENTRY_COLUMNS = `la_code, head_name, email, phone, source,
  ${isoSql('updated_at')} AS updated_at, updated_by`;

// JSON travels as text both ways: the drivers parse jsonb differently, text they agree on.
const CHANGE_COLUMNS = `id::text AS id, la_code, ${isoSql('changed_at')} AS changed_at,
  actor_sub, actor_roles, request_id, before::text AS before, after::text AS after`;

// One writer per authority at a time; schemas apart (tests share one server) do not meet.
const ENTRY_LOCK_SQL = `SELECT pg_advisory_xact_lock(1130, hashtext(current_schema() || ':' || $1::text))`;
// Two replicas seeding together: the second waits, then finds entries and stops.
const SEED_LOCK_SQL = `SELECT pg_advisory_xact_lock(1131, hashtext(current_schema()))`;

const SEED_SQL = `
  WITH seed AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(
      la_code text, head_name text, email text, phone text, source text, recorded_at timestamptz)
  ), inserted AS (
    INSERT INTO virtual_school_contact
      (la_code, head_name, email, phone, source, updated_at, updated_by)
    SELECT la_code, head_name, email, phone, source, recorded_at, $2 FROM seed
    ON CONFLICT (la_code) DO NOTHING
    RETURNING *
  ), change AS (
    INSERT INTO virtual_school_contact_change (la_code, changed_at, actor_sub, before, after)
    SELECT la_code, updated_at, $2, NULL,
           jsonb_build_object('headName', head_name, 'email', email, 'phone', phone,
                              'source', source)
      FROM inserted
  )
  SELECT count(*)::int AS inserted FROM inserted`;

const sameDetails = (a: VirtualSchoolDetails, b: VirtualSchoolDetails): boolean =>
  a.headName === b.headName && a.email === b.email && a.phone === b.phone && a.source === b.source;

const detailsOf = (entry: VirtualSchoolDetails): VirtualSchoolDetails => ({
  headName: entry.headName,
  email: entry.email,
  phone: entry.phone,
  source: entry.source,
});

export class VirtualSchoolDirectoryStore {
  constructor(private readonly db: Database) {}

  /** Every entry, ordered by authority code. */
  async all(): Promise<VirtualSchoolEntry[]> {
    const { rows } = await this.db.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM virtual_school_contact ORDER BY la_code`,
    );
    return rows.map(toEntry);
  }

  /** The entries of the authorities asked for, in one query (absent: no entry). */
  async byLaCodes(codes: readonly string[]): Promise<Map<string, VirtualSchoolEntry>> {
    const unique = [...new Set(parseInput(laCodes, codes, 'local authority codes'))];
    if (unique.length === 0) return new Map();
    const { rows } = await this.db.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM virtual_school_contact WHERE la_code = ANY($1::text[])`,
      [unique],
    );
    return new Map(rows.map((row) => [row.la_code, toEntry(row)]));
  }

  /**
   * Sets an authority's entry (adding it when the directory has none) and records the change.
   * Idempotent: an entry that already stands so is returned unchanged and nothing is written.
   */
  async update(input: VirtualSchoolUpdateInput): Promise<VirtualSchoolUpdateResult> {
    const valid = parseInput(updateInput, input, 'virtual school entry');
    const wanted = detailsOf(valid);
    return this.db.transaction(async (tx) => {
      await tx.query(ENTRY_LOCK_SQL, [valid.laCode]);
      const current = await entryIn(tx, valid.laCode);
      if (current && sameDetails(current, wanted)) return { entry: current, changed: false };
      const written = current
        ? await tx.query<EntryRow>(
            `UPDATE virtual_school_contact
                SET head_name = $2, email = $3, phone = $4, source = $5,
                    updated_at = now(), updated_by = $6
              WHERE la_code = $1
              RETURNING ${ENTRY_COLUMNS}`,
            [
              valid.laCode,
              wanted.headName,
              wanted.email,
              wanted.phone,
              wanted.source,
              valid.actorSub,
            ],
          )
        : await tx.query<EntryRow>(
            `INSERT INTO virtual_school_contact
               (la_code, head_name, email, phone, source, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING ${ENTRY_COLUMNS}`,
            [
              valid.laCode,
              wanted.headName,
              wanted.email,
              wanted.phone,
              wanted.source,
              valid.actorSub,
            ],
          );
      await tx.query(
        `INSERT INTO virtual_school_contact_change
           (la_code, actor_sub, actor_roles, request_id, before, after)
         VALUES ($1, $2, $3::text[], $4, $5::jsonb, $6::jsonb)`,
        [
          valid.laCode,
          valid.actorSub,
          valid.actorRoles,
          valid.requestId ?? null,
          current ? JSON.stringify(detailsOf(current)) : null,
          JSON.stringify(wanted),
        ],
      );
      return { entry: toEntry(written.rows[0]!), changed: true };
    });
  }

  /** Each authority's changes, oldest first (every code asked for is a key, [] when none). */
  async historyFor(codes: readonly string[]): Promise<Map<string, VirtualSchoolChange[]>> {
    const unique = [...new Set(parseInput(laCodes, codes, 'local authority codes'))];
    const byCode = new Map<string, VirtualSchoolChange[]>(unique.map((code) => [code, []]));
    if (unique.length === 0) return byCode;
    const { rows } = await this.db.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM virtual_school_contact_change
        WHERE la_code = ANY($1::text[])
        ORDER BY la_code, changed_at, id`,
      [unique],
    );
    for (const row of rows) byCode.get(row.la_code)?.push(toChange(row));
    return byCode;
  }

  /**
   * Loads the seed on first start only: when the directory is empty. One statement for the
   * whole batch, each entry with its change. Returns the entries inserted.
   */
  async seedIfEmpty(entries: readonly SeedVirtualSchool[]): Promise<number> {
    const valid = parseInput(seedEntries, entries, 'virtual school seed');
    if (valid.length === 0 || (await hasEntries(this.db))) return 0;
    const json = JSON.stringify(
      valid.map((entry) => ({
        la_code: entry.laCode,
        head_name: entry.headName,
        email: entry.email,
        phone: entry.phone,
        source: entry.source,
        recorded_at: entry.recordedAt,
      })),
    );
    return this.db.transaction(async (tx) => {
      await tx.query(SEED_LOCK_SQL);
      if (await hasEntries(tx)) return 0;
      const { rows } = await tx.query<{ inserted: number }>(SEED_SQL, [json, SEED_ACTOR]);
      return rows[0]?.inserted ?? 0;
    });
  }
}

async function entryIn(db: Queryable, code: string): Promise<VirtualSchoolEntry | null> {
  const { rows } = await db.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM virtual_school_contact WHERE la_code = $1`,
    [code],
  );
  return rows[0] ? toEntry(rows[0]) : null;
}

async function hasEntries(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM virtual_school_contact) AS present',
  );
  return rows[0]?.present === true;
}

function toEntry(row: EntryRow): VirtualSchoolEntry {
  return {
    laCode: row.la_code,
    headName: row.head_name,
    email: row.email,
    phone: row.phone,
    source: row.source,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toDetails(json: string): VirtualSchoolDetails {
  return details.parse(JSON.parse(json));
}

function toChange(row: ChangeRow): VirtualSchoolChange {
  return {
    id: row.id,
    laCode: row.la_code,
    changedAt: row.changed_at,
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    requestId: row.request_id,
    before: row.before === null ? null : toDetails(row.before),
    after: toDetails(row.after),
  };
}
