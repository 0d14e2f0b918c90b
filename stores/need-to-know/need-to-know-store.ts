/**
 * Need-to-know grants: the list of school staff each child agreed may know they are looked
 * after. The `teacher` role's whole scope comes from here, so reads are batched (one query
 * for many children) and writes are idempotent and safe to race.
 */
import { z } from 'zod';
import type { Database } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { childId, isoDateOrTimestamp, principalId, reason, staffId, urn } from '../validation';
import type { Grant, GrantEvent, GrantInput, RevokeInput, SeedGrant } from './types';

export type { Grant, GrantEvent, GrantInput, RevokeInput, SeedGrant } from './types';

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

interface GrantRow {
  id: string;
  child_id: string;
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
  child_id: string;
  staff_id: string;
  urn: string;
  action: 'GRANT' | 'REVOKE';
  actor: string;
  at: string;
  reason: string;
}

const GRANT_COLUMNS = `id::text AS id, child_id, staff_id, urn, granted_by,
  ${isoSql('granted_at')} AS granted_at, reason, ${isoSql('revoked_at')} AS revoked_at,
  revoked_by, revoke_reason`;

const EVENT_COLUMNS = `id::text AS id, grant_id::text AS grant_id, child_id, staff_id, urn,
  action, actor, ${isoSql('at')} AS at, reason`;

// The grant and its GRANT event in one statement, so one atomic transaction. A concurrent
// grant for the same pair meets the partial unique index: ON CONFLICT waits for it to
// commit, then inserts nothing (and so no event).
const INSERT_GRANT = `
  WITH inserted AS (
    INSERT INTO need_to_know_grant (child_id, staff_id, urn, granted_by, reason)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (child_id, staff_id) WHERE revoked_at IS NULL DO NOTHING
    RETURNING *
  ), event AS (
    INSERT INTO need_to_know_event (grant_id, child_id, staff_id, urn, action, actor, at, reason)
    SELECT id, child_id, staff_id, urn, 'GRANT', granted_by, granted_at, reason FROM inserted
  )
  SELECT ${GRANT_COLUMNS} FROM inserted`;

// Only an active grant made at one of the given schools is updated; a concurrent second revoke
// waits on the row lock, then finds it no longer active and updates nothing.
const REVOKE_GRANT = `
  WITH revoked AS (
    UPDATE need_to_know_grant
       SET revoked_at = now(), revoked_by = $3, revoke_reason = $4
     WHERE child_id = $1 AND staff_id = $2 AND urn = ANY($5::text[]) AND revoked_at IS NULL
    RETURNING *
  ), event AS (
    INSERT INTO need_to_know_event (grant_id, child_id, staff_id, urn, action, actor, at, reason)
    SELECT id, child_id, staff_id, urn, 'REVOKE', revoked_by, revoked_at, revoke_reason
      FROM revoked
  )
  SELECT ${GRANT_COLUMNS} FROM revoked`;

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
    const byChild = new Map<string, Grant[]>(unique.map((id) => [id, []]));
    if (unique.length === 0) return byChild;
    const { rows } = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM need_to_know_grant
        WHERE child_id = ANY($1::text[]) AND revoked_at IS NULL
        ORDER BY child_id, granted_at, staff_id`,
      [unique],
    );
    for (const row of rows) byChild.get(row.child_id)?.push(toGrant(row));
    return byChild;
  }

  /** The children whose active need-to-know list names `staffId`. */
  async activeChildIdsForStaff(id: string): Promise<string[]> {
    const staff = parseInput(staffId, id, 'staff id');
    const { rows } = await this.db.query<{ child_id: string }>(
      `SELECT child_id FROM need_to_know_grant
        WHERE staff_id = $1 AND revoked_at IS NULL
        ORDER BY child_id`,
      [staff],
    );
    return rows.map((row) => row.child_id);
  }

  /** Grants, or returns the active grant already there (`created: false`, no new event). */
  async grant(input: GrantInput): Promise<{ grant: Grant; created: boolean }> {
    const valid = parseInput(grantInput, input, 'grant');
    for (let attempt = 1; attempt <= GRANT_ATTEMPTS; attempt += 1) {
      const inserted = await this.db.query<GrantRow>(INSERT_GRANT, [
        valid.childId,
        valid.staffId,
        valid.urn,
        valid.actor,
        valid.reason,
      ]);
      if (inserted.rows[0]) return { grant: toGrant(inserted.rows[0]), created: true };
      const existing = await this.activeGrant(valid.childId, valid.staffId);
      if (existing) return { grant: existing, created: false };
    }
    throw new Error('Need-to-know grant kept conflicting with concurrent revokes');
  }

  /**
   * Revokes the active grant made at one of `urns`. With none active, changes nothing and
   * returns the pair's most recent grant made at one of `urns`, if any, with `revoked: false`.
   * A grant made at another school is never touched nor returned.
   */
  async revoke(input: RevokeInput): Promise<{ grant: Grant | null; revoked: boolean }> {
    const valid = parseInput(revokeInput, input, 'revoke');
    const { rows } = await this.db.query<GrantRow>(REVOKE_GRANT, [
      valid.childId,
      valid.staffId,
      valid.actor,
      valid.reason,
      valid.urns,
    ]);
    if (rows[0]) return { grant: toGrant(rows[0]), revoked: true };
    const latest = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM need_to_know_grant
        WHERE child_id = $1 AND staff_id = $2 AND urn = ANY($3::text[])
        ORDER BY granted_at DESC, revoked_at DESC NULLS FIRST
        LIMIT 1`,
      [valid.childId, valid.staffId, valid.urns],
    );
    return { grant: latest.rows[0] ? toGrant(latest.rows[0]) : null, revoked: false };
  }

  /** Every grant and revoke for the child, oldest first. */
  async history(id: string): Promise<GrantEvent[]> {
    const child = parseInput(childId, id, 'child id');
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM need_to_know_event WHERE child_id = $1 ORDER BY at, id`,
      [child],
    );
    return rows.map(toEvent);
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

  private async activeGrant(child: string, staff: string): Promise<Grant | null> {
    const { rows } = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM need_to_know_grant
        WHERE child_id = $1 AND staff_id = $2 AND revoked_at IS NULL`,
      [child, staff],
    );
    return rows[0] ? toGrant(rows[0]) : null;
  }
}

function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    childId: row.child_id,
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

function toEvent(row: EventRow): GrantEvent {
  return {
    id: row.id,
    grantId: row.grant_id,
    childId: row.child_id,
    staffId: row.staff_id,
    urn: row.urn,
    action: row.action,
    actor: row.actor,
    at: row.at,
    reason: row.reason,
  };
}
