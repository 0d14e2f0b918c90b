/** Request validation for the education API's write routes (zod), typed against the contracts. */
import { z } from 'zod';
import type {
  EdEnrolmentPost,
  EdExclusionDecision,
  EdExclusionPost,
  EdLeavingPost,
  EdSessionMarkPost,
} from '../../upstream/education/contract';
import { YEAR_GROUPS } from '../../domain/school-calendar';
import { ALL_ATTENDANCE_CODES, EXCLUSION_REASONS } from '../seed/codes';
import { isoDate } from '../common/validation';

const urn = z.string().regex(/^\d{6}$/, 'must be a URN (6 digits)');

export const sessionMarkPostSchema: z.ZodType<EdSessionMarkPost> = z
  .object({
    date: isoDate,
    session: z.enum(['AM', 'PM']),
    code: z
      .string()
      .refine((code) => ALL_ATTENDANCE_CODES.includes(code), 'must be a DfE attendance code'),
    urn,
  })
  .strict();

/** The longest suspension a pupil may have in a school year: 45 school days. */
const MAX_SUSPENSION_SESSIONS = 90;

export const exclusionPostSchema: z.ZodType<EdExclusionPost> = z
  .object({
    category: z.enum(['FIXED', 'PERMANENT']),
    status: z.enum(['PROPOSED', 'MADE', 'WITHDRAWN']),
    urn,
    start_date: isoDate,
    sessions: z.number().int().min(1).max(MAX_SUSPENSION_SESSIONS).nullable(),
    reasons: z
      .array(z.enum(EXCLUSION_REASONS))
      .min(1, 'must give at least one reason')
      .max(3, 'at most three reasons')
      .refine((reasons) => new Set(reasons).size === reasons.length, 'must not repeat a reason'),
  })
  .strict()
  .superRefine((body, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (body.category === 'FIXED') {
      if (body.status !== 'MADE') issue('status', 'a suspension (FIXED) is recorded MADE');
      if (body.sessions === null) issue('sessions', 'a suspension (FIXED) needs its sessions');
    } else {
      if (body.status !== 'PROPOSED') {
        issue('status', 'a permanent exclusion is recorded PROPOSED, then decided');
      }
      if (body.sessions !== null) issue('sessions', 'must be null for a permanent exclusion');
    }
  });

export const exclusionDecisionSchema: z.ZodType<EdExclusionDecision> = z
  .object({ status: z.enum(['MADE', 'WITHDRAWN']) })
  .strict();

export const enrolmentPostSchema: z.ZodType<EdEnrolmentPost> = z
  .object({
    urn,
    year_group: z
      .string()
      .refine((yg) => (YEAR_GROUPS as readonly string[]).includes(yg), 'must be N1 N2 R or 1..13'),
    entry_date: isoDate,
  })
  .strict();

export const leavingPostSchema: z.ZodType<EdLeavingPost> = z
  .object({ urn, leaving_date: isoDate })
  .strict();
