/** Request validation for the finance API (zod), typed against the contracts. */
import { z } from 'zod';
import { MAX_PER_PAGE } from '../../upstream/common/contract';
import type { FinClientSearch, FinInclude, FinLedgerLine } from '../../upstream/finance/contract';
import { pageBodyFields, pageQueryFields } from '../common/paging';
import { idList } from '../common/validation';

export const FIN_INCLUDES = ['allocations', 'ledger'] as const satisfies readonly FinInclude[];

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
    include: z.array(z.enum(FIN_INCLUDES)).optional(),
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
