/** Starts the reporting subgraph from the environment (`subgraphs/run-subgraph.ts`; its descriptor: `index.ts`). */
import { runSubgraph } from '../run-subgraph';
import { reportingSubgraph } from '.';

runSubgraph(reportingSubgraph);
