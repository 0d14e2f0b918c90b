/**
 * The PEP workflow's history: one append-only row per change to a PEP (who, when, how, the PEP
 * before and after). The PEP itself lives in the social care case system; this is the record
 * of how it came to be. Reads are batched: one query for the PEPs of a page of children.
 */
import { z } from 'zod';
import type { Database } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { childId, principalId } from '../validation';
import { PEP_ACTIONS, type PepChange, type PepChangeInput, type PepSnapshot } from './types';

export type { PepAction, PepChange, PepChangeInput, PepSnapshot } from './types';
export { PEP_ACTIONS } from './types';

/** The case system's PEP ids, e.g. "PEP0000123" or "PEP-W00001". */
export const pepId = z.string().regex(/^[A-Za-z0-9-]{1,40}$/);

/** A PEP is a JSON object; a few hundred kB at most (ten targets and their texts are far less). */
const snapshot = z
  .record(z.unknown())
  .refine((value) => JSON.stringify(value).length <= 256_000, { message: 'too large' });

const changeInput = z
  .object({
    pepId,
    childId,
    action: z.enum(PEP_ACTIONS),
    actorSub: principalId,
    actorRoles: z.array(z.string().min(1).max(50)).max(20),
    requestId: z.string().min(1).max(100).nullish(),
    before: snapshot.nullable(),
    after: snapshot,
  })
  .refine((change) => change.action === 'CREATE_DRAFT' || change.before !== null, {
    message: 'only a new draft has no PEP before it',
    path: ['before'],
  });

const pepIds = z.array(pepId).max(10_000);

interface ChangeRow {
  id: string;
  pep_id: string;
  child_id: string;
  action: PepChange['action'];
  changed_at: string;
  actor_sub: string;
  actor_roles: string[];
  request_id: string | null;
  old_pep: string | null;
  new_pep: string;
}

// JSON travels as text both ways: the drivers parse jsonb differently, text they agree on.
const CHANGE_COLUMNS = `id::text AS id, pep_id, child_id, action, ${isoSql('changed_at')} AS changed_at,
  actor_sub, actor_roles, request_id, old_pep::text AS old_pep, new_pep::text AS new_pep`;

export class PepHistoryStore {
  constructor(private readonly db: Database) {}

  /** Appends one change; returns it as stored. */
  async record(input: PepChangeInput): Promise<PepChange> {
    const valid = parseInput(changeInput, input, 'PEP change');
    const { rows } = await this.db.query<ChangeRow>(
      `INSERT INTO pep_change
         (pep_id, child_id, action, actor_sub, actor_roles, request_id, old_pep, new_pep)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7::jsonb, $8::jsonb)
       RETURNING ${CHANGE_COLUMNS}`,
      [
        valid.pepId,
        valid.childId,
        valid.action,
        valid.actorSub,
        valid.actorRoles,
        valid.requestId ?? null,
        valid.before === null ? null : JSON.stringify(valid.before),
        JSON.stringify(valid.after),
      ],
    );
    return toChange(rows[0]!);
  }

  /** Each PEP's changes, oldest first (every id asked for is a key, [] when none). */
  async historyFor(ids: readonly string[]): Promise<Map<string, PepChange[]>> {
    const unique = [...new Set(parseInput(pepIds, ids, 'PEP ids'))];
    const byPep = new Map<string, PepChange[]>(unique.map((id) => [id, []]));
    if (unique.length === 0) return byPep;
    const { rows } = await this.db.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM pep_change
        WHERE pep_id = ANY($1::text[])
        ORDER BY pep_id, changed_at, id`,
      [unique],
    );
    for (const row of rows) byPep.get(row.pep_id)?.push(toChange(row));
    return byPep;
  }
}

function toSnapshot(json: string): PepSnapshot {
  return z.record(z.unknown()).parse(JSON.parse(json));
}

function toChange(row: ChangeRow): PepChange {
  return {
    id: row.id,
    pepId: row.pep_id,
    childId: row.child_id,
    action: row.action,
    changedAt: row.changed_at,
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    requestId: row.request_id,
    before: row.old_pep === null ? null : toSnapshot(row.old_pep),
    after: toSnapshot(row.new_pep),
  };
}
