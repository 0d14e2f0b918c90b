/** What changed a PEP, as the history records it. */
export const PEP_ACTIONS = [
  'CREATE_DRAFT',
  'UPDATE_DRAFT',
  'REVIEW_TARGETS',
  'COMPLETE',
  'QUALITY_ASSURE',
] as const;
export type PepAction = (typeof PEP_ACTIONS)[number];

/**
 * A PEP as the case system held it, kept as the JSON object it was (the history does not
 * depend on the case system's contract, so a field added there is kept without a migration).
 */
export type PepSnapshot = Readonly<Record<string, unknown>>;

/** One change to record: who, which PEP of which child, how, and the PEP before and after. */
export interface PepChangeInput {
  pepId: string;
  childId: string;
  action: PepAction;
  actorSub: string;
  actorRoles: string[];
  requestId?: string | null;
  /** Null for a new draft. */
  before: PepSnapshot | null;
  after: PepSnapshot;
}

/** One line of a PEP's history. */
export interface PepChange extends PepChangeInput {
  id: string;
  /** ISO 8601, UTC. */
  changedAt: string;
  requestId: string | null;
}
