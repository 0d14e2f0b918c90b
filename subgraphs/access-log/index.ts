/** The access-log subgraph: who read which child's record, for auditors (CLA Graph's own database). */
import { defineSubgraph } from '../descriptor';
import { DEFAULT_PORT, loadAccessLogConfig } from './config';
import { createAccessLogSubgraph } from './subgraph';

export const accessLogSubgraph = defineSubgraph({
  name: 'access-log',
  defaultPort: DEFAULT_PORT,
  database: true,
  loadConfig: loadAccessLogConfig,
  create: createAccessLogSubgraph,
});
