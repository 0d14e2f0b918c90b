/**
 * How the information reached us: recorded by the school's designated teacher, or received
 * from the placing authority's CLA Graph with its consent (exchange, issue 15 point 3).
 */
export const PLACED_PUPIL_SOURCES = [
  'RECORDED_BY_SCHOOL',
  'RECEIVED_FROM_PLACING_AUTHORITY',
] as const;
export type PlacedPupilSource = (typeof PLACED_PUPIL_SOURCES)[number];

/**
 * What the placing authority shares with the school about a child it looks after, as the
 * record (and its history) holds it.
 */
export interface PlacedPupilDetails {
  /** The placing authority's 3-digit code (the education system's `looked_after_la`). */
  placingLa: string;
  /** An SSDA903 legal status (LS) code on the current collection year's list, e.g. "C2". */
  legalStatus: string;
  /** Who holds parental responsibility, as the placing authority said. */
  parentalResponsibility: string;
  /** What is delegated to the carers or school; null when nothing was said. */
  delegatedAuthority: string | null;
  socialWorkerName: string;
  /** Work contact: at least one of the two. */
  socialWorkerEmail: string | null;
  socialWorkerPhone: string | null;
  /** YYYY-MM-DD, or null when not known. */
  lastPepDate: string | null;
  nextPepDate: string | null;
  /** The placing authority consented to the school holding this. */
  placingAuthorityConsent: boolean;
  source: PlacedPupilSource;
}

/** One pupil's record at one school, and when and by whom it last changed. */
export interface PlacedPupilRecord extends PlacedPupilDetails {
  urn: string;
  upn: string;
  /** ISO 8601, UTC, milliseconds. */
  updatedAt: string;
  updatedBy: string;
}

/** Who makes a change: the token's sub and roles, and the gateway's request id. */
export interface PlacedPupilActor {
  actorSub: string;
  actorRoles: string[];
  requestId?: string | null;
}

/** A record as it should now stand, and who says so. */
export interface PlacedPupilRecordInput extends PlacedPupilDetails, PlacedPupilActor {
  urn: string;
  upn: string;
}

export interface PlacedPupilRecordResult {
  record: PlacedPupilRecord;
  /** False when the record already stood so: nothing written. */
  changed: boolean;
}

/** One line of a pupil's history at a school. */
export interface PlacedPupilChange {
  id: string;
  urn: string;
  upn: string;
  /** ISO 8601, UTC, milliseconds. */
  changedAt: string;
  actorSub: string;
  actorRoles: string[];
  requestId: string | null;
  /** Null when there was no record. */
  before: PlacedPupilDetails | null;
  after: PlacedPupilDetails;
}

/** A (school, pupil) pair: the key of a record. */
export interface PlacedPupilKey {
  urn: string;
  upn: string;
}
