/** A child's agreement that a named member of school staff may know they are looked after. */
export interface Grant {
  id: string;
  childId: string;
  /** Education system staff id of the member of staff told. */
  staffId: string;
  /** The school the member of staff was told at. */
  urn: string;
  /** Who recorded it (the designated teacher's id). */
  grantedBy: string;
  /** ISO 8601, UTC. */
  grantedAt: string;
  reason: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** One line of a child's need-to-know history. */
export interface GrantEvent {
  id: string;
  grantId: string;
  childId: string;
  staffId: string;
  urn: string;
  action: 'GRANT' | 'REVOKE';
  actor: string;
  /** ISO 8601, UTC. */
  at: string;
  reason: string;
}

export interface GrantInput {
  childId: string;
  staffId: string;
  urn: string;
  /** The designated teacher recording the grant. */
  actor: string;
  reason: string;
}

export interface RevokeInput {
  childId: string;
  staffId: string;
  /**
   * The schools whose grants the caller may revoke (where they are the child's designated
   * teacher). A grant made at any other school is neither revoked nor returned.
   */
  urns: string[];
  actor: string;
  reason: string;
}

/** A grant as the seeded world holds it (`World['needToKnow']`). */
export interface SeedGrant {
  childId: string;
  staffId: string;
  urn: string;
  grantedBy: string;
  /** ISO timestamp, or a date (`YYYY-MM-DD`), which means midnight UTC. */
  grantedAt: string;
  reason: string;
}

/**
 * A grant for another authority's pupil on one of our schools' rolls (issue 15): our social
 * care system has no record of them, so the grant names them by UPN.
 */
export type PupilGrant = Omit<Grant, 'childId'> & { upn: string };

/** One line of a pupil's need-to-know history. */
export type PupilGrantEvent = Omit<GrantEvent, 'childId'> & { upn: string };

export type PupilGrantInput = Omit<GrantInput, 'childId'> & { upn: string };

export type PupilRevokeInput = Omit<RevokeInput, 'childId'> & { upn: string };
