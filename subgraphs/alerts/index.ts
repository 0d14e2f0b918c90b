/** The alerts subgraph: what changed for the children a caller works with, and webhooks (CLA Graph's own database). */
import { defineSubgraph } from '../descriptor';
import { DEFAULT_PORT, loadAlertsConfig } from './config';
import { createAlertsSubgraph } from './subgraph';

export const alertsSubgraph = defineSubgraph({
  name: 'alerts',
  defaultPort: DEFAULT_PORT,
  database: true,
  loadConfig: loadAlertsConfig,
  create: createAlertsSubgraph,
});
