/** Batch look-ups: the records found, in the order asked, and the ids not known. */
import type { Batch } from '../../upstream/common/contract';

export function lookupBatch<T>(
  ids: readonly string[],
  find: (id: string) => T | undefined,
): Batch<T> {
  const data: T[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const found = find(id);
    if (found === undefined) missing.push(id);
    else data.push(found);
  }
  return { data, meta: { missing } };
}
