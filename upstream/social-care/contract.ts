/**
 * The children's social care case system's API (`/api/v1`), in SSDA903 vocabulary: the
 * payloads and the routes CLA Graph calls (`schema/openapi/social-care.yaml`, checked by
 * `contract.test.ts`).
 * Field names in capitals are the 903 return's own; the rest are the case system's.
 * Dates are ISO `YYYY-MM-DD`.
 */
import type { UpstreamRoute } from '../common/contract';
import { exportFields, type ExportField } from '../common/export-fields';

/** 903 header plus what the case system keeps about the child beside it. */
export interface ScChild {
  CHILD: string;
  /** 903 SEX: 1 male, 2 female. */
  SEX: '1' | '2';
  DOB: string;
  /** 903 ethnicity code, e.g. WBRI, MWBC, ASIN, BCRB, OOTH, REFU, NOBT. */
  ETHNIC: string;
  /** 13-character UPN, or UN1..UN5 when unknown. */
  UPN: string;
  FORENAME: string;
  SURNAME: string;
  PREFERRED_NAME: string | null;
  /** The responsible (looking-after) authority: always this authority's code here. */
  LA: string;
  UASC: boolean;
  /** Date UASC status ceased, if it has. */
  UASC_CEASED: string | null;
  /** Sensitive case (adoption, protection): only the VSH and the allocated social worker may know. */
  RESTRICTED: boolean;
  /** Staff id of the allocated social worker. */
  SW_ID: string | null;
  /** Staff id of the virtual school caseworker (officer) allocated to the child. */
  VS_CASEWORKER_ID: string | null;
  /** What the carer has delegated authority to sign (e.g. 'SCHOOL_TRIPS'). */
  DELEGATED_AUTHORITY: string[];
  LAST_UPDATED: string;
}

/** One 903 episode of care. The current episode is the one with no DEC. */
export interface ScEpisode {
  CHILD: string;
  DECOM: string;
  /** Reason for new episode: S L P T U B. */
  RNE: string;
  /** Legal status: C1 C2 D1 E1 J1 J2 J3 L1 L2 L3 V2 V3 V4. */
  LS: string;
  /** Category of need N1..N8. */
  CIN: string;
  /** Placement type, 2025-26 list plus historic H5 P2 Z1. */
  PLACE: string;
  /** PR0..PR5. */
  PLACE_PROVIDER: string;
  DEC: string | null;
  /** Reason episode ceased, e.g. E11, E4A, X1. */
  REC: string | null;
  REASON_PLACE_CHANGE: string | null;
  /** Home postcode, partial (outward code and sector), as 903 holds it. Confidential. */
  HOME_POST: string | null;
  /** Placement postcode, partial. Confidential. */
  PL_POST: string | null;
  /** Ofsted URN of the placement provider (children's homes), or 'SC999999' style; not a school. */
  URN: string | null;
  /** Code of the local authority the placement is in. */
  PL_LA: string;
}

/**
 * Placement detail the case system holds beside the 903 episode: the carer, the address, and
 * whether it was an emergency placement.
 */
export interface ScPlacement {
  CHILD: string;
  DECOM: string;
  /**
   * An emergency placement (made the day the need arose, without the usual planning): the
   * first PEP of a period of care begun by one is due in 10 working days, not 20 school days.
   */
  EMERGENCY: boolean;
  CARER_NAME: string;
  CARER_WORK_PHONE: string | null;
  CARER_WORK_EMAIL: string | null;
  /** Full placement address. Confidential: never shown to school staff. */
  ADDRESS_LINE1: string;
  ADDRESS_TOWN: string;
  POSTCODE: string;
}

export interface ScWorker {
  STAFF_ID: string;
  NAME: string;
  /** SW social worker, VSO virtual school officer, VSH virtual school head, TM team manager. */
  ROLE: 'SW' | 'VSO' | 'VSH' | 'TM';
  TEAM_ID: string;
  TEAM_NAME: string;
  WORK_EMAIL: string;
  WORK_PHONE: string;
}

export interface ScPepTarget {
  TARGET_ID: string;
  AREA: string;
  DESCRIPTION: string;
  /** PP+ requested for this target, in pence. */
  PP_PLUS_REQUEST_PENCE: number;
  STATUS: 'NOT_STARTED' | 'IN_PROGRESS' | 'ACHIEVED';
  /** How everyone will know the target is met (SMART). */
  SUCCESS_MEASURE: string | null;
  /** Who is responsible for the target. */
  OWNER: string | null;
  /** When the target is to be reviewed (normally the next PEP meeting). */
  REVIEW_DATE: string | null;
  /** The review of this target at a later PEP meeting, once there has been one. */
  REVIEW: ScPepTargetReview | null;
}

/** Someone at the PEP meeting, in their role there. */
export interface ScPepAttendee {
  NAME: string;
  ROLE:
    | 'CHILD'
    | 'CARER'
    | 'DESIGNATED_TEACHER'
    | 'SOCIAL_WORKER'
    | 'VIRTUAL_SCHOOL'
    | 'PARENT'
    | 'OTHER';
}

/** A target of a completed PEP reviewed at the meeting of a later PEP (REVIEWED_AT_PEP_ID). */
export interface ScPepTargetReview {
  OUTCOME: 'MET' | 'PARTLY_MET' | 'NOT_MET';
  COMMENT: string;
  REVIEWED_ON: string;
  REVIEWED_AT_PEP_ID: string;
}

/** A sign-off of a completed PEP: the role, the person's name, the day. */
export interface ScPepSignOff {
  ROLE: 'DESIGNATED_TEACHER' | 'SOCIAL_WORKER' | 'VIRTUAL_SCHOOL';
  NAME: string;
  SIGNED_ON: string;
}

/**
 * The Virtual School's quality assurance of a completed PEP: GREEN or AMBER approves it
 * (QA_APPROVED); RED returns it (it stays COMPLETE, with this rating).
 */
export interface ScPepQualityAssurance {
  RATING: 'RED' | 'AMBER' | 'GREEN';
  REASONS: string;
  RATED_BY: string;
  RATED_ON: string;
}

export interface ScPep {
  PEP_ID: string;
  CHILD: string;
  /** Date of the PEP meeting (the first PEP's, or the review's). */
  MEETING_DATE: string;
  /** True for the first PEP after entering care. */
  INITIAL: boolean;
  STATUS: 'DRAFT' | 'COMPLETE' | 'QA_APPROVED';
  /** URN of the school the PEP was held with, if any. */
  SCHOOL_URN: string | null;
  CHILD_VIEWS: string | null;
  /** Classroom support strategies the child agreed may be shared with school staff. */
  SUPPORT_STRATEGIES: string[];
  TARGETS: ScPepTarget[];
  ATTENDEES: ScPepAttendee[];
  STRENGTHS: string | null;
  BARRIERS: string | null;
  SIGN_OFF: ScPepSignOff[];
  QA: ScPepQualityAssurance | null;
  /** Whole number from 1, one up at each change of a draft (optimistic concurrency). */
  VERSION: number;
  COMPLETED_ON: string | null;
}

/**
 * What the workflow's fields hold on a PEP recorded without it (seeded, typed in elsewhere, or
 * `POST /children/{id}/peps`): no attendees, sign-off or QA recorded, VERSION 1.
 */
export const SC_PEP_DEFAULTS = {
  ATTENDEES: [],
  STRENGTHS: null,
  BARRIERS: null,
  SIGN_OFF: [],
  QA: null,
  VERSION: 1,
  COMPLETED_ON: null,
} as const satisfies Partial<ScPep>;

/** The same for a target: no SMART detail and no review recorded. */
export const SC_PEP_TARGET_DEFAULTS = {
  SUCCESS_MEASURE: null,
  OWNER: null,
  REVIEW_DATE: null,
  REVIEW: null,
} as const satisfies Partial<ScPepTarget>;

/** What `include=` may add to a child record. */
export type ScInclude = 'episodes' | 'placements' | 'peps' | 'worker';

/** A child record with the parts asked for by `include`. */
export interface ScChildRecord extends ScChild {
  episodes?: ScEpisode[];
  placements?: ScPlacement[];
  peps?: ScPep[];
  worker?: ScWorker | null;
}

/**
 * Body of `POST /api/v1/children/search`: every filter optional, combined with AND.
 * `ids` or `upns` turn it into a batch look-up (at most MAX_PER_PAGE).
 */
/** A name `fields` of `POST /api/v1/exports/children` may hold (export-fields.ts). */
export type ScChildExportField = ExportField<ScChildRecord>;

/** Every ScChildExportField (the OpenAPI file's `ScChildExportField` enum). */
export const SC_CHILD_EXPORT_FIELDS = exportFields<ScChildRecord>()([
  'CHILD',
  'SEX',
  'DOB',
  'ETHNIC',
  'UPN',
  'FORENAME',
  'SURNAME',
  'PREFERRED_NAME',
  'LA',
  'UASC',
  'UASC_CEASED',
  'RESTRICTED',
  'SW_ID',
  'VS_CASEWORKER_ID',
  'DELEGATED_AUTHORITY',
  'LAST_UPDATED',
  'episodes',
  'episodes.CHILD',
  'episodes.DECOM',
  'episodes.RNE',
  'episodes.LS',
  'episodes.CIN',
  'episodes.PLACE',
  'episodes.PLACE_PROVIDER',
  'episodes.DEC',
  'episodes.REC',
  'episodes.REASON_PLACE_CHANGE',
  'episodes.HOME_POST',
  'episodes.PL_POST',
  'episodes.URN',
  'episodes.PL_LA',
  'placements',
  'placements.CHILD',
  'placements.DECOM',
  'placements.EMERGENCY',
  'placements.CARER_NAME',
  'placements.CARER_WORK_PHONE',
  'placements.CARER_WORK_EMAIL',
  'placements.ADDRESS_LINE1',
  'placements.ADDRESS_TOWN',
  'placements.POSTCODE',
  'peps',
  'peps.PEP_ID',
  'peps.CHILD',
  'peps.MEETING_DATE',
  'peps.INITIAL',
  'peps.STATUS',
  'peps.SCHOOL_URN',
  'peps.CHILD_VIEWS',
  'peps.SUPPORT_STRATEGIES',
  'peps.TARGETS',
  'peps.ATTENDEES',
  'peps.STRENGTHS',
  'peps.BARRIERS',
  'peps.SIGN_OFF',
  'peps.QA',
  'peps.VERSION',
  'peps.COMPLETED_ON',
  'worker',
  'worker.STAFF_ID',
  'worker.NAME',
  'worker.ROLE',
  'worker.TEAM_ID',
  'worker.TEAM_NAME',
  'worker.WORK_EMAIL',
  'worker.WORK_PHONE',
]);

/** Body of `POST /api/v1/exports/children` (the search's defaults: current, not restricted). */
export interface ScChildExport {
  include_restricted?: boolean;
  current_only?: boolean;
  include?: ScInclude[];
  /**
   * Only these fields of each record (and CHILD, always): a part's fields only with the part
   * in `include`. Absent: every field.
   */
  fields?: ScChildExportField[];
}

export interface ScChildSearch {
  ids?: string[];
  upns?: string[];
  sw_id?: string;
  vs_caseworker_id?: string;
  /** Current episode's legal status in this list. */
  legal_status?: string[];
  /** Current episode's placement type in this list. */
  placement_type?: string[];
  /** Current placement outside this authority's area. */
  out_of_area?: boolean;
  uasc?: boolean;
  dob_from?: string;
  dob_to?: string;
  /** Restricted records are left out unless this is true. */
  include_restricted?: boolean;
  /** Only children currently looked after (current episode open). Default true. */
  current_only?: boolean;
  include?: ScInclude[];
  page?: number;
  per_page?: number;
}

/** Body of `POST /api/v1/workers/batch` (at most MAX_PER_PAGE ids). */
export interface ScWorkerBatch {
  ids: string[];
}

/** A period of care begun (`started`, RNE S) or ended (`ended`, DEC and REC set): one is null. */
export type ScPeriodOfCareRecord =
  | { CHILD: string; started: ScEpisode; ended: null }
  | { CHILD: string; started: null; ended: ScEpisode };

interface ScChangeStamp {
  /** Whole number from 1, in the order the changes were made; never reused. */
  change_id: number;
  /** When the system recorded the change (wall-clock, ISO date-time). */
  changed_at: string;
}

/**
 * One entry of `GET /api/v1/changes`: a change made through the write routes. A placement
 * move logs two `placement` entries, the episode ended (DEC set, REC X1) and then the new one
 * (RNE P, DEC null); a PEP recorded or its status changed logs the PEP as it now stands.
 */
export type ScChange = ScChangeStamp &
  (
    | { kind: 'placement'; record: ScEpisode }
    | { kind: 'period_of_care'; record: ScPeriodOfCareRecord }
    | { kind: 'pep'; record: ScPep }
  );

export type ScChangeKind = ScChange['kind'];

/**
 * What `GET /api/v1/changes?updated_after=<change_id>&limit=<n>` answers: the changes after
 * the cursor in change_id order; `latest` the highest change_id so far (0 when none), `more`
 * true when entries after the last one here exist.
 */
export interface ScChangePage {
  data: ScChange[];
  meta: { latest: number; more: boolean };
}

/**
 * Body of `POST /api/v1/children/{id}/placements`: a move to a new placement on DECOM. The
 * current episode ends that day (REC X1, with the reason for the change); a new one begins
 * with the same legal status and category of need.
 */
export interface ScPlacementMove {
  DECOM: string;
  PLACE: string;
  PLACE_PROVIDER: string;
  PL_LA: string;
  REASON_PLACE_CHANGE: string;
}

/** Body of `POST /api/v1/children/{id}/leave-care`: the current episode ends, care ceases. */
export interface ScLeaveCare {
  DEC: string;
  /** A reason care ceased (not X1, which means the child remains looked after). */
  REC: string;
}

/** Body of `POST /api/v1/children/{id}/enter-care`: a new period of care (RNE S). */
export interface ScEnterCare {
  DECOM: string;
  LS: string;
  CIN: string;
  PLACE: string;
  PLACE_PROVIDER: string;
  PL_LA: string;
}

/**
 * Body of `POST /api/v1/children/{id}/peps`: a PEP meeting recorded, or the status of the one
 * on that date changed (one PEP per child and meeting date).
 */
export interface ScPepPost {
  MEETING_DATE: string;
  STATUS: ScPep['STATUS'];
  SCHOOL_URN: string | null;
}

/** A target as a draft PEP is written: what the meeting set (the system keeps its STATUS). */
export interface ScPepTargetInput {
  AREA: string;
  DESCRIPTION: string;
  SUCCESS_MEASURE: string | null;
  OWNER: string | null;
  REVIEW_DATE: string | null;
  PP_PLUS_REQUEST_PENCE: number;
}

/** What a draft PEP holds, as it is written (create or update). */
interface ScPepDraftContent {
  MEETING_DATE: string;
  SCHOOL_URN: string | null;
  ATTENDEES: ScPepAttendee[];
  CHILD_VIEWS: string | null;
  STRENGTHS: string | null;
  BARRIERS: string | null;
  SUPPORT_STRATEGIES: string[];
}

/**
 * Body of `POST /api/v1/children/{id}/pep-drafts`: a new DRAFT PEP for a meeting of a child
 * looked after now. REQUEST_ID (a uuid) makes it idempotent: the same again answers the PEP
 * it made (whatever the body and child: the caller compares CHILD), and changes nothing.
 */
export interface ScPepDraftPost extends ScPepDraftContent {
  REQUEST_ID: string;
  TARGETS: ScPepTargetInput[];
}

/**
 * Body of `PUT /api/v1/peps/{pepId}`: the whole draft as it now stands. VERSION is the one
 * read (409 STALE_VERSION otherwise); a target with TARGET_ID keeps its id, one without is
 * new, one left out is removed.
 */
export interface ScPepDraftPut extends ScPepDraftContent {
  VERSION: number;
  TARGETS: Array<ScPepTargetInput & { TARGET_ID?: string }>;
}

/**
 * Body of `POST /api/v1/peps/{pepId}/target-reviews`: targets of this (completed) PEP
 * reviewed at the meeting of the later PEP AT_PEP_ID of the same child.
 */
export interface ScPepTargetReviewsPost {
  AT_PEP_ID: string;
  REVIEWED_ON: string;
  REVIEWS: Array<{ TARGET_ID: string; OUTCOME: ScPepTargetReview['OUTCOME']; COMMENT: string }>;
}

/**
 * Body of `POST /api/v1/peps/{pepId}/complete`: DRAFT to COMPLETE, signed off by the designated
 * teacher and the social worker at least.
 */
export interface ScPepCompletePost {
  COMPLETED_ON: string;
  SIGN_OFF: ScPepSignOff[];
}

/**
 * Why the system refused a write with 409 (`error.code`): NOT_DRAFT (only a draft changes so),
 * STALE_VERSION (changed since read), NOT_COMPLETE (only a completed PEP is reviewed or
 * quality-assured), INCOMPLETE (no attendee, target, child's views or sign-off to complete),
 * NOT_LOOKED_AFTER (a draft for a child not looked after now), ALREADY_COMPLETE (completed
 * otherwise before).
 */
export type ScPepConflictCode =
  | 'NOT_DRAFT'
  | 'STALE_VERSION'
  | 'NOT_COMPLETE'
  | 'INCOMPLETE'
  | 'NOT_LOOKED_AFTER'
  | 'ALREADY_COMPLETE';

/** What `GET /api/v1/peps/{pepId}` answers. */
export interface ScPepResult {
  data: ScPep;
}

/** What a write route answers: the record now, and the change_ids it logged (none: no change). */
export interface ScWriteResult<T> {
  data: T;
  meta: { changes: number[] };
}

/** The routes CLA Graph calls. */
export const SOCIAL_CARE_ROUTES = {
  childrenSearch: {
    method: 'POST',
    path: '/api/v1/children/search',
    response: 'PagedScChildRecord',
  },
  /** NDJSON, one ScChildRecord a line (a bulk export: `streamLines`). */
  childrenExport: { method: 'POST', path: '/api/v1/exports/children' },
  workersBatch: {
    method: 'POST',
    path: '/api/v1/workers/batch',
    response: 'BatchScWorker',
  },
  changes: {
    method: 'GET',
    path: '/api/v1/changes',
    query: ['updated_after', 'limit'],
    response: 'ScChangePage',
  },
  movePlacement: {
    method: 'POST',
    path: '/api/v1/children/{id}/placements',
    response: 'ScEpisodeWriteResult',
  },
  leaveCare: {
    method: 'POST',
    path: '/api/v1/children/{id}/leave-care',
    response: 'ScEpisodeWriteResult',
  },
  enterCare: {
    method: 'POST',
    path: '/api/v1/children/{id}/enter-care',
    response: 'ScEpisodeWriteResult',
  },
  recordPep: {
    method: 'POST',
    path: '/api/v1/children/{id}/peps',
    response: 'ScPepWriteResult',
  },
  createPepDraft: {
    method: 'POST',
    path: '/api/v1/children/{id}/pep-drafts',
    response: 'ScPepWriteResult',
  },
  updatePepDraft: {
    method: 'PUT',
    path: '/api/v1/peps/{pepId}',
    response: 'ScPepWriteResult',
  },
  pep: { method: 'GET', path: '/api/v1/peps/{pepId}', response: 'ScPepResult' },
  reviewPepTargets: {
    method: 'POST',
    path: '/api/v1/peps/{pepId}/target-reviews',
    response: 'ScPepWriteResult',
  },
  completePep: {
    method: 'POST',
    path: '/api/v1/peps/{pepId}/complete',
    response: 'ScPepWriteResult',
  },
  qualityAssurePep: {
    method: 'POST',
    path: '/api/v1/peps/{pepId}/quality-assurance',
    response: 'ScPepWriteResult',
  },
  health: { method: 'GET', path: '/health', response: 'Health' },
} as const satisfies Record<string, UpstreamRoute>;
