/** The education subgraph: schools, rolls, attendance and results, and the designated teacher register. */
import { defineSubgraph } from '../descriptor';
import { DEFAULT_PORT, loadEducationConfig } from './config';
import { createEducationSubgraph } from './subgraph';

export const educationSubgraph = defineSubgraph({
  name: 'education',
  defaultPort: DEFAULT_PORT,
  database: true,
  loadConfig: loadEducationConfig,
  create: createEducationSubgraph,
});
