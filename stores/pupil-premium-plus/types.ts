/** A Pupil Premium Plus request against a PEP target, as CLA Graph keeps it. */

/**
 * REQUESTED until decided; DECLINED, or COMMITTED (approved and committed in the finance
 * system in one step); PAID once the finance system has paid the whole approved amount.
 */
export type PpPlusRequestStatus = 'REQUESTED' | 'DECLINED' | 'COMMITTED' | 'PAID';

export type PpPlusDecision = 'APPROVE' | 'PART_APPROVE' | 'DECLINE';

export interface PpPlusRequest {
  /** The caller's requestId (a UUID); the finance system's commitment_ref. */
  id: string;
  childId: string;
  /** "2025-26". */
  financialYear: string;
  pepId: string;
  pepTargetId: string;
  /** The school the PEP was held with, if any. */
  urn: string | null;
  requestedPence: number;
  rationale: string;
  requestedBy: string;
  /** ISO 8601, UTC. */
  requestedAt: string;
  status: PpPlusRequestStatus;
  decision: PpPlusDecision | null;
  approvedPence: number | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  /** The finance system's commitment id, once committed. */
  commitmentId: string | null;
  paidPence: number;
}

/** Who made a change: the token's sub and roles, and the gateway's request id. */
export interface PpPlusActor {
  sub: string;
  roles: string[];
  requestId?: string | null;
}

export interface NewPpPlusRequest {
  id: string;
  childId: string;
  financialYear: string;
  pepId: string;
  pepTargetId: string;
  urn: string | null;
  requestedPence: number;
  rationale: string;
  actor: PpPlusActor;
}

/** What `create` did: made it, found the same request made before, or could not. */
export type CreateOutcome =
  | { kind: 'created' | 'repeated'; request: PpPlusRequest }
  /** The id was already used for a different request. */
  | { kind: 'id-taken' }
  /** The target already has an open (requested or committed) request. */
  | { kind: 'target-open'; openRequestId: string };

export interface PpPlusDecisionInput {
  decision: PpPlusDecision;
  /** Null for a decline. */
  approvedPence: number | null;
  reason: string;
  /** The finance system's commitment (null for a decline). */
  commitmentId: string | null;
  actor: PpPlusActor;
}

export interface PpPlusPaymentInput {
  paymentRef: string;
  /** What the finance system says has now been paid in all (it owns the sum). */
  paidPence: number;
  actor: PpPlusActor;
}

/** A change as it was made: `changed` false when it repeated an earlier one. */
export interface PpPlusChangeOutcome {
  request: PpPlusRequest;
  changed: boolean;
}

export type PpPlusRequestAction = 'REQUEST' | 'DECIDE' | 'PAY';

/** One line of a request's history. */
export interface PpPlusRequestEvent {
  id: string;
  requestId: string;
  childId: string;
  action: PpPlusRequestAction;
  actorSub: string;
  actorRoles: string[];
  gatewayRequestId: string | null;
  /** ISO 8601, UTC. */
  changedAt: string;
  before: PpPlusRequest | null;
  after: PpPlusRequest;
  paymentRef: string | null;
}
