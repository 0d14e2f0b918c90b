/**
 * The alert pipeline as one service: the worker that reads the change feeds and sweeps daily
 * (`alert-worker.ts`) and the webhook dispatcher (`webhooks/dispatcher.ts`), over CLA Graph's
 * store and read-only clients of the council's systems. `npm start` runs it in process;
 * `events/main.ts` runs it on its own (`npm run start:services`, a deployment).
 */
import { clockFor, type Clock } from '../lib/clock';
import type { ScopeConfig } from '../lib/authz/subgraph-security';
import type { EventStore } from '../stores/events/event-store';
import type { WebhookStore } from '../stores/events/webhook-store';
import { EducationClient } from '../upstream/education/client';
import { SocialCareClient } from '../upstream/social-care/client';
import { AlertWorker, type AlertWorkerOptions } from './alert-worker';
import type { AlertSettings } from './config';
import { enqueueDigests } from './digests';
import { WebhookDispatcher } from './webhooks/dispatcher';
import type { WebhookConfig } from './webhooks/config';

export interface AlertPipelineConfig {
  alerts: AlertSettings;
  webhooks: WebhookConfig;
  /** The council systems' addresses and read-only keys, and this authority's code. */
  upstream: Pick<ScopeConfig, 'homeLa' | 'socialCare' | 'education'>;
  /** "Today" fixed (the simulated world's AS_OF); the system clock when absent. */
  asOf?: string;
}

export interface AlertPipeline {
  worker: AlertWorker;
  dispatcher: WebhookDispatcher;
  clients: { socialCare: SocialCareClient; education: EducationClient };
  /** Starts both loops (nothing when ALERTS_ENABLED=false). */
  start(): void;
  stop(): Promise<void>;
}

export function createAlertPipeline(
  config: AlertPipelineConfig,
  stores: { events: EventStore; webhooks: WebhookStore },
  options: { clock?: Clock; beforeStore?: AlertWorkerOptions['beforeStore'] } = {},
): AlertPipeline {
  const settings = {
    timeoutMs: config.alerts.upstreamTimeoutMs,
    deadlineMs: config.alerts.upstreamDeadlineMs,
    retries: 1,
  };
  const clients = {
    socialCare: SocialCareClient.fromConfig({ ...config.upstream.socialCare, ...settings }),
    education: EducationClient.fromConfig({ ...config.upstream.education, ...settings }),
  };
  const worker = new AlertWorker({
    settings: config.alerts,
    la: config.upstream.homeLa,
    clock: options.clock ?? clockFor(config.asOf),
    events: stores.events,
    clients,
    digests: (today, now) => enqueueDigests(stores, today, now),
    beforeStore: options.beforeStore,
  });
  const dispatcher = new WebhookDispatcher({ store: stores.webhooks, config: config.webhooks });
  return {
    worker,
    dispatcher,
    clients,
    start() {
      if (!config.alerts.enabled) return;
      worker.start();
      dispatcher.start();
    },
    async stop() {
      await Promise.all([worker.stop(), dispatcher.stop()]);
      clients.socialCare.close();
      clients.education.close();
    },
  };
}
