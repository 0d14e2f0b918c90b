/**
 * Other authorities' Designated Teacher registers as our sync last read them (issue 15, point
 * 3): the current entry of each of a partner's schools, and one sync state per partner (the
 * `changedSince` and ETag the next request sends, and counters). Written only by the sync job
 * (`exchange/register-sync.ts`); read by the register for schools outside the authority.
 *
 * What a partner sends is checked here as any input is: a malformed entry is refused whole
 * batch, so a partner cannot put text we would not accept from our own staff in front of ours.
 */
import { z } from 'zod';
import { isPlainText, isUkPhone, isWorkEmail } from '../../domain/contact-details';
import { LA_CODE } from '../../domain/identifiers';
import type { Database } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { isoTimestamp, urn } from '../validation';
import type { DesignatedTeacherDetails } from '../designated-teachers/types';

/** One school's entry as a partner authority's register serves it. */
export interface PartnerRegisterEntryInput {
  urn: string;
  schoolName: string;
  designatedTeacher: DesignatedTeacherDetails | null;
  /** The entry's `updatedAt` in the partner's register (ISO 8601). */
  updatedAt: string;
}

/** One school's entry as we hold it: what the partner said, and where and when we read it. */
export interface PartnerRegisterEntry extends PartnerRegisterEntryInput {
  /** The partner authority's code. */
  partnerLa: string;
  /** When our sync fetched it (ISO 8601 UTC). */
  fetchedAt: string;
}

export interface PartnerSyncState {
  partnerLa: string;
  changedSince: string | null;
  etag: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastOutcome: string | null;
  requests: number;
  notModified: number;
  entriesReceived: number;
  bytesReceived: number;
}

/** What one sync run did, added to the partner's counters. */
export interface PartnerSyncRun {
  partnerLa: string;
  at: string;
  /** 'ok', or a short code naming what failed; the cursor moves only on 'ok'. */
  outcome: string;
  changedSince: string | null;
  etag: string | null;
  requests: number;
  notModified: number;
  entriesReceived: number;
  bytesReceived: number;
}

export const PARTNER_ENTRY_LIMITS = { schoolName: 200, title: 50, name: 100, jobTitle: 200 };
/** At most this many entries in one batch (a partner's whole register). */
const MAX_BATCH = 50_000;

const laCode = z.string().regex(LA_CODE);
const text = (max: number) => z.string().refine((value) => isPlainText(value, max));

const teacher = z
  .object({
    title: text(PARTNER_ENTRY_LIMITS.title).nullable(),
    forename: text(PARTNER_ENTRY_LIMITS.name),
    surname: text(PARTNER_ENTRY_LIMITS.name),
    jobTitle: text(PARTNER_ENTRY_LIMITS.jobTitle),
    workEmail: z.string().refine(isWorkEmail),
    workPhone: z.string().refine(isUkPhone),
    confirmedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  })
  .strict();

const batch = z
  .array(
    z
      .object({
        urn,
        schoolName: text(PARTNER_ENTRY_LIMITS.schoolName),
        designatedTeacher: teacher.nullable(),
        updatedAt: isoTimestamp,
      })
      .strict(),
  )
  .max(MAX_BATCH);

const run = z
  .object({
    partnerLa: laCode,
    at: isoTimestamp,
    outcome: z.string().regex(/^[a-z0-9_-]{1,50}$/),
    changedSince: isoTimestamp.nullable(),
    etag: z.string().min(1).max(200).nullable(),
    requests: z.number().int().min(0),
    notModified: z.number().int().min(0),
    entriesReceived: z.number().int().min(0),
    bytesReceived: z.number().int().min(0),
  })
  .strict();

interface EntryRow {
  partner_la: string;
  urn: string;
  school_name: string;
  dt_title: string | null;
  dt_forename: string | null;
  dt_surname: string | null;
  dt_job_title: string | null;
  dt_work_email: string | null;
  dt_work_phone: string | null;
  dt_confirmed_on: string | null;
  partner_updated_at: string;
  fetched_at: string;
}

interface SyncRow {
  partner_la: string;
  changed_since: string | null;
  etag: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_outcome: string | null;
  requests: number;
  not_modified: number;
  entries_received: number;
  bytes_received: string;
}

const ENTRY_COLUMNS = `partner_la, urn, school_name, dt_title, dt_forename, dt_surname,
  dt_job_title, dt_work_email, dt_work_phone, to_char(dt_confirmed_on, 'YYYY-MM-DD') AS dt_confirmed_on,
  ${isoSql('partner_updated_at')} AS partner_updated_at, ${isoSql('fetched_at')} AS fetched_at`;

const SYNC_COLUMNS = `partner_la, changed_since, etag,
  ${isoSql('last_attempt_at')} AS last_attempt_at, ${isoSql('last_success_at')} AS last_success_at,
  last_outcome, requests, not_modified, entries_received, bytes_received::text AS bytes_received`;

// Inserts new schools and updates those whose entry changed; an unchanged entry keeps its
// row untouched (its fetched_at says when it last changed as far as we know).
const UPSERT_SQL = `
  WITH batch AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS b(
      urn text, school_name text, dt_title text, dt_forename text, dt_surname text,
      dt_job_title text, dt_work_email text, dt_work_phone text, dt_confirmed_on date,
      partner_updated_at timestamptz)
  ), written AS (
    INSERT INTO partner_register_entry AS e
      (partner_la, urn, school_name, dt_title, dt_forename, dt_surname, dt_job_title,
       dt_work_email, dt_work_phone, dt_confirmed_on, partner_updated_at, fetched_at)
    SELECT $1, urn, school_name, dt_title, dt_forename, dt_surname, dt_job_title,
           dt_work_email, dt_work_phone, dt_confirmed_on, partner_updated_at, $3::timestamptz
      FROM batch
    ON CONFLICT (partner_la, urn) DO UPDATE SET
      school_name = EXCLUDED.school_name, dt_title = EXCLUDED.dt_title,
      dt_forename = EXCLUDED.dt_forename, dt_surname = EXCLUDED.dt_surname,
      dt_job_title = EXCLUDED.dt_job_title, dt_work_email = EXCLUDED.dt_work_email,
      dt_work_phone = EXCLUDED.dt_work_phone, dt_confirmed_on = EXCLUDED.dt_confirmed_on,
      partner_updated_at = EXCLUDED.partner_updated_at, fetched_at = EXCLUDED.fetched_at
    WHERE (e.school_name, e.dt_title, e.dt_forename, e.dt_surname, e.dt_job_title,
           e.dt_work_email, e.dt_work_phone, e.dt_confirmed_on, e.partner_updated_at)
      IS DISTINCT FROM
          (EXCLUDED.school_name, EXCLUDED.dt_title, EXCLUDED.dt_forename, EXCLUDED.dt_surname,
           EXCLUDED.dt_job_title, EXCLUDED.dt_work_email, EXCLUDED.dt_work_phone,
           EXCLUDED.dt_confirmed_on, EXCLUDED.partner_updated_at)
    RETURNING 1
  )
  SELECT count(*)::int AS written FROM written`;

const RECORD_RUN_SQL = `
  INSERT INTO partner_register_sync AS s
    (partner_la, changed_since, etag, last_attempt_at, last_success_at, last_outcome,
     requests, not_modified, entries_received, bytes_received)
  VALUES ($1, $2, $3, $4::timestamptz, CASE WHEN $5 = 'ok' THEN $4::timestamptz END, $5,
          $6, $7, $8, $9)
  ON CONFLICT (partner_la) DO UPDATE SET
    changed_since = CASE WHEN $5 = 'ok' THEN EXCLUDED.changed_since ELSE s.changed_since END,
    etag = CASE WHEN $5 = 'ok' THEN EXCLUDED.etag ELSE s.etag END,
    last_attempt_at = EXCLUDED.last_attempt_at,
    last_success_at = CASE WHEN $5 = 'ok' THEN EXCLUDED.last_attempt_at ELSE s.last_success_at END,
    last_outcome = EXCLUDED.last_outcome,
    requests = s.requests + EXCLUDED.requests,
    not_modified = s.not_modified + EXCLUDED.not_modified,
    entries_received = s.entries_received + EXCLUDED.entries_received,
    bytes_received = s.bytes_received + EXCLUDED.bytes_received`;

function entryFrom(row: EntryRow): PartnerRegisterEntry {
  const hasTeacher =
    row.dt_forename !== null &&
    row.dt_surname !== null &&
    row.dt_job_title !== null &&
    row.dt_work_email !== null &&
    row.dt_work_phone !== null &&
    row.dt_confirmed_on !== null;
  return {
    partnerLa: row.partner_la,
    urn: row.urn,
    schoolName: row.school_name,
    designatedTeacher: hasTeacher
      ? {
          title: row.dt_title,
          forename: row.dt_forename as string,
          surname: row.dt_surname as string,
          jobTitle: row.dt_job_title as string,
          workEmail: row.dt_work_email as string,
          workPhone: row.dt_work_phone as string,
          confirmedOn: row.dt_confirmed_on as string,
        }
      : null,
    updatedAt: row.partner_updated_at,
    fetchedAt: row.fetched_at,
  };
}

function stateFrom(row: SyncRow): PartnerSyncState {
  return {
    partnerLa: row.partner_la,
    changedSince: row.changed_since,
    etag: row.etag,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastOutcome: row.last_outcome,
    requests: row.requests,
    notModified: row.not_modified,
    entriesReceived: row.entries_received,
    bytesReceived: Number(row.bytes_received),
  };
}

export class PartnerRegisterStore {
  constructor(private readonly db: Database) {}

  /**
   * Holds a partner's entries (its own schools only: the caller filters) as of `fetchedAt`;
   * returns how many rows were inserted or changed. All or nothing.
   */
  async upsertEntries(
    partnerLa: string,
    entries: readonly PartnerRegisterEntryInput[],
    fetchedAt: string,
  ): Promise<number> {
    const la = parseInput(laCode, partnerLa, 'partner authority');
    const valid = parseInput(batch, entries, 'partner register entries');
    const at = parseInput(isoTimestamp, fetchedAt, 'fetch time');
    if (valid.length === 0) return 0;
    const rows = valid.map((entry) => ({
      urn: entry.urn,
      school_name: entry.schoolName,
      dt_title: entry.designatedTeacher?.title ?? null,
      dt_forename: entry.designatedTeacher?.forename ?? null,
      dt_surname: entry.designatedTeacher?.surname ?? null,
      dt_job_title: entry.designatedTeacher?.jobTitle ?? null,
      dt_work_email: entry.designatedTeacher?.workEmail ?? null,
      dt_work_phone: entry.designatedTeacher?.workPhone ?? null,
      dt_confirmed_on: entry.designatedTeacher?.confirmedOn ?? null,
      partner_updated_at: entry.updatedAt,
    }));
    const { rows: result } = await this.db.query<{ written: number }>(UPSERT_SQL, [
      la,
      JSON.stringify(rows),
      at,
    ]);
    return result[0]?.written ?? 0;
  }

  /** The entries held for these schools, by URN (a school belongs to one authority). */
  async entriesFor(urns: readonly string[]): Promise<Map<string, PartnerRegisterEntry>> {
    const wanted = parseInput(z.array(urn).max(50_000), urns, 'school URNs');
    const byUrn = new Map<string, PartnerRegisterEntry>();
    if (wanted.length === 0) return byUrn;
    const { rows } = await this.db.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM partner_register_entry
        WHERE urn = ANY($1::text[]) ORDER BY urn, fetched_at`,
      [wanted],
    );
    for (const row of rows) byUrn.set(row.urn, entryFrom(row));
    return byUrn;
  }

  /** Every entry held from one partner, ordered by URN. */
  async entriesFrom(partnerLa: string): Promise<PartnerRegisterEntry[]> {
    const la = parseInput(laCode, partnerLa, 'partner authority');
    const { rows } = await this.db.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM partner_register_entry WHERE partner_la = $1 ORDER BY urn`,
      [la],
    );
    return rows.map(entryFrom);
  }

  async syncState(partnerLa: string): Promise<PartnerSyncState | null> {
    const la = parseInput(laCode, partnerLa, 'partner authority');
    const { rows } = await this.db.query<SyncRow>(
      `SELECT ${SYNC_COLUMNS} FROM partner_register_sync WHERE partner_la = $1`,
      [la],
    );
    return rows[0] ? stateFrom(rows[0]) : null;
  }

  /** Adds a run to the partner's state; the cursor and ETag move only when it succeeded. */
  async recordRun(input: PartnerSyncRun): Promise<PartnerSyncState> {
    const r = parseInput(run, input, 'partner sync run');
    await this.db.query(RECORD_RUN_SQL, [
      r.partnerLa,
      r.changedSince,
      r.etag,
      r.at,
      r.outcome,
      r.requests,
      r.notModified,
      r.entriesReceived,
      r.bytesReceived,
    ]);
    return (await this.syncState(r.partnerLa)) as PartnerSyncState;
  }
}
