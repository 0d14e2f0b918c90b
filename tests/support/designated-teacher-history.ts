/**
 * The designated teacher register's history held in memory, for subgraph tests that do not
 * exercise it (the register's own tests use the real store).
 */
import type { DesignatedTeacherHistory } from '../../subgraphs/education/register/context';
import type { DesignatedTeacherChange } from '../../stores/designated-teachers/types';

export function memoryDesignatedTeacherHistory(): DesignatedTeacherHistory & {
  changes: DesignatedTeacherChange[];
} {
  const changes: DesignatedTeacherChange[] = [];
  return {
    changes,
    async record(input) {
      const change: DesignatedTeacherChange = {
        ...input,
        id: String(changes.length + 1),
        changedAt: new Date().toISOString(),
        requestId: input.requestId ?? null,
      };
      changes.push(change);
      return change;
    },
    async historyFor(urns) {
      return new Map(urns.map((urn) => [urn, changes.filter((change) => change.urn === urn)]));
    },
  };
}
