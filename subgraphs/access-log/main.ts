/** Starts the access-log subgraph from the environment (`subgraphs/run-subgraph.ts`; its descriptor: `index.ts`). */
import { runSubgraph } from '../run-subgraph';
import { accessLogSubgraph } from '.';

runSubgraph(accessLogSubgraph);
