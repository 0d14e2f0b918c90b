/** Starts the alerts subgraph from the environment (`subgraphs/run-subgraph.ts`; its descriptor: `index.ts`). */
import { runSubgraph } from '../run-subgraph';
import { alertsSubgraph } from '.';

runSubgraph(alertsSubgraph);
