/**
 * The children's social care case system's API (`/api/v1`), in SSDA903 vocabulary: the
 * payloads and the routes CLA Graph calls (`schema/openapi/social-care.yaml`, checked by
 * `contract.test.ts`).
 * Field names in capitals are the 903 return's own; the rest are the case system's.
 * Dates are ISO `YYYY-MM-DD`.
 */
import type { UpstreamRoute } from '../common/contract';

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
}

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

/** The routes CLA Graph calls. */
export const SOCIAL_CARE_ROUTES = {
  childrenSearch: {
    method: 'POST',
    path: '/api/v1/children/search',
    response: 'PagedScChildRecord',
  },
  workersBatch: {
    method: 'POST',
    path: '/api/v1/workers/batch',
    response: 'BatchScWorker',
  },
  health: { method: 'GET', path: '/health', response: 'Health' },
} as const satisfies Record<string, UpstreamRoute>;
