/** A Virtual School's contacts, as the directory holds them (and its history keeps them). */
export interface VirtualSchoolDetails {
  headName: string;
  email: string;
  phone: string;
  /** Where the details came from, e.g. "Confirmed by phone with the Virtual School". */
  source: string;
}

/** One authority's entry: its 3-digit DfE code, the details, and when and by whom it last changed. */
export interface VirtualSchoolEntry extends VirtualSchoolDetails {
  laCode: string;
  /** ISO 8601, UTC, milliseconds. */
  updatedAt: string;
  updatedBy: string;
}

/** Who makes a change: the token's sub and roles, and the gateway's request id. */
export interface VirtualSchoolActor {
  actorSub: string;
  actorRoles: string[];
  requestId?: string | null;
}

/** An entry as it should now stand, and who says so. */
export interface VirtualSchoolUpdateInput extends VirtualSchoolDetails, VirtualSchoolActor {
  laCode: string;
}

export interface VirtualSchoolUpdateResult {
  entry: VirtualSchoolEntry;
  /** False when the entry already stood so: nothing written. */
  changed: boolean;
}

/** One line of an authority's directory history. */
export interface VirtualSchoolChange {
  id: string;
  laCode: string;
  /** ISO 8601, UTC, milliseconds. */
  changedAt: string;
  actorSub: string;
  actorRoles: string[];
  requestId: string | null;
  /** Null when the authority had no entry. */
  before: VirtualSchoolDetails | null;
  after: VirtualSchoolDetails;
}

/** A seeded entry: the details, and when they were recorded (a date or a timestamp). */
export interface SeedVirtualSchool extends VirtualSchoolDetails {
  laCode: string;
  recordedAt: string;
}
