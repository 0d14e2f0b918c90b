/** Request validation for the education API (zod), typed against the contracts. */
import { z } from 'zod';
import { MAX_PER_PAGE } from '../contracts/common';
import type { EdInclude, EdPhase, EdStudentBatch } from '../contracts/education';
import { pageQueryFields } from '../common/paging';
import { booleanParam, idList, includeParam, isoDate, isoTimestamp } from '../common/validation';

export const ED_INCLUDES = [
  'enrolments',
  'attendance',
  'exclusions',
  'sen',
  'attainment',
] as const satisfies readonly EdInclude[];

export const ED_PHASES = [
  'NURSERY',
  'PRIMARY',
  'SECONDARY',
  'ALL_THROUGH',
  'SPECIAL',
  'PRU',
] as const satisfies readonly EdPhase[];

const code = z.string().min(1);

export const schoolsQuerySchema = z
  .object({
    ...pageQueryFields,
    la_code: code.optional(),
    phase: z.enum(ED_PHASES).optional(),
    updated_after: isoTimestamp.optional(),
  })
  .strict();

export const schoolStudentsQuerySchema = z
  .object({
    ...pageQueryFields,
    include: includeParam(ED_INCLUDES).optional(),
    looked_after: booleanParam.optional(),
    updated_after: isoTimestamp.optional(),
  })
  .strict();

export const studentsQuerySchema = z
  .object({
    ...pageQueryFields,
    include: includeParam(ED_INCLUDES).optional(),
    looked_after_la: code.optional(),
    updated_after: isoTimestamp.optional(),
  })
  .strict();

export const studentBatchSchema: z.ZodType<EdStudentBatch> = z
  .object({
    upns: idList('upns', MAX_PER_PAGE),
    include: z.array(z.enum(ED_INCLUDES)).optional(),
  })
  .strict();

export const schoolBatchSchema = z.object({ urns: idList('urns', MAX_PER_PAGE) }).strict();

export const staffBatchSchema = z.object({ ids: idList('ids', MAX_PER_PAGE) }).strict();

export const sessionsQuerySchema = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
  });

export const designatedTeachersQuerySchema = z
  .object({
    ...pageQueryFields,
    la_code: code.optional(),
    updated_after: isoTimestamp.optional(),
  })
  .strict();

export const aggregatesQuerySchema = z
  .object({
    ...pageQueryFields,
    academic_year: z
      .string()
      .regex(/^\d{4}\/\d{2}$/, 'academic_year must look like 2025/26')
      .optional(),
    urn: code.optional(),
  })
  .strict();

export const emptyQuerySchema = z.object({}).strict();
