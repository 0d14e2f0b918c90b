/**
 * What the Virtual School directory's resolvers get per request: loaders over CLA Graph's
 * directory (one query for every authority a response names, one for their histories) and
 * the access-log record, once per request. Nothing outlives the request, so a change the
 * head makes is what the next request reads.
 */
import DataLoader from 'dataloader';
import type { AuditTrail } from '../../../lib/audit/audit-trail';
import type {
  VirtualSchoolChange,
  VirtualSchoolEntry,
  VirtualSchoolUpdateInput,
  VirtualSchoolUpdateResult,
} from '../../../stores/virtual-school-directory/types';

/** What the subgraph needs of CLA Graph's store (stores/virtual-school-directory). */
export interface VirtualSchoolDirectory {
  all(): Promise<VirtualSchoolEntry[]>;
  byLaCodes(codes: readonly string[]): Promise<Map<string, VirtualSchoolEntry>>;
  update(input: VirtualSchoolUpdateInput): Promise<VirtualSchoolUpdateResult>;
  historyFor(codes: readonly string[]): Promise<Map<string, VirtualSchoolChange[]>>;
}

export interface DirectoryContext {
  readonly store: VirtualSchoolDirectory;
  /** An authority's entry by its 3-digit code; null when the directory has none. */
  entry: DataLoader<string, VirtualSchoolEntry | null>;
  history: DataLoader<string, VirtualSchoolChange[]>;
  /** Notes in the request's audit trail that it read the directory (once per request). */
  recordRead(): void;
}

export function createDirectoryContext(
  store: VirtualSchoolDirectory,
  auditTrail: AuditTrail,
): DirectoryContext {
  let recorded = false;
  return {
    store,
    entry: new DataLoader(async (codes) => {
      const found = await store.byLaCodes(codes);
      return codes.map((code) => found.get(code) ?? null);
    }),
    history: new DataLoader(async (codes) => {
      const byCode = await store.historyFor(codes);
      return codes.map((code) => byCode.get(code) ?? []);
    }),
    recordRead: () => {
      if (recorded) return;
      recorded = true;
      auditTrail.record({ childId: null, categories: ['VS_DIRECTORY'] });
    },
  };
}
