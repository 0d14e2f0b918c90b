/** Request validation for the finance API (zod), typed against the contracts. */
import { z } from 'zod';
import { MAX_PER_EXPORT, MAX_PER_PAGE } from '../../upstream/common/contract';
import {
  FIN_CLIENT_EXPORT_FIELDS,
  FIN_INCLUDES,
  FIN_SEARCH_INCLUDES,
  type FinClientExport,
  type FinClientSearch,
  type FinCommitmentPost,
  type FinLedgerLine,
  type FinPaymentPost,
} from '../../upstream/finance/contract';
import { pageBodyFields, pageQueryFields } from '../common/paging';
import { exportFieldsSchema } from '../common/projection';
import { idList, isoDate } from '../common/validation';

// The include values each route accepts are the contract's (checked against the OpenAPI file).
export { FIN_INCLUDES, FIN_SEARCH_INCLUDES };

const LEDGER_TYPES = [
  'SPEND',
  'TOPSLICE',
  'ADJUST',
] as const satisfies readonly FinLedgerLine['type'][];

/** A financial year, "2025-26": the second part is the year after the first. */
export const financialYear = z
  .string()
  .regex(/^\d{4}-\d{2}$/, 'fy must look like 2025-26')
  .refine(
    (fy) => (Number(fy.slice(0, 4)) + 1) % 100 === Number(fy.slice(5)),
    'fy must name consecutive years, e.g. 2025-26',
  );

export const clientSearchSchema: z.ZodType<FinClientSearch> = z
  .object({
    client_refs: idList('client_refs', MAX_PER_PAGE).optional(),
    fy: financialYear.optional(),
    include: z.array(z.enum(FIN_SEARCH_INCLUDES)).optional(),
    ...pageBodyFields,
  })
  .strict();

export const ledgerQuerySchema = z
  .object({
    ...pageQueryFields,
    fy: financialYear.optional(),
    urn: z.string().min(1).optional(),
    type: z.enum(LEDGER_TYPES).optional(),
  })
  .strict();

export const allocationsQuerySchema = z
  .object({ ...pageQueryFields, fy: financialYear.optional() })
  .strict();

/** `GET /top-slices`: one financial year, required (a top-slice belongs to a year). */
export const topSlicesQuerySchema = z.object({ fy: financialYear }).strict();

const reference = (name: string) =>
  z.string().min(1, `${name} must not be empty`).max(100, `${name} must be at most 100 characters`);
/** A positive amount in whole pence (at most £1m: no PP+ commitment is near it). */
const pence = z.number().int('must be whole pence').min(1, 'must be at least 1').max(100_000_000);

export const commitmentPostSchema: z.ZodType<FinCommitmentPost> = z
  .object({
    commitment_ref: reference('commitment_ref'),
    client_ref: z.string().regex(/^CLA\/\d+$/, 'client_ref must be CLA/<social care id>'),
    fy: financialYear,
    amount_pence: pence,
    pep_target_id: reference('pep_target_id').nullable(),
    urn: z
      .string()
      .regex(/^\d{6}$/, 'urn must be a URN (6 digits)')
      .nullable(),
  })
  .strict();

export const paymentPostSchema: z.ZodType<FinPaymentPost> = z
  .object({
    payment_ref: reference('payment_ref'),
    paid_on: isoDate,
    amount_pence: pence,
    item: z
      .string()
      .min(1, 'item must not be empty')
      .max(200, 'item must be at most 200 characters')
      .refine((item) => item.trim() !== '', 'item must not be blank'),
  })
  .strict();

/** `GET /commitments`: one client's, of one year when fy is given. */
export const commitmentsQuerySchema = z
  .object({ client_ref: z.string().min(1), fy: financialYear.optional() })
  .strict();

/** `POST /exports/clients`: the clients of a list of references, one financial year. */
export const clientExportSchema = z
  .object({
    client_refs: idList('client_refs', MAX_PER_EXPORT),
    fy: financialYear.optional(),
    include: z.array(z.enum(FIN_INCLUDES)).optional(),
    fields: exportFieldsSchema(FIN_CLIENT_EXPORT_FIELDS).optional(),
  })
  .strict() satisfies z.ZodType<FinClientExport>;
