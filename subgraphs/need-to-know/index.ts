/** The need-to-know subgraph: which staff a child agreed may know they are looked after (CLA Graph's own database). */
import { defineSubgraph } from '../descriptor';
import { DEFAULT_PORT, loadNeedToKnowConfig } from './config';
import { createNeedToKnowSubgraph } from './subgraph';

export const needToKnowSubgraph = defineSubgraph({
  name: 'need-to-know',
  defaultPort: DEFAULT_PORT,
  database: true,
  loadConfig: loadNeedToKnowConfig,
  create: createNeedToKnowSubgraph,
});
