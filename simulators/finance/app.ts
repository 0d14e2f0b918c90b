/** The council's finance system, simulated: `/api/finance/v1`, ledger lines in pence. */
import type { Express } from 'express';
import type { FaultConfig } from '../contracts/common';
import type { FinClient, FinInclude, FinSearchInclude } from '../../upstream/finance/contract';
import type { World } from '../seed/world';
import { createSimulatorApp } from '../common/app';
import { pageQuerySchema, pageRequest, paginate } from '../common/paging';
import { latestToday } from '../common/change-log';
import { parseInput } from '../common/validation';
import { FinanceCommitments } from './commitments';
import {
  allocationsQuerySchema,
  clientExportSchema,
  clientSearchSchema,
  commitmentPostSchema,
  commitmentsQuerySchema,
  FIN_INCLUDES,
  paymentPostSchema,
  ledgerQuerySchema,
  topSlicesQuerySchema,
} from './schemas';
import { sendNdjson } from '../common/ndjson';
import { projectionFor } from '../common/projection';
import { buildFinanceStore } from './store';

const refOrder = new Intl.Collator('en', { numeric: true });

export const FINANCE_PREFIX = '/api/finance/v1';

export interface FinanceSimulatorOptions {
  world: World;
  apiKey: string;
  faults?: Partial<FaultConfig>;
  faultSeed?: number;
}

export function createFinanceSimulator(options: FinanceSimulatorOptions): Express {
  const store = buildFinanceStore(options.world);
  const asOf = options.world.asOf;
  const commitments = new FinanceCommitments(store, () => latestToday(asOf));
  const p = FINANCE_PREFIX;

  return createSimulatorApp(
    {
      system: 'finance',
      apiKey: options.apiKey,
      faults: options.faults,
      faultSeed: options.faultSeed,
      // An export's list (MAX_PER_EXPORT ids) is larger than any other body.
      bodyLimit: '4mb',
    },
    (api) => {
      api.post(`${p}/clients/search`, (req, res) => {
        const paging = parseInput(pageQuerySchema, req.query, 'query');
        const search = parseInput(clientSearchSchema, req.body, 'body');
        const include = new Set<FinSearchInclude>(search.include ?? []);
        const refs = search.client_refs
          ? [...new Set(search.client_refs)]
              .filter((ref) => store.hasClient(ref))
              .sort((a, b) => refOrder.compare(a, b))
          : store.clientRefs;
        const page = paginate(refs, pageRequest(paging, search), req.originalUrl);
        const data = page.data
          .map((ref) => store.client(ref, include, search.fy))
          .filter((client): client is FinClient => client !== undefined);
        // A compound document: the page's fund years once, not repeated on every client.
        const included = include.has('fund_years')
          ? { included: { fund_years: store.fundYears(page.data, search.fy) } }
          : {};
        res.json({ ...page, data, ...included });
      });

      // The clients of a list of references, streamed in the list's order (ndjson.ts).
      api.post(`${p}/exports/clients`, (req, res) => {
        const body = parseInput(clientExportSchema, req.body, 'body');
        const include = new Set<FinInclude>(body.include ?? []);
        const project = projectionFor('client_ref', body.fields, FIN_INCLUDES, include);
        sendNdjson(res, new Set(body.client_refs), (ref) => {
          const client = store.client(ref, include, body.fy);
          return client && project(client);
        });
      });

      api.get(`${p}/ledger`, (req, res) => {
        const q = parseInput(ledgerQuerySchema, req.query, 'query');
        const lines = store.ledger.filter(
          (line) =>
            (q.fy === undefined || line.fy === q.fy) &&
            (q.urn === undefined || line.urn === q.urn) &&
            (q.type === undefined || line.type === q.type),
        );
        res.json(paginate(lines, pageRequest(q), req.originalUrl));
      });

      api.get(`${p}/allocations`, (req, res) => {
        const q = parseInput(allocationsQuerySchema, req.query, 'query');
        const rows = store.allocations.filter((a) => q.fy === undefined || a.fy === q.fy);
        res.json(paginate(rows, pageRequest(q), req.originalUrl));
      });

      api.get(`${p}/top-slices`, (req, res) => {
        const q = parseInput(topSlicesQuerySchema, req.query, 'query');
        res.json(store.topSlices(q.fy));
      });

      // PP+ commitments and their payments (commitments.ts): idempotent by reference.
      api.post(`${p}/commitments`, (req, res) => {
        const body = parseInput(commitmentPostSchema, req.body, 'body');
        const { status, result } = commitments.create(body);
        res.status(status).json(result);
      });

      api.get(`${p}/commitments`, (req, res) => {
        const q = parseInput(commitmentsQuerySchema, req.query, 'query');
        res.json({ data: store.commitments(q.client_ref, q.fy) });
      });

      api.post(`${p}/commitments/:id/payments`, (req, res) => {
        const body = parseInput(paymentPostSchema, req.body, 'body');
        const { status, result } = commitments.pay(req.params.id, body);
        res.status(status).json(result);
      });
    },
  );
}
