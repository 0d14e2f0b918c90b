/** Starts the need-to-know subgraph from the environment (`subgraphs/run-subgraph.ts`; its descriptor: `index.ts`). */
import { runSubgraph } from '../run-subgraph';
import { needToKnowSubgraph } from '.';

runSubgraph(needToKnowSubgraph);
