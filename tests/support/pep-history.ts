/**
 * The PEP workflow's history held in memory, for subgraph tests and benchmarks that do not
 * exercise it (the workflow's own tests use the real store).
 */
import type { PepHistory } from '../../subgraphs/social-care/pep-workflow/context';
import type { PepChange } from '../../stores/peps/types';

export function memoryPepHistory(): PepHistory & { changes: PepChange[] } {
  const changes: PepChange[] = [];
  return {
    changes,
    async record(input) {
      const change: PepChange = {
        ...input,
        id: String(changes.length + 1),
        changedAt: new Date().toISOString(),
        requestId: input.requestId ?? null,
      };
      changes.push(change);
      return change;
    },
    async historyFor(pepIds) {
      return new Map(pepIds.map((id) => [id, changes.filter((change) => change.pepId === id)]));
    },
  };
}
