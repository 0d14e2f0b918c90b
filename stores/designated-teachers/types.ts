/** A designated teacher register entry's details, as the history keeps them. */
export interface DesignatedTeacherDetails {
  title: string | null;
  forename: string;
  surname: string;
  jobTitle: string;
  workEmail: string;
  workPhone: string;
  /** YYYY-MM-DD */
  confirmedOn: string;
}

/** One change to record: who, which school, and the entry before and after. */
export interface DesignatedTeacherChangeInput {
  urn: string;
  actorSub: string;
  actorRoles: string[];
  requestId?: string | null;
  detailsChanged: boolean;
  confirmed: boolean;
  /** Null when the school had no entry. */
  before: DesignatedTeacherDetails | null;
  after: DesignatedTeacherDetails;
}

/** One line of a school's register history. */
export interface DesignatedTeacherChange extends DesignatedTeacherChangeInput {
  id: string;
  /** ISO 8601, UTC. */
  changedAt: string;
  requestId: string | null;
}
