/** The social care subgraph: children looked after, their care, placements and PEPs (owns `Child`). */
import { defineSubgraph } from '../descriptor';
import { DEFAULT_PORT, loadSocialCareConfig } from './config';
import { createSocialCareSubgraph } from './subgraph';

export const socialCareSubgraph = defineSubgraph({
  name: 'social-care',
  defaultPort: DEFAULT_PORT,
  database: true,
  loadConfig: loadSocialCareConfig,
  create: createSocialCareSubgraph,
});
