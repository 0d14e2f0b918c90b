/** The reporting subgraph: disclosure-controlled cohort reports. It needs no database of its own. */
import { defineSubgraph } from '../descriptor';
import { DEFAULT_PORT, loadReportingConfig } from './config';
import { createReportingSubgraph } from './subgraph';

export const reportingSubgraph = defineSubgraph({
  name: 'reporting',
  defaultPort: DEFAULT_PORT,
  database: false,
  // Cohort reports read whole authorities (50,000 children: ~10 s cold), so they get longer.
  gatewayTimeoutMs: 60_000,
  loadConfig: loadReportingConfig,
  create: createReportingSubgraph,
});
