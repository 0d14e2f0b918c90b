/** The social care contract (types and routes) against `schema/openapi/social-care.yaml`. */
import { checkContract } from '../common/contract-check';
import { fieldsOf, OpenApiDocument } from '../common/openapi';
import {
  SC_CHILD_EXPORT_FIELDS,
  SOCIAL_CARE_ROUTES,
  type ScChildExport,
  type ScChange,
  type ScChangePage,
  type ScEnterCare,
  type ScLeaveCare,
  type ScPepAttendee,
  type ScPepCompletePost,
  type ScPepDraftPost,
  type ScPepDraftPut,
  type ScPepPost,
  type ScPepQualityAssurance,
  type ScPepResult,
  type ScPepSignOff,
  type ScPepTargetInput,
  type ScPepTargetReview,
  type ScPepTargetReviewsPost,
  type ScPeriodOfCareRecord,
  type ScPlacementMove,
  type ScWriteResult,
  type ScChild,
  type ScChildRecord,
  type ScChildSearch,
  type ScEpisode,
  type ScPep,
  type ScPepTarget,
  type ScPlacement,
  type ScWorker,
  type ScWorkerBatch,
} from './contract';

const CHILD = {
  CHILD: true,
  SEX: true,
  DOB: true,
  ETHNIC: true,
  UPN: true,
  FORENAME: true,
  SURNAME: true,
  PREFERRED_NAME: true,
  LA: true,
  UASC: true,
  UASC_CEASED: true,
  RESTRICTED: true,
  SW_ID: true,
  VS_CASEWORKER_ID: true,
  DELEGATED_AUTHORITY: true,
  LAST_UPDATED: true,
} as const;

const SCHEMAS: Array<[string, string[]]> = [
  ['ScChild', fieldsOf<ScChild>(CHILD)],
  [
    'ScChildRecord',
    fieldsOf<ScChildRecord>({
      ...CHILD,
      episodes: true,
      placements: true,
      peps: true,
      worker: true,
    }),
  ],
  [
    'ScEpisode',
    fieldsOf<ScEpisode>({
      CHILD: true,
      DECOM: true,
      RNE: true,
      LS: true,
      CIN: true,
      PLACE: true,
      PLACE_PROVIDER: true,
      DEC: true,
      REC: true,
      REASON_PLACE_CHANGE: true,
      HOME_POST: true,
      PL_POST: true,
      URN: true,
      PL_LA: true,
    }),
  ],
  [
    'ScPlacement',
    fieldsOf<ScPlacement>({
      CHILD: true,
      DECOM: true,
      EMERGENCY: true,
      CARER_NAME: true,
      CARER_WORK_PHONE: true,
      CARER_WORK_EMAIL: true,
      ADDRESS_LINE1: true,
      ADDRESS_TOWN: true,
      POSTCODE: true,
    }),
  ],
  [
    'ScWorker',
    fieldsOf<ScWorker>({
      STAFF_ID: true,
      NAME: true,
      ROLE: true,
      TEAM_ID: true,
      TEAM_NAME: true,
      WORK_EMAIL: true,
      WORK_PHONE: true,
    }),
  ],
  [
    'ScPepTarget',
    fieldsOf<ScPepTarget>({
      TARGET_ID: true,
      AREA: true,
      DESCRIPTION: true,
      PP_PLUS_REQUEST_PENCE: true,
      STATUS: true,
      SUCCESS_MEASURE: true,
      OWNER: true,
      REVIEW_DATE: true,
      REVIEW: true,
    }),
  ],
  ['ScPepAttendee', fieldsOf<ScPepAttendee>({ NAME: true, ROLE: true })],
  [
    'ScPepTargetReview',
    fieldsOf<ScPepTargetReview>({
      OUTCOME: true,
      COMMENT: true,
      REVIEWED_ON: true,
      REVIEWED_AT_PEP_ID: true,
    }),
  ],
  ['ScPepSignOff', fieldsOf<ScPepSignOff>({ ROLE: true, NAME: true, SIGNED_ON: true })],
  [
    'ScPepQualityAssurance',
    fieldsOf<ScPepQualityAssurance>({
      RATING: true,
      REASONS: true,
      RATED_BY: true,
      RATED_ON: true,
    }),
  ],
  [
    'ScPepTargetInput',
    fieldsOf<ScPepTargetInput>({
      AREA: true,
      DESCRIPTION: true,
      SUCCESS_MEASURE: true,
      OWNER: true,
      REVIEW_DATE: true,
      PP_PLUS_REQUEST_PENCE: true,
    }),
  ],
  ['ScPepResult', fieldsOf<ScPepResult>({ data: true })],
  [
    'ScPep',
    fieldsOf<ScPep>({
      PEP_ID: true,
      CHILD: true,
      MEETING_DATE: true,
      INITIAL: true,
      STATUS: true,
      SCHOOL_URN: true,
      CHILD_VIEWS: true,
      SUPPORT_STRATEGIES: true,
      TARGETS: true,
      ATTENDEES: true,
      STRENGTHS: true,
      BARRIERS: true,
      SIGN_OFF: true,
      QA: true,
      VERSION: true,
      COMPLETED_ON: true,
    }),
  ],
  [
    'ScPeriodOfCareRecord',
    fieldsOf<ScPeriodOfCareRecord>({ CHILD: true, started: true, ended: true }),
  ],
  ['ScChange', fieldsOf<ScChange>({ change_id: true, changed_at: true, kind: true, record: true })],
  ['ScChangePage', fieldsOf<ScChangePage>({ data: true, meta: true })],
  ['ChangeMeta', fieldsOf<ScChangePage['meta']>({ latest: true, more: true })],
  ['ScEpisodeWriteResult', fieldsOf<ScWriteResult<ScEpisode>>({ data: true, meta: true })],
  ['ScPepWriteResult', fieldsOf<ScWriteResult<ScPep>>({ data: true, meta: true })],
  ['WriteMeta', fieldsOf<ScWriteResult<unknown>['meta']>({ changes: true })],
];

const DRAFT_CONTENT = {
  MEETING_DATE: true,
  SCHOOL_URN: true,
  ATTENDEES: true,
  CHILD_VIEWS: true,
  STRENGTHS: true,
  BARRIERS: true,
  SUPPORT_STRATEGIES: true,
  TARGETS: true,
} as const;

const BODIES: Array<[keyof typeof SOCIAL_CARE_ROUTES, string[]]> = [
  [
    'childrenSearch',
    fieldsOf<ScChildSearch>({
      ids: true,
      upns: true,
      sw_id: true,
      vs_caseworker_id: true,
      legal_status: true,
      placement_type: true,
      out_of_area: true,
      uasc: true,
      dob_from: true,
      dob_to: true,
      include_restricted: true,
      current_only: true,
      include: true,
      page: true,
      per_page: true,
    }),
  ],
  [
    'childrenExport',
    fieldsOf<ScChildExport>({
      include_restricted: true,
      current_only: true,
      include: true,
      fields: true,
    }),
  ],
  ['workersBatch', fieldsOf<ScWorkerBatch>({ ids: true })],
  [
    'movePlacement',
    fieldsOf<ScPlacementMove>({
      DECOM: true,
      PLACE: true,
      PLACE_PROVIDER: true,
      PL_LA: true,
      REASON_PLACE_CHANGE: true,
    }),
  ],
  ['leaveCare', fieldsOf<ScLeaveCare>({ DEC: true, REC: true })],
  [
    'enterCare',
    fieldsOf<ScEnterCare>({
      DECOM: true,
      LS: true,
      CIN: true,
      PLACE: true,
      PLACE_PROVIDER: true,
      PL_LA: true,
    }),
  ],
  ['recordPep', fieldsOf<ScPepPost>({ MEETING_DATE: true, STATUS: true, SCHOOL_URN: true })],
  [
    'createPepDraft',
    fieldsOf<ScPepDraftPost>({
      REQUEST_ID: true,
      ...DRAFT_CONTENT,
    }),
  ],
  ['updatePepDraft', fieldsOf<ScPepDraftPut>({ VERSION: true, ...DRAFT_CONTENT })],
  [
    'reviewPepTargets',
    fieldsOf<ScPepTargetReviewsPost>({ AT_PEP_ID: true, REVIEWED_ON: true, REVIEWS: true }),
  ],
  ['completePep', fieldsOf<ScPepCompletePost>({ COMPLETED_ON: true, SIGN_OFF: true })],
  [
    'qualityAssurePep',
    fieldsOf<ScPepQualityAssurance>({
      RATING: true,
      REASONS: true,
      RATED_BY: true,
      RATED_ON: true,
    }),
  ],
];

describe('the social care contract matches schema/openapi/social-care.yaml', () => {
  checkContract({
    file: 'social-care.yaml',
    routes: SOCIAL_CARE_ROUTES,
    schemas: SCHEMAS,
    bodies: BODIES,
  });

  it('lists the same export fields as the ScChildExportField enum', () => {
    expect(OpenApiDocument.read('social-care.yaml').enumValues('ScChildExportField')).toEqual([
      ...SC_CHILD_EXPORT_FIELDS,
    ]);
  });
});
