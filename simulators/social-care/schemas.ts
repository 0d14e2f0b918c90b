/** Request validation for the social care API (zod), typed against the contracts. */
import { z } from 'zod';
import { MAX_PER_PAGE } from '../../upstream/common/contract';
import {
  SC_CHILD_EXPORT_FIELDS,
  type ScChildSearch,
  type ScInclude,
} from '../../upstream/social-care/contract';
import { exportFieldsSchema } from '../common/projection';
import { pageBodyFields } from '../common/paging';
import { idList, includeParam, isoDate } from '../common/validation';

export const SC_INCLUDES = [
  'episodes',
  'placements',
  'peps',
  'worker',
] as const satisfies readonly ScInclude[];

export const childQuerySchema = z
  .object({ include: includeParam(SC_INCLUDES).optional() })
  .strict();

const codes = z.array(z.string().min(1));

export const childSearchSchema: z.ZodType<ScChildSearch> = z
  .object({
    ids: idList('ids', MAX_PER_PAGE).optional(),
    upns: idList('upns', MAX_PER_PAGE).optional(),
    sw_id: z.string().min(1).optional(),
    vs_caseworker_id: z.string().min(1).optional(),
    legal_status: codes.optional(),
    placement_type: codes.optional(),
    out_of_area: z.boolean().optional(),
    uasc: z.boolean().optional(),
    dob_from: isoDate.optional(),
    dob_to: isoDate.optional(),
    include_restricted: z.boolean().optional(),
    current_only: z.boolean().optional(),
    include: z.array(z.enum(SC_INCLUDES)).optional(),
    ...pageBodyFields,
  })
  .strict();

export const workerBatchSchema = z.object({ ids: idList('ids', MAX_PER_PAGE) }).strict();

/** `POST /exports/children`: every child (the search's defaults), with their histories, or `fields` of them. */
export const childExportSchema = z
  .object({
    include_restricted: z.boolean().optional(),
    current_only: z.boolean().optional(),
    include: z.array(z.enum(SC_INCLUDES)).optional(),
    fields: exportFieldsSchema(SC_CHILD_EXPORT_FIELDS).optional(),
  })
  .strict();
