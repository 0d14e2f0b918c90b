/**
 * Pupil Premium Plus requests and their history. A request is made once (its id is the
 * caller's requestId, so the same request sent twice is one request), then decided, committed
 * and paid; every change appends who, when, and the request before and after, in the same
 * transaction as the change. Reads are batched: one query for many children.
 */
import { z } from 'zod';
import type { Database, Queryable } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { childId, principalId, urn } from '../validation';
import type {
  CreateOutcome,
  NewPpPlusRequest,
  PpPlusActor,
  PpPlusChangeOutcome,
  PpPlusDecisionInput,
  PpPlusPaymentInput,
  PpPlusRequest,
  PpPlusRequestAction,
  PpPlusRequestEvent,
} from './types';

export type * from './types';

const pence = z.number().int().positive().max(100_000_000);
const text = (max: number) => z.string().trim().min(1).max(max);
const financialYear = z.string().regex(/^\d{4}-\d{2}$/);
const targetId = text(100);

const actor = z.object({
  sub: principalId,
  roles: z.array(z.string().min(1).max(50)).max(20),
  requestId: z.string().min(1).max(100).nullish(),
});

const newRequest = z.object({
  id: z.string().uuid(),
  childId,
  financialYear,
  pepId: text(100),
  pepTargetId: targetId,
  urn: urn.nullable(),
  requestedPence: pence,
  rationale: text(2000),
  actor,
});

const decisionInput = z
  .object({
    decision: z.enum(['APPROVE', 'PART_APPROVE', 'DECLINE']),
    approvedPence: pence.nullable(),
    reason: text(2000),
    commitmentId: text(100).nullable(),
    actor,
  })
  .refine(
    (d) =>
      d.decision === 'DECLINE'
        ? d.approvedPence === null && d.commitmentId === null
        : d.approvedPence !== null && d.commitmentId !== null,
    {
      message: 'an approval has an amount and a commitment; a decline neither',
      path: ['decision'],
    },
  );

const paymentInput = z.object({
  paymentRef: text(100),
  paidPence: z.number().int().min(0).max(100_000_000),
  actor,
});

const uuids = z.array(z.string().uuid()).max(10_000);
const childIds = z.array(childId).max(10_000);

interface RequestRow {
  id: string;
  child_id: string;
  fy: string;
  pep_id: string;
  pep_target_id: string;
  urn: string | null;
  requested_pence: number;
  rationale: string;
  requested_by: string;
  requested_at: string;
  status: PpPlusRequest['status'];
  decision: PpPlusRequest['decision'];
  approved_pence: number | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  commitment_id: string | null;
  paid_pence: number;
}

interface EventRow {
  id: string;
  request_id: string;
  child_id: string;
  action: PpPlusRequestAction;
  actor_sub: string;
  actor_roles: string[];
  gateway_request_id: string | null;
  changed_at: string;
  before: string | null;
  after: string;
  payment_ref: string | null;
}

const REQUEST_COLUMNS = `id::text AS id, child_id, fy, pep_id, pep_target_id, urn, requested_pence,
  rationale, requested_by, ${isoSql('requested_at')} AS requested_at, status, decision,
  approved_pence, decision_reason, decided_by, ${isoSql('decided_at')} AS decided_at,
  commitment_id, paid_pence`;

// JSON travels as text both ways: the drivers parse jsonb differently, text they agree on.
const EVENT_COLUMNS = `id::text AS id, request_id::text AS request_id, child_id, action,
  actor_sub, actor_roles, gateway_request_id, ${isoSql('changed_at')} AS changed_at,
  before::text AS before, after::text AS after, payment_ref`;

/** Requests still open: one per PEP target (the database's unique index says the same). */
const OPEN_STATUSES = `('REQUESTED', 'COMMITTED')`;

export class PpPlusRequestStore {
  constructor(private readonly db: Database) {}

  /**
   * Makes a request, or finds the same request made before (same id, child, target, amount
   * and rationale). Refuses, changing nothing, an id used for another request or a target
   * with an open request.
   */
  async create(input: NewPpPlusRequest): Promise<CreateOutcome> {
    const valid = parseInput(newRequest, input, 'PP+ request');
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<RequestRow>(
        `INSERT INTO pp_plus_request (id, child_id, fy, pep_id, pep_target_id, urn,
           requested_pence, rationale, requested_by)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT DO NOTHING
         RETURNING ${REQUEST_COLUMNS}`,
        [
          valid.id,
          valid.childId,
          valid.financialYear,
          valid.pepId,
          valid.pepTargetId,
          valid.urn,
          valid.requestedPence,
          valid.rationale,
          valid.actor.sub,
        ],
      );
      if (rows[0]) {
        const request = toRequest(rows[0]);
        await appendEvent(tx, request, 'REQUEST', valid.actor, null, request, null);
        return { kind: 'created', request };
      }
      const same = await selectRequest(tx, valid.id);
      if (same) {
        const repeated =
          same.childId === valid.childId &&
          same.pepTargetId === valid.pepTargetId &&
          same.requestedPence === valid.requestedPence &&
          same.rationale === valid.rationale;
        return repeated ? { kind: 'repeated', request: same } : { kind: 'id-taken' };
      }
      const open = await tx.query<{ id: string }>(
        `SELECT id::text AS id FROM pp_plus_request
          WHERE pep_target_id = $1 AND status IN ${OPEN_STATUSES}`,
        [valid.pepTargetId],
      );
      // Neither conflict is there any more (a race): the caller may simply try again.
      if (!open.rows[0]) throw new Error('PP+ request conflict vanished; try again');
      return { kind: 'target-open', openRequestId: open.rows[0].id };
    });
  }

  /** One request, or null. */
  async get(id: string): Promise<PpPlusRequest | null> {
    if (!z.string().uuid().safeParse(id).success) return null;
    return selectRequest(this.db, id);
  }

  /**
   * Records the decision on a REQUESTED request. A request already decided is answered as it
   * stands, `changed: false` (the caller compares it with what it asked for).
   */
  async decide(id: string, input: PpPlusDecisionInput): Promise<PpPlusChangeOutcome | null> {
    const valid = parseInput(decisionInput, input, 'PP+ decision');
    return this.db.transaction(async (tx) => {
      const before = await selectRequest(tx, id, true);
      if (!before) return null;
      if (before.status !== 'REQUESTED') return { request: before, changed: false };
      const { rows } = await tx.query<RequestRow>(
        `UPDATE pp_plus_request
            SET status = $2, decision = $3, approved_pence = $4, decision_reason = $5,
                decided_by = $6, decided_at = now(), commitment_id = $7
          WHERE id = $1::uuid
          RETURNING ${REQUEST_COLUMNS}`,
        [
          id,
          valid.decision === 'DECLINE' ? 'DECLINED' : 'COMMITTED',
          valid.decision,
          valid.approvedPence,
          valid.reason,
          valid.actor.sub,
          valid.commitmentId,
        ],
      );
      const after = toRequest(rows[0]!);
      await appendEvent(tx, after, 'DECIDE', valid.actor, before, after, null);
      return { request: after, changed: true };
    });
  }

  /**
   * Records a payment the finance system has made against the request's commitment: the paid
   * total as the finance system now says, PAID once it reaches the approved amount. A payment
   * reference recorded before is answered as the request stands, `changed: false`.
   */
  async recordPayment(id: string, input: PpPlusPaymentInput): Promise<PpPlusChangeOutcome | null> {
    const valid = parseInput(paymentInput, input, 'PP+ payment');
    return this.db.transaction(async (tx) => {
      const before = await selectRequest(tx, id, true);
      if (!before) return null;
      const seen = await tx.query(
        `SELECT 1 FROM pp_plus_request_event WHERE request_id = $1::uuid AND payment_ref = $2`,
        [id, valid.paymentRef],
      );
      if (seen.rowCount > 0) return { request: before, changed: false };
      if (before.status !== 'COMMITTED' && before.status !== 'PAID') {
        throw new Error('PP+ payment recorded against a request with no commitment');
      }
      const paid = Math.max(before.paidPence, valid.paidPence);
      const { rows } = await tx.query<RequestRow>(
        `UPDATE pp_plus_request
            SET paid_pence = $2,
                status = CASE WHEN $2 >= approved_pence THEN 'PAID' ELSE status END
          WHERE id = $1::uuid
          RETURNING ${REQUEST_COLUMNS}`,
        [id, paid],
      );
      const after = toRequest(rows[0]!);
      await appendEvent(tx, after, 'PAY', valid.actor, before, after, valid.paymentRef);
      return { request: after, changed: true };
    });
  }

  /** Each child's requests of the year, oldest first (every child asked for is a key). */
  async forChildren(ids: readonly string[], fy: string): Promise<Map<string, PpPlusRequest[]>> {
    const unique = [...new Set(parseInput(childIds, ids, 'child ids'))];
    const year = parseInput(financialYear, fy, 'financial year');
    const byChild = new Map<string, PpPlusRequest[]>(unique.map((id) => [id, []]));
    if (unique.length === 0) return byChild;
    const { rows } = await this.db.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM pp_plus_request
        WHERE child_id = ANY($1::text[]) AND fy = $2
        ORDER BY child_id, requested_at, id`,
      [unique, year],
    );
    for (const row of rows) byChild.get(row.child_id)?.push(toRequest(row));
    return byChild;
  }

  /** Each request's history, oldest first (every id asked for is a key). */
  async history(ids: readonly string[]): Promise<Map<string, PpPlusRequestEvent[]>> {
    const unique = [...new Set(parseInput(uuids, ids, 'request ids'))];
    const byRequest = new Map<string, PpPlusRequestEvent[]>(unique.map((id) => [id, []]));
    if (unique.length === 0) return byRequest;
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM pp_plus_request_event
        WHERE request_id = ANY($1::uuid[])
        ORDER BY request_id, changed_at, id`,
      [unique],
    );
    for (const row of rows) byRequest.get(row.request_id)?.push(toEvent(row));
    return byRequest;
  }
}

async function selectRequest(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<PpPlusRequest | null> {
  const { rows } = await db.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS} FROM pp_plus_request WHERE id = $1::uuid${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toRequest(rows[0]) : null;
}

async function appendEvent(
  tx: Queryable,
  request: PpPlusRequest,
  action: PpPlusRequestAction,
  who: PpPlusActor,
  before: PpPlusRequest | null,
  after: PpPlusRequest,
  paymentRef: string | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO pp_plus_request_event
       (request_id, child_id, action, actor_sub, actor_roles, gateway_request_id, before, after,
        payment_ref)
     VALUES ($1::uuid, $2, $3, $4, $5::text[], $6, $7::jsonb, $8::jsonb, $9)`,
    [
      request.id,
      request.childId,
      action,
      who.sub,
      who.roles,
      who.requestId ?? null,
      before === null ? null : JSON.stringify(before),
      JSON.stringify(after),
      paymentRef,
    ],
  );
}

function toRequest(row: RequestRow): PpPlusRequest {
  return {
    id: row.id,
    childId: row.child_id,
    financialYear: row.fy,
    pepId: row.pep_id,
    pepTargetId: row.pep_target_id,
    urn: row.urn,
    requestedPence: Number(row.requested_pence),
    rationale: row.rationale,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    status: row.status,
    decision: row.decision,
    approvedPence: row.approved_pence === null ? null : Number(row.approved_pence),
    decisionReason: row.decision_reason,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    commitmentId: row.commitment_id,
    paidPence: Number(row.paid_pence),
  };
}

function toEvent(row: EventRow): PpPlusRequestEvent {
  return {
    id: row.id,
    requestId: row.request_id,
    childId: row.child_id,
    action: row.action,
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    gatewayRequestId: row.gateway_request_id,
    changedAt: row.changed_at,
    before: row.before === null ? null : (JSON.parse(row.before) as PpPlusRequest),
    after: JSON.parse(row.after) as PpPlusRequest,
    paymentRef: row.payment_ref,
  };
}
