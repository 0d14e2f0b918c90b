/** The finance subgraph: Pupil Premium Plus allocations and spending. */
import { defineSubgraph } from '../descriptor';
import { DEFAULT_PORT, loadFinanceConfig } from './config';
import { createFinanceSubgraph } from './subgraph';

export const financeSubgraph = defineSubgraph({
  name: 'finance',
  defaultPort: DEFAULT_PORT,
  database: true,
  loadConfig: loadFinanceConfig,
  create: createFinanceSubgraph,
});
