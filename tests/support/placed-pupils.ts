/**
 * What placing authorities share about their pupils, held in memory, for subgraph tests that
 * do not exercise it (the store's own tests use the real store, on PGlite and PostgreSQL; the
 * end-to-end test uses it through the whole system).
 */
import type { PlacedPupils } from '../../subgraphs/education/placed-pupils/context';
import {
  placedPupilKey,
  type PlacedPupilChange,
  type PlacedPupilRecord,
} from '../../stores/placed-pupils/placed-pupil-store';

export function memoryPlacedPupils(): PlacedPupils {
  const records = new Map<string, PlacedPupilRecord>();
  const changes: PlacedPupilChange[] = [];
  return {
    async byKeys(keys) {
      return new Map(
        keys.flatMap((key) => {
          const record = records.get(placedPupilKey(key));
          return record ? [[placedPupilKey(key), record] as const] : [];
        }),
      );
    },
    async record(input) {
      const { actorSub, actorRoles, requestId, urn, upn, ...details } = input;
      const key = placedPupilKey(input);
      const current = records.get(key) ?? null;
      if (current && JSON.stringify({ ...current, ...details }) === JSON.stringify(current)) {
        return { record: current, changed: false };
      }
      const now = new Date().toISOString();
      const record = { urn, upn, ...details, updatedAt: now, updatedBy: actorSub };
      records.set(key, record);
      changes.push({
        id: String(changes.length + 1),
        urn,
        upn,
        changedAt: now,
        actorSub,
        actorRoles,
        requestId: requestId ?? null,
        before: current,
        after: details,
      });
      return { record, changed: true };
    },
    async historyFor(keys) {
      return new Map(
        keys.map((key) => [
          placedPupilKey(key),
          changes.filter((change) => placedPupilKey(change) === placedPupilKey(key)),
        ]),
      );
    },
  };
}
