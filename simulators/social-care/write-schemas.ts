/** Request validation for the social care API's write routes (zod), typed against the contracts. */
import { z } from 'zod';
import type {
  ScEnterCare,
  ScLeaveCare,
  ScPepAttendee,
  ScPepCompletePost,
  ScPepDraftPost,
  ScPepDraftPut,
  ScPepPost,
  ScPepQualityAssurance,
  ScPepSignOff,
  ScPepTargetReviewsPost,
  ScPlacementMove,
} from '../../upstream/social-care/contract';
import {
  CIN_CODES,
  LEGAL_STATUS_CODES,
  PLACE_PROVIDER_CODES,
  PLACEMENT_CODES,
  REASON_PLACE_CHANGE_CODES,
  REC_CODES,
} from '../seed/codes';
import { isoDate } from '../common/validation';

const laCode = z.string().regex(/^\d{3}$/, 'must be a local authority code (3 digits)');

export const placementMoveSchema: z.ZodType<ScPlacementMove> = z
  .object({
    DECOM: isoDate,
    PLACE: z.enum(PLACEMENT_CODES),
    PLACE_PROVIDER: z.enum(PLACE_PROVIDER_CODES),
    PL_LA: laCode,
    REASON_PLACE_CHANGE: z.enum(REASON_PLACE_CHANGE_CODES),
  })
  .strict();

export const leaveCareSchema: z.ZodType<ScLeaveCare> = z
  .object({
    DEC: isoDate,
    REC: z
      .enum(REC_CODES)
      .refine((rec) => rec !== 'X1', 'X1 means the child remains looked after: not leaving care'),
  })
  .strict();

export const enterCareSchema: z.ZodType<ScEnterCare> = z
  .object({
    DECOM: isoDate,
    LS: z.enum(LEGAL_STATUS_CODES),
    CIN: z.enum(CIN_CODES),
    PLACE: z.enum(PLACEMENT_CODES),
    PLACE_PROVIDER: z.enum(PLACE_PROVIDER_CODES),
    PL_LA: laCode,
  })
  .strict();

export const pepPostSchema: z.ZodType<ScPepPost> = z
  .object({
    MEETING_DATE: isoDate,
    STATUS: z.enum(['DRAFT', 'COMPLETE', 'QA_APPROVED']),
    SCHOOL_URN: z
      .string()
      .regex(/^\d{6}$/, 'must be a URN (6 digits)')
      .nullable(),
  })
  .strict();

// The PEP workflow's bodies. Free text is trimmed of nothing but must not be blank where it is
// required; a wrong field anywhere is named by its path (TARGETS.0.AREA) in the 400's `fields`.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => v.trim() !== '', {
      message: 'must not be blank',
    });
const optionalText = (max: number) => text(max).nullable();
const urn = z
  .string()
  .regex(/^\d{6}$/, 'must be a URN (6 digits)')
  .nullable();
const pence = z.number().int('must be whole pence').min(0).max(100_000_000);

const attendeeSchema: z.ZodType<ScPepAttendee> = z
  .object({
    NAME: text(200),
    ROLE: z.enum([
      'CHILD',
      'CARER',
      'DESIGNATED_TEACHER',
      'SOCIAL_WORKER',
      'VIRTUAL_SCHOOL',
      'PARENT',
      'OTHER',
    ]),
  })
  .strict();

const targetFields = {
  AREA: text(100),
  DESCRIPTION: text(2000),
  SUCCESS_MEASURE: optionalText(2000),
  OWNER: optionalText(200),
  REVIEW_DATE: isoDate.nullable(),
  PP_PLUS_REQUEST_PENCE: pence,
};

const draftFields = {
  MEETING_DATE: isoDate,
  SCHOOL_URN: urn,
  ATTENDEES: z.array(attendeeSchema).max(30),
  CHILD_VIEWS: optionalText(5000),
  STRENGTHS: optionalText(5000),
  BARRIERS: optionalText(5000),
  SUPPORT_STRATEGIES: z.array(text(500)).max(20),
};

export const pepDraftPostSchema: z.ZodType<ScPepDraftPost> = z
  .object({
    REQUEST_ID: z.string().uuid('must be a uuid'),
    ...draftFields,
    TARGETS: z.array(z.object(targetFields).strict()).max(20),
  })
  .strict();

export const pepDraftPutSchema: z.ZodType<ScPepDraftPut> = z
  .object({
    VERSION: z.number().int().min(1),
    ...draftFields,
    TARGETS: z
      .array(
        z.object({ TARGET_ID: z.string().min(1).max(100).optional(), ...targetFields }).strict(),
      )
      .max(20),
  })
  .strict();

export const pepTargetReviewsSchema: z.ZodType<ScPepTargetReviewsPost> = z
  .object({
    AT_PEP_ID: z.string().min(1).max(100),
    REVIEWED_ON: isoDate,
    REVIEWS: z
      .array(
        z
          .object({
            TARGET_ID: z.string().min(1).max(100),
            OUTCOME: z.enum(['MET', 'PARTLY_MET', 'NOT_MET']),
            COMMENT: text(2000),
          })
          .strict(),
      )
      .min(1, 'must review at least one target')
      .max(20),
  })
  .strict();

const signOffSchema: z.ZodType<ScPepSignOff> = z
  .object({
    ROLE: z.enum(['DESIGNATED_TEACHER', 'SOCIAL_WORKER', 'VIRTUAL_SCHOOL']),
    NAME: text(200),
    SIGNED_ON: isoDate,
  })
  .strict();

export const pepCompleteSchema: z.ZodType<ScPepCompletePost> = z
  .object({ COMPLETED_ON: isoDate, SIGN_OFF: z.array(signOffSchema).max(10) })
  .strict();

export const pepQualityAssuranceSchema: z.ZodType<ScPepQualityAssurance> = z
  .object({
    RATING: z.enum(['RED', 'AMBER', 'GREEN']),
    REASONS: text(5000),
    RATED_BY: text(200),
    RATED_ON: isoDate,
  })
  .strict();
