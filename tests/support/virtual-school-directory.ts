/**
 * The Virtual School directory held in memory, for subgraph tests that do not exercise it (the
 * directory's own tests use the real store, on PGlite and PostgreSQL).
 */
import type { VirtualSchoolDirectory } from '../../subgraphs/education/virtual-schools/context';
import type {
  VirtualSchoolChange,
  VirtualSchoolEntry,
} from '../../stores/virtual-school-directory/types';

export function memoryVirtualSchoolDirectory(
  seed: readonly VirtualSchoolEntry[] = [],
): VirtualSchoolDirectory {
  const entries = new Map(seed.map((entry) => [entry.laCode, entry]));
  const changes: VirtualSchoolChange[] = [];
  return {
    async all() {
      return [...entries.values()].sort((a, b) => a.laCode.localeCompare(b.laCode));
    },
    async byLaCodes(codes) {
      return new Map(
        codes.flatMap((code) => {
          const entry = entries.get(code);
          return entry ? [[code, entry] as const] : [];
        }),
      );
    },
    async update(input) {
      const { laCode, headName, email, phone, source } = input;
      const current = entries.get(laCode) ?? null;
      const after = { headName, email, phone, source };
      if (
        current &&
        current.headName === headName &&
        current.email === email &&
        current.phone === phone &&
        current.source === source
      ) {
        return { entry: current, changed: false };
      }
      const now = new Date().toISOString();
      const entry = { laCode, ...after, updatedAt: now, updatedBy: input.actorSub };
      entries.set(laCode, entry);
      changes.push({
        id: String(changes.length + 1),
        laCode,
        changedAt: now,
        actorSub: input.actorSub,
        actorRoles: input.actorRoles,
        requestId: input.requestId ?? null,
        before: current
          ? {
              headName: current.headName,
              email: current.email,
              phone: current.phone,
              source: current.source,
            }
          : null,
        after,
      });
      return { entry, changed: true };
    },
    async historyFor(codes) {
      return new Map(codes.map((code) => [code, changes.filter((c) => c.laCode === code)]));
    },
  };
}
