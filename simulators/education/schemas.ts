/** Request validation for the education API (zod), typed against the contracts. */
import { z } from 'zod';
import { MAX_PER_EXPORT, MAX_PER_PAGE } from '../../upstream/common/contract';
import {
  ED_SCHOOL_EXPORT_FIELDS,
  ED_STUDENT_EXPORT_FIELDS,
  type EdAggregateExport,
  type EdDesignatedTeacherPut,
  type EdInclude,
  type EdPhase,
  type EdRelatedInclude,
  type EdSchoolExport,
  type EdStudentBatch,
  type EdStudentExport,
} from '../../upstream/education/contract';
import { CONTACT_LIMITS, isPlainText, isUkPhone, isWorkEmail } from '../../domain/contact-details';
import { pageQueryFields } from '../common/paging';
import { exportFieldsSchema } from '../common/projection';
import { booleanParam, idList, includeParam, isoDate, isoTimestamp } from '../common/validation';

export const ED_INCLUDES = [
  'enrolments',
  'attendance',
  'exclusions',
  'sen',
  'attainment',
] as const satisfies readonly EdInclude[];

/** What the students batch side-loads under `included` (see EdRelatedInclude). */
export const ED_RELATED_INCLUDES = [
  'schools',
  'designated_teachers',
] as const satisfies readonly EdRelatedInclude[];

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
    /** Only schools with a pupil on roll now whom this authority looks after. */
    looked_after_la: code.optional(),
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
    include: z.array(z.enum([...ED_INCLUDES, ...ED_RELATED_INCLUDES])).optional(),
  })
  .strict();

export const schoolBatchSchema = z.object({ urns: idList('urns', MAX_PER_PAGE) }).strict();

export const staffBatchSchema = z.object({ ids: idList('ids', MAX_PER_PAGE) }).strict();

/** `urn=100001,100002` (or repeated): at most 500 URNs. */
const urnListParam = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) =>
    (Array.isArray(raw) ? raw : [raw])
      .flatMap((part) => part.split(','))
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  )
  .pipe(z.array(z.string().regex(/^\d{6}$/, 'urn must be 6 digits')).max(MAX_PER_PAGE));

export const staffQuerySchema = z
  .object({
    ...pageQueryFields,
    role: z.enum(['HEAD', 'DT', 'TEACHER', 'SENCO', 'GOVERNOR', 'OFFICE']).optional(),
    urn: urnListParam.optional(),
  })
  .strict();

/** Trimmed text with no control characters, 1..max long. */
const contactText = (max: number) =>
  z
    .string()
    .trim()
    .refine((value) => isPlainText(value, max), `must be 1 to ${max} characters of plain text`);

export const designatedTeacherPutSchema: z.ZodType<EdDesignatedTeacherPut, z.ZodTypeDef, unknown> =
  z
    .object({
      title: contactText(CONTACT_LIMITS.title).nullable(),
      forename: contactText(CONTACT_LIMITS.name),
      surname: contactText(CONTACT_LIMITS.name),
      job_title: contactText(CONTACT_LIMITS.jobTitle),
      email: z.string().trim().refine(isWorkEmail, 'must be an e-mail address'),
      phone: z.string().trim().refine(isUkPhone, 'must be a UK telephone number'),
      confirmed_on: isoDate,
    })
    .strict();

export const sessionMarksBatchSchema = z
  .object({ upns: idList('upns', MAX_PER_PAGE), from: isoDate, to: isoDate })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

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

/** The filter of `GET /aggregates`, which `POST /exports/aggregates` takes as its body. */
const aggregatesFilter = {
  academic_year: z
    .string()
    .regex(/^\d{4}\/\d{2}$/, 'academic_year must look like 2025/26')
    .optional(),
  urn: code.optional(),
};

export const aggregatesQuerySchema = z.object({ ...pageQueryFields, ...aggregatesFilter }).strict();

/** `POST /exports/aggregates`: every row the pages of `GET /aggregates` hold, for one filter. */
export const aggregateExportSchema = z
  .object(aggregatesFilter)
  .strict() satisfies z.ZodType<EdAggregateExport>;

export const emptyQuerySchema = z.object({}).strict();

/** `POST /exports/students`: the pupils of a list of UPNs (a statutory-return sized list). */
export const studentExportSchema = z
  .object({
    upns: idList('upns', MAX_PER_EXPORT),
    include: z.array(z.enum(ED_INCLUDES)).optional(),
    fields: exportFieldsSchema(ED_STUDENT_EXPORT_FIELDS).optional(),
  })
  .strict() satisfies z.ZodType<EdStudentExport>;

/** `POST /exports/schools`: the schools of a list of URNs (every school of a report). */
export const schoolExportSchema = z
  .object({
    urns: idList('urns', MAX_PER_EXPORT),
    fields: exportFieldsSchema(ED_SCHOOL_EXPORT_FIELDS).optional(),
  })
  .strict() satisfies z.ZodType<EdSchoolExport>;
