/** The children's social care case system, simulated: `/api/v1`, SSDA903 vocabulary. */
import type { Express } from 'express';
import { z } from 'zod';
import type { FaultConfig } from '../contracts/common';
import type { ScChildRecord, ScInclude } from '../../upstream/social-care/contract';
import type { World } from '../seed/world';
import { createSimulatorApp } from '../common/app';
import { lookupBatch } from '../common/batch';
import { notFound } from '../common/errors';
import { pageQuerySchema, pageRequest, paginate } from '../common/paging';
import { parseInput } from '../common/validation';
import { changesQuerySchema } from '../common/change-log';
import {
  childExportSchema,
  childQuerySchema,
  childSearchSchema,
  SC_INCLUDES,
  workerBatchSchema,
} from './schemas';
import { projectionFor } from '../common/projection';
import { sendNdjson } from '../common/ndjson';
import { buildSocialCareStore } from './store';
import {
  enterCareSchema,
  leaveCareSchema,
  pepCompleteSchema,
  pepDraftPostSchema,
  pepDraftPutSchema,
  pepPostSchema,
  pepQualityAssuranceSchema,
  pepTargetReviewsSchema,
  placementMoveSchema,
} from './write-schemas';
import { PepWorkflow } from './pep-workflow';
import { SocialCareWrites } from './writes';

const emptyQuerySchema = z.object({}).strict();

export const SOCIAL_CARE_PREFIX = '/api/v1';

export interface SocialCareSimulatorOptions {
  world: World;
  apiKey: string;
  faults?: Partial<FaultConfig>;
  faultSeed?: number;
}

export function createSocialCareSimulator(options: SocialCareSimulatorOptions): Express {
  const store = buildSocialCareStore(options.world);
  const writes = new SocialCareWrites(store, options.world.asOf);
  const peps = new PepWorkflow(store, writes, options.world.asOf);
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

      // The statutory-return extract: every child in one streamed answer (ndjson.ts).
      api.post(`${p}/exports/children`, (req, res) => {
        const query = parseInput(childExportSchema, req.body, 'body');
        const include = new Set<ScInclude>(query.include ?? []);
        const project = projectionFor('CHILD', query.fields, SC_INCLUDES, include);
        sendNdjson(res, store.search(query), (child) => project(store.record(child, include)));
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

      // Writes, as a case worker records them (each logged in the change feed below).
      api.post(`${p}/children/:id/placements`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(placementMoveSchema, req.body, 'body');
        res.json(writes.movePlacement(req.params.id, body));
      });

      api.post(`${p}/children/:id/leave-care`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(leaveCareSchema, req.body, 'body');
        res.json(writes.leaveCare(req.params.id, body));
      });

      api.post(`${p}/children/:id/enter-care`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(enterCareSchema, req.body, 'body');
        res.json(writes.enterCare(req.params.id, body));
      });

      api.post(`${p}/children/:id/peps`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(pepPostSchema, req.body, 'body');
        res.json(writes.recordPep(req.params.id, body));
      });

      // The PEP workflow (pep-workflow.ts): each write logged as a `pep` change.
      api.post(`${p}/children/:id/pep-drafts`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(pepDraftPostSchema, req.body, 'body');
        res.json(peps.createDraft(req.params.id, body));
      });

      api.get(`${p}/peps/:pepId`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        res.json({ data: peps.get(req.params.pepId) });
      });

      api.put(`${p}/peps/:pepId`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(pepDraftPutSchema, req.body, 'body');
        res.json(peps.updateDraft(req.params.pepId, body));
      });

      api.post(`${p}/peps/:pepId/target-reviews`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(pepTargetReviewsSchema, req.body, 'body');
        res.json(peps.reviewTargets(req.params.pepId, body));
      });

      api.post(`${p}/peps/:pepId/complete`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(pepCompleteSchema, req.body, 'body');
        res.json(peps.complete(req.params.pepId, body));
      });

      api.post(`${p}/peps/:pepId/quality-assurance`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(pepQualityAssuranceSchema, req.body, 'body');
        res.json(peps.qualityAssure(req.params.pepId, body));
      });

      api.get(`${p}/changes`, (req, res) => {
        const q = parseInput(changesQuerySchema, req.query, 'query');
        res.json(writes.log.page(q.updated_after, q.limit));
      });
    },
  );
}
