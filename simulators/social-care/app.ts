/** The children's social care case system, simulated: `/api/v1`, SSDA903 vocabulary. */
import type { Express } from 'express';
import type { FaultConfig } from '../contracts/common';
import type { ScChildRecord, ScInclude } from '../../upstream/social-care/contract';
import type { World } from '../seed/world';
import { createSimulatorApp } from '../common/app';
import { lookupBatch } from '../common/batch';
import { notFound } from '../common/errors';
import { pageQuerySchema, pageRequest, paginate } from '../common/paging';
import { parseInput } from '../common/validation';
import { childQuerySchema, childSearchSchema, workerBatchSchema } from './schemas';
import { buildSocialCareStore } from './store';

export const SOCIAL_CARE_PREFIX = '/api/v1';

export interface SocialCareSimulatorOptions {
  world: World;
  apiKey: string;
  faults?: Partial<FaultConfig>;
  faultSeed?: number;
}

export function createSocialCareSimulator(options: SocialCareSimulatorOptions): Express {
  const store = buildSocialCareStore(options.world);
  const p = SOCIAL_CARE_PREFIX;

  return createSimulatorApp(
    {
      system: 'social-care',
      apiKey: options.apiKey,
      faults: options.faults,
      faultSeed: options.faultSeed,
    },
    (api) => {
      api.get(`${p}/children/:id`, (req, res) => {
        const query = parseInput(childQuerySchema, req.query, 'query');
        const child = store.child(req.params.id ?? '');
        if (!child) throw notFound(`No child ${req.params.id}`);
        res.json(store.record(child, new Set<ScInclude>(query.include ?? [])));
      });

      api.post(`${p}/children/search`, (req, res) => {
        const paging = parseInput(pageQuerySchema, req.query, 'query');
        const search = parseInput(childSearchSchema, req.body, 'body');
        const include = new Set<ScInclude>(search.include ?? []);
        const page = paginate(store.search(search), pageRequest(paging, search), req.originalUrl);
        const data: ScChildRecord[] = page.data.map((child) => store.record(child, include));
        res.json({ ...page, data });
      });

      api.get(`${p}/workers/:id`, (req, res) => {
        const worker = store.worker(req.params.id ?? '');
        if (!worker) throw notFound(`No worker ${req.params.id}`);
        res.json(worker);
      });

      api.post(`${p}/workers/batch`, (req, res) => {
        const { ids } = parseInput(workerBatchSchema, req.body, 'body');
        res.json(lookupBatch(ids, (id) => store.worker(id)));
      });
    },
  );
}
