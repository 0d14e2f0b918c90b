/** Starts the social-care subgraph from the environment (`subgraphs/run-subgraph.ts`; its descriptor: `index.ts`). */
import { runSubgraph } from '../run-subgraph';
import { socialCareSubgraph } from '.';

runSubgraph(socialCareSubgraph);
