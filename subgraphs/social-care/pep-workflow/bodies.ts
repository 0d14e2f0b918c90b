/**
 * The checked inputs as the case system's request bodies (upstream/social-care/contract.ts):
 * plain renaming, no decisions.
 */
import type {
  ScPepCompletePost,
  ScPepDraftPost,
  ScPepDraftPut,
  ScPepQualityAssurance,
  ScPepTargetReviewsPost,
} from '../../../upstream/social-care/contract';
import type {
  CompleteInput,
  CreateDraftInput,
  DraftContent,
  QualityAssureInput,
  ReviewTargetsInput,
  UpdateDraftInput,
} from './input';

function content(input: DraftContent) {
  return {
    MEETING_DATE: input.meetingDate,
    SCHOOL_URN: input.schoolUrn,
    ATTENDEES: input.attendees.map((attendee) => ({ NAME: attendee.name, ROLE: attendee.role })),
    CHILD_VIEWS: input.childViews,
    STRENGTHS: input.strengths,
    BARRIERS: input.barriers,
    SUPPORT_STRATEGIES: input.supportStrategies,
  };
}

const target = (item: DraftContent['targets'][number]) => ({
  AREA: item.area,
  DESCRIPTION: item.description,
  SUCCESS_MEASURE: item.successMeasure,
  OWNER: item.owner,
  REVIEW_DATE: item.reviewDate,
  PP_PLUS_REQUEST_PENCE: item.pupilPremiumPlusRequestedPence,
});

export function draftPost(input: CreateDraftInput): ScPepDraftPost {
  return { REQUEST_ID: input.requestId, ...content(input), TARGETS: input.targets.map(target) };
}

export function draftPut(input: UpdateDraftInput): ScPepDraftPut {
  return {
    VERSION: input.version,
    ...content(input),
    TARGETS: input.targets.map((item) =>
      item.id === null ? target(item) : { TARGET_ID: item.id, ...target(item) },
    ),
  };
}

export function reviewsPost(input: ReviewTargetsInput): ScPepTargetReviewsPost {
  return {
    AT_PEP_ID: input.atPepId,
    REVIEWED_ON: input.reviewedOn,
    REVIEWS: input.reviews.map((review) => ({
      TARGET_ID: review.targetId,
      OUTCOME: review.outcome,
      COMMENT: review.comment,
    })),
  };
}

export function completePost(input: CompleteInput): ScPepCompletePost {
  return {
    COMPLETED_ON: input.completedOn,
    SIGN_OFF: input.signOff.map((entry) => ({
      ROLE: entry.role,
      NAME: entry.name,
      SIGNED_ON: entry.signedOn,
    })),
  };
}

export function qualityAssurancePost(
  input: QualityAssureInput,
  ratedBy: string,
  today: string,
): ScPepQualityAssurance {
  return { RATING: input.rating, REASONS: input.reasons, RATED_BY: ratedBy, RATED_ON: today };
}
