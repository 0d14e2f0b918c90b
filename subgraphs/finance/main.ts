/** Starts the finance subgraph from the environment (`subgraphs/run-subgraph.ts`; its descriptor: `index.ts`). */
import { runSubgraph } from '../run-subgraph';
import { financeSubgraph } from '.';

runSubgraph(financeSubgraph);
