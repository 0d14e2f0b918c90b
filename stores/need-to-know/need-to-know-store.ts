/**
 * Need-to-know grants: the list of school staff each child agreed may know they are looked
 * after. The `teacher` role's whole scope comes from here, so reads are batched (one query
 * for many children) and writes are idempotent and safe to race.
 *
 * Our children are named by social care id. Other authorities' pupils on our schools' rolls
 * (issue 15) have no id here, so their grants name them by UPN: the same table, the same
 * guarantees, through the `...ForPupil(s)` methods.
 */
import { z } from 'zod';
import type { Database } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { childId, isoDateOrTimestamp, principalId, reason, staffId, upn, urn } from '../validation';
import type {
  Grant,
  GrantEvent,
  GrantInput,
  PupilGrant,
  PupilGrantEvent,
  PupilGrantInput,
  PupilRevokeInput,
  RevokeInput,
  SeedGrant,
} from './types';

export type {
  Grant,
  GrantEvent,
  GrantInput,
  PupilGrant,
  PupilGrantEvent,
  PupilGrantInput,
  PupilRevokeInput,
  RevokeInput,
  SeedGrant,
} from './types';

const grantInput = z.object({ childId, staffId, urn, actor: principalId, reason });
const revokeInput = z.object({
  childId,
  staffId,
  urns: z.array(urn).min(1).max(100),
  actor: principalId,
  reason,
});
const seedGrants = z.array(
  z.object({
    childId,
    staffId,
    urn,
    grantedBy: principalId,
    grantedAt: isoDateOrTimestamp,
    reason,
  }),
);
const childIds = z.array(childId).max(10_000);
const pupilGrantInput = z.object({ upn, staffId, urn, actor: principalId, reason });
const pupilRevokeInput = z.object({
  upn,
  staffId,
  urns: z.array(urn).min(1).max(100),
  actor: principalId,
  reason,
});
const upns = z.array(upn).max(10_000);

interface GrantRow {
  id: string;
  /** Null for a pupil's grant (issue 15: another authority's child, named by UPN). */
  child_id: string | null;
  upn: string | null;
  staff_id: string;
  urn: string;
  granted_by: string;
  granted_at: string;
  reason: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

interface EventRow {
  id: string;
  grant_id: string;
  child_id: string | null;
  upn: string | null;
  staff_id: string;
  urn: string;
  action: 'GRANT' | 'REVOKE';
  actor: string;
  at: string;
  reason: string;
}

/** Whom a grant names: one of our children by child id, or another authority's pupil by UPN. */
type SubjectColumn = 'child_id' | 'upn';

const GRANT_COLUMNS = `id::text AS id, child_id, upn, staff_id, urn, granted_by,
  ${isoSql('granted_at')} AS granted_at, reason, ${isoSql('revoked_at')} AS revoked_at,
  revoked_by, revoke_reason`;

const EVENT_COLUMNS = `id::text AS id, grant_id::text AS grant_id, child_id, upn, staff_id, urn,
  action, actor, ${isoSql('at')} AS at, reason`;

// The grant and its GRANT event in one statement, so one atomic transaction. A concurrent
// grant for the same pair meets the partial unique index (one per subject column): ON
// CONFLICT waits for it to commit, then inserts nothing (and so no event).
const insertGrantSql = (subject: SubjectColumn): string => `
  WITH inserted AS (
    INSERT INTO need_to_know_grant (${subject}, staff_id, urn, granted_by, reason)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (${subject}, staff_id) WHERE revoked_at IS NULL DO NOTHING
    RETURNING *
  ), event AS (
    INSERT INTO need_to_know_event
      (grant_id, child_id, upn, staff_id, urn, action, actor, at, reason)
    SELECT id, child_id, upn, staff_id, urn, 'GRANT', granted_by, granted_at, reason
      FROM inserted
  )
  SELECT ${GRANT_COLUMNS} FROM inserted`;
const INSERT_GRANT = { child_id: insertGrantSql('child_id'), upn: insertGrantSql('upn') };

// Only an active grant made at one of the given schools is updated; a concurrent second revoke
// waits on the row lock, then finds it no longer active and updates nothing.
const revokeGrantSql = (subject: SubjectColumn): string => `
  WITH revoked AS (
    UPDATE need_to_know_grant
       SET revoked_at = now(), revoked_by = $3, revoke_reason = $4
     WHERE ${subject} = $1 AND staff_id = $2 AND urn = ANY($5::text[]) AND revoked_at IS NULL
    RETURNING *
  ), event AS (
    INSERT INTO need_to_know_event
      (grant_id, child_id, upn, staff_id, urn, action, actor, at, reason)
    SELECT id, child_id, upn, staff_id, urn, 'REVOKE', revoked_by, revoked_at, revoke_reason
      FROM revoked
  )
  SELECT ${GRANT_COLUMNS} FROM revoked`;
const REVOKE_GRANT = { child_id: revokeGrantSql('child_id'), upn: revokeGrantSql('upn') };

const SEED_GRANTS = `
  WITH seed AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(
      child_id text, staff_id text, urn text, granted_by text, granted_at timestamptz, reason text)
  ), inserted AS (
    INSERT INTO need_to_know_grant (child_id, staff_id, urn, granted_by, granted_at, reason)
    SELECT child_id, staff_id, urn, granted_by, granted_at, reason FROM seed
    ON CONFLICT (child_id, staff_id) WHERE revoked_at IS NULL DO NOTHING
    RETURNING *
  ), event AS (
    INSERT INTO need_to_know_event (grant_id, child_id, staff_id, urn, action, actor, at, reason)
    SELECT id, child_id, staff_id, urn, 'GRANT', granted_by, granted_at, reason FROM inserted
  )
  SELECT count(*)::int AS inserted FROM inserted`;

// Held by a seeding transaction, per schema (the first key is the seed's; 1128 migrations').
const SEED_LOCK_SQL = `SELECT pg_advisory_xact_lock(1129, hashtext(current_schema()))`;

// If a grant is revoked between our conflict and our read, the pair is free again: retry.
const GRANT_ATTEMPTS = 3;

export class NeedToKnowStore {
  constructor(private readonly db: Database) {}

  /** Active grants for each of `childIds` (every id is a key, with [] when none). */
  async activeGrantsForChildren(ids: readonly string[]): Promise<Map<string, Grant[]>> {
    const unique = [...new Set(parseInput(childIds, ids, 'child ids'))];
    const rows = await this.activeRows('child_id', unique);
    const byChild = new Map<string, Grant[]>(unique.map((id) => [id, []]));
    for (const row of rows) byChild.get(row.child_id as string)?.push(toGrant(row));
    return byChild;
  }

  /** Active grants for each of these pupils' UPNs (every UPN is a key, with [] when none). */
  async activeGrantsForPupils(keys: readonly string[]): Promise<Map<string, PupilGrant[]>> {
    const unique = [...new Set(parseInput(upns, keys, 'UPNs'))];
    const rows = await this.activeRows('upn', unique);
    const byPupil = new Map<string, PupilGrant[]>(unique.map((key) => [key, []]));
    for (const row of rows) byPupil.get(row.upn as string)?.push(toPupilGrant(row));
    return byPupil;
  }

  /** The children whose active need-to-know list names `staffId`. */
  async activeChildIdsForStaff(id: string): Promise<string[]> {
    return this.activeSubjectsForStaff('child_id', id);
  }

  /** The pupils (by UPN) whose active need-to-know list names `staffId`. */
  async activeUpnsForStaff(id: string): Promise<string[]> {
    return this.activeSubjectsForStaff('upn', id);
  }

  /** Grants, or returns the active grant already there (`created: false`, no new event). */
  async grant(input: GrantInput): Promise<{ grant: Grant; created: boolean }> {
    const valid = parseInput(grantInput, input, 'grant');
    const { row, created } = await this.grantRow('child_id', valid.childId, valid);
    return { grant: toGrant(row), created };
  }

  /** `grant`, for another authority's pupil named by UPN. */
  async grantForPupil(input: PupilGrantInput): Promise<{ grant: PupilGrant; created: boolean }> {
    const valid = parseInput(pupilGrantInput, input, 'grant');
    const { row, created } = await this.grantRow('upn', valid.upn, valid);
    return { grant: toPupilGrant(row), created };
  }

  /**
   * Revokes the active grant made at one of `urns`. With none active, changes nothing and
   * returns the pair's most recent grant made at one of `urns`, if any, with `revoked: false`.
   * A grant made at another school is never touched nor returned.
   */
  async revoke(input: RevokeInput): Promise<{ grant: Grant | null; revoked: boolean }> {
    const valid = parseInput(revokeInput, input, 'revoke');
    const { row, revoked } = await this.revokeRow('child_id', valid.childId, valid);
    return { grant: row ? toGrant(row) : null, revoked };
  }

  /** `revoke`, for another authority's pupil named by UPN. */
  async revokeForPupil(
    input: PupilRevokeInput,
  ): Promise<{ grant: PupilGrant | null; revoked: boolean }> {
    const valid = parseInput(pupilRevokeInput, input, 'revoke');
    const { row, revoked } = await this.revokeRow('upn', valid.upn, valid);
    return { grant: row ? toPupilGrant(row) : null, revoked };
  }

  /** Every grant and revoke for the child, oldest first. */
  async history(id: string): Promise<GrantEvent[]> {
    const child = parseInput(childId, id, 'child id');
    return (await this.historyRows('child_id', child)).map(toEvent);
  }

  /** Every grant and revoke for another authority's pupil, by UPN, oldest first. */
  async historyForPupil(key: string): Promise<PupilGrantEvent[]> {
    const pupil = parseInput(upn, key, 'UPN');
    return (await this.historyRows('upn', pupil)).map(toPupilEvent);
  }

  /**
   * Loads the seeded grants on first start only: when the grant table is empty. One
   * statement for the whole batch, each grant with its GRANT event. Returns rows inserted.
   */
  async seedIfEmpty(grants: readonly SeedGrant[]): Promise<number> {
    const valid = parseInput(seedGrants, grants, 'seed grants');
    if (valid.length === 0 || (await this.hasGrants())) return 0;
    const json = JSON.stringify(
      valid.map((g) => ({
        child_id: g.childId,
        staff_id: g.staffId,
        urn: g.urn,
        granted_by: g.grantedBy,
        granted_at: g.grantedAt,
        reason: g.reason,
      })),
    );
    return this.db.transaction(async (tx) => {
      // Two replicas starting together: the second waits here, then finds grants and stops.
      // An advisory lock, not LOCK TABLE: that needs table-wide UPDATE, which the services'
      // database role does not have (stores/privileges.ts).
      await tx.query(SEED_LOCK_SQL);
      const { rows } = await tx.query<{ present: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM need_to_know_grant) AS present',
      );
      if (rows[0]?.present) return 0;
      const inserted = await tx.query<{ inserted: number }>(SEED_GRANTS, [json]);
      return inserted.rows[0]?.inserted ?? 0;
    });
  }

  private async hasGrants(): Promise<boolean> {
    const { rows } = await this.db.query<{ present: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM need_to_know_grant) AS present',
    );
    return rows[0]?.present === true;
  }

  // The column name below is always one of two constants (SubjectColumn), never input.

  private async activeRows(subject: SubjectColumn, keys: string[]): Promise<GrantRow[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM need_to_know_grant
        WHERE ${subject} = ANY($1::text[]) AND revoked_at IS NULL
        ORDER BY ${subject}, granted_at, staff_id`,
      [keys],
    );
    return rows;
  }

  private async activeSubjectsForStaff(subject: SubjectColumn, id: string): Promise<string[]> {
    const staff = parseInput(staffId, id, 'staff id');
    const { rows } = await this.db.query<{ subject: string }>(
      `SELECT ${subject} AS subject FROM need_to_know_grant
        WHERE staff_id = $1 AND revoked_at IS NULL AND ${subject} IS NOT NULL
        ORDER BY ${subject}`,
      [staff],
    );
    return rows.map((row) => row.subject);
  }

  private async grantRow(
    subject: SubjectColumn,
    key: string,
    valid: { staffId: string; urn: string; actor: string; reason: string },
  ): Promise<{ row: GrantRow; created: boolean }> {
    for (let attempt = 1; attempt <= GRANT_ATTEMPTS; attempt += 1) {
      const inserted = await this.db.query<GrantRow>(INSERT_GRANT[subject], [
        key,
        valid.staffId,
        valid.urn,
        valid.actor,
        valid.reason,
      ]);
      if (inserted.rows[0]) return { row: inserted.rows[0], created: true };
      const existing = await this.activeGrant(subject, key, valid.staffId);
      if (existing) return { row: existing, created: false };
    }
    throw new Error('Need-to-know grant kept conflicting with concurrent revokes');
  }

  private async revokeRow(
    subject: SubjectColumn,
    key: string,
    valid: { staffId: string; urns: string[]; actor: string; reason: string },
  ): Promise<{ row: GrantRow | null; revoked: boolean }> {
    const { rows } = await this.db.query<GrantRow>(REVOKE_GRANT[subject], [
      key,
      valid.staffId,
      valid.actor,
      valid.reason,
      valid.urns,
    ]);
    if (rows[0]) return { row: rows[0], revoked: true };
    const latest = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM need_to_know_grant
        WHERE ${subject} = $1 AND staff_id = $2 AND urn = ANY($3::text[])
        ORDER BY granted_at DESC, revoked_at DESC NULLS FIRST
        LIMIT 1`,
      [key, valid.staffId, valid.urns],
    );
    return { row: latest.rows[0] ?? null, revoked: false };
  }

  private async historyRows(subject: SubjectColumn, key: string): Promise<EventRow[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM need_to_know_event WHERE ${subject} = $1 ORDER BY at, id`,
      [key],
    );
    return rows;
  }

  private async activeGrant(
    subject: SubjectColumn,
    key: string,
    staff: string,
  ): Promise<GrantRow | null> {
    const { rows } = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM need_to_know_grant
        WHERE ${subject} = $1 AND staff_id = $2 AND revoked_at IS NULL`,
      [key, staff],
    );
    return rows[0] ?? null;
  }
}

/** The fields every grant has, whoever it names. */
function grantFields(row: GrantRow): Omit<Grant, 'childId'> {
  return {
    id: row.id,
    staffId: row.staff_id,
    urn: row.urn,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at,
    reason: row.reason,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
  };
}

/** A child's grant (read by child id, so the id is there). */
function toGrant(row: GrantRow): Grant {
  return { ...grantFields(row), childId: row.child_id as string };
}

/** A pupil's grant (read by UPN, so the UPN is there). */
function toPupilGrant(row: GrantRow): PupilGrant {
  return { ...grantFields(row), upn: row.upn as string };
}

function eventFields(row: EventRow): Omit<GrantEvent, 'childId'> {
  return {
    id: row.id,
    grantId: row.grant_id,
    staffId: row.staff_id,
    urn: row.urn,
    action: row.action,
    actor: row.actor,
    at: row.at,
    reason: row.reason,
  };
}

function toEvent(row: EventRow): GrantEvent {
  return { ...eventFields(row), childId: row.child_id as string };
}

function toPupilEvent(row: EventRow): PupilGrantEvent {
  return { ...eventFields(row), upn: row.upn as string };
}
