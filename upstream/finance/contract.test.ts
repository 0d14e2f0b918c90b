/** The finance contract (types and routes) against `schema/openapi/finance.yaml`. */
import { checkContract } from '../common/contract-check';
import { fieldsOf, OpenApiDocument } from '../common/openapi';
import {
  FIN_CLIENT_EXPORT_FIELDS,
  FIN_INCLUDES,
  FIN_SEARCH_INCLUDES,
  FINANCE_ROUTES,
  type FinAllocation,
  type FinClient,
  type FinClientExport,
  type FinClientPage,
  type FinClientSearch,
  type FinCommitment,
  type FinCommitmentPost,
  type FinCommitmentResult,
  type FinLedgerLine,
  type FinPaymentPost,
  type FinPaymentResult,
  type FinSearchIncluded,
  type FinTopSliceMeta,
  type FinTopSlices,
} from './contract';

const SCHEMAS: Array<[string, string[]]> = [
  [
    'FinAllocation',
    fieldsOf<FinAllocation>({
      client_ref: true,
      fy: true,
      rate_pence: true,
      amount_pence: true,
      status: true,
      cost_centre: true,
    }),
  ],
  [
    'FinLedgerLine',
    fieldsOf<FinLedgerLine>({
      line_id: true,
      client_ref: true,
      fy: true,
      posted_on: true,
      type: true,
      urn: true,
      item: true,
      amount_pence: true,
      pep_target_id: true,
      cost_centre: true,
      school_name: true,
    }),
  ],
  [
    'FinClient',
    fieldsOf<FinClient>({
      client_ref: true,
      cost_centre: true,
      allocations: true,
      ledger: true,
      commitments: true,
    }),
  ],
  [
    'FinCommitment',
    fieldsOf<FinCommitment>({
      commitment_id: true,
      commitment_ref: true,
      client_ref: true,
      fy: true,
      amount_pence: true,
      paid_pence: true,
      pep_target_id: true,
      urn: true,
      status: true,
      created_on: true,
    }),
  ],
  ['FinCommitmentResult', fieldsOf<FinCommitmentResult>({ data: true, meta: true })],
  ['FinCommitmentList', fieldsOf<{ data: FinCommitment[] }>({ data: true })],
  ['FinPaymentResult', fieldsOf<FinPaymentResult>({ data: true, meta: true })],
  ['FinPayment', fieldsOf<FinPaymentResult['data']>({ commitment: true, line: true })],
  [
    'FinTopSliceMeta',
    fieldsOf<FinTopSliceMeta>({ fy: true, allocated_pence: true, top_sliced_pence: true }),
  ],
  ['FinTopSlices', fieldsOf<FinTopSlices>({ data: true, meta: true })],
  ['FinSearchIncluded', fieldsOf<FinSearchIncluded>({ fund_years: true })],
  ['PagedFinClient', fieldsOf<FinClientPage>({ data: true, meta: true, included: true })],
];

const BODIES: Array<[keyof typeof FINANCE_ROUTES, string[]]> = [
  [
    'clientsSearch',
    fieldsOf<FinClientSearch>({
      client_refs: true,
      fy: true,
      include: true,
      page: true,
      per_page: true,
    }),
  ],
  [
    'clientsExport',
    fieldsOf<FinClientExport>({ client_refs: true, fy: true, include: true, fields: true }),
  ],
  [
    'createCommitment',
    fieldsOf<FinCommitmentPost>({
      commitment_ref: true,
      client_ref: true,
      fy: true,
      amount_pence: true,
      pep_target_id: true,
      urn: true,
    }),
  ],
  [
    'recordPayment',
    fieldsOf<FinPaymentPost>({ payment_ref: true, paid_on: true, amount_pence: true, item: true }),
  ],
];

describe('the finance contract matches schema/openapi/finance.yaml', () => {
  checkContract({ file: 'finance.yaml', routes: FINANCE_ROUTES, schemas: SCHEMAS, bodies: BODIES });

  it('lists the same export fields as the FinClientExportField enum', () => {
    expect(OpenApiDocument.read('finance.yaml').enumValues('FinClientExportField')).toEqual([
      ...FIN_CLIENT_EXPORT_FIELDS,
    ]);
  });

  it('lists the same include values as the FinInclude and FinSearchInclude enums', () => {
    const doc = OpenApiDocument.read('finance.yaml');
    expect(doc.enumValues('FinInclude')).toEqual([...FIN_INCLUDES]);
    expect(doc.enumValues('FinSearchInclude')).toEqual([...FIN_SEARCH_INCLUDES]);
  });
});
