/**
 * What the PEP workflow needs beyond the social care subgraph's own context (whose client
 * writes to the case system): CLA Graph's store of PEP changes (stores/peps).
 */
import DataLoader from 'dataloader';
import type { PepChange, PepChangeInput } from '../../../stores/peps/types';

/** What the workflow needs of CLA Graph's store (stores/peps/pep-history-store.ts). */
export interface PepHistory {
  record(change: PepChangeInput): Promise<PepChange>;
  historyFor(pepIds: readonly string[]): Promise<Map<string, PepChange[]>>;
}

/** Per request: the history, and a loader so N PEPs' changes cost one query. */
export interface PepWorkflowContext {
  history: PepHistory;
  changes: DataLoader<string, PepChange[]>;
}

export function createPepWorkflowContext(history: PepHistory): PepWorkflowContext {
  return {
    history,
    changes: new DataLoader(async (pepIds) => {
      const byPep = await history.historyFor(pepIds);
      return pepIds.map((id) => byPep.get(id) ?? []);
    }),
  };
}
