/** Starts the education subgraph from the environment (`subgraphs/run-subgraph.ts`; its descriptor: `index.ts`). */
import { runSubgraph } from '../run-subgraph';
import { educationSubgraph } from '.';

runSubgraph(educationSubgraph);
