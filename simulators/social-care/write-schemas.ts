/** Request validation for the social care API's write routes (zod), typed against the contracts. */
import { z } from 'zod';
import type {
  ScEnterCare,
  ScLeaveCare,
  ScPepPost,
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
