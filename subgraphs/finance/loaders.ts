/**
 * Per-request DataLoaders over the finance system. One load of a child's client record
 * carries every year's allocations and ledger lines, so a query asking several years (or
 * many children) costs one search per 500 children. A year's top-slices are read once per
 * request and year, whatever the number of children, and only when a figure needs them.
 */
import DataLoader from 'dataloader';
import {
  childIdFromClientRef,
  clientRefFor,
  type FinClient,
} from '../../upstream/finance/contract';
import type { FinanceClient } from '../../upstream/finance/client';
import { topSliceYearFrom, type TopSliceYear } from '../../domain/measures/pupil-premium-plus';

export interface FinanceLoaders {
  /** The finance client record for a social care child id; null when the system has none. */
  clientByChildId: DataLoader<string, FinClient | null>;
  /** A financial year's top-slices and what they are shared over, by year ("2025-26"). */
  topSlicesByYear: DataLoader<string, TopSliceYear>;
}

export function createFinanceLoaders(client: FinanceClient): FinanceLoaders {
  return {
    clientByChildId: new DataLoader<string, FinClient | null>(async (childIds) => {
      // No fy filter: the record then serves every financial year asked in this request.
      const found = await client.clientsByRef(childIds.map(clientRefFor), [
        'allocations',
        'ledger',
      ]);
      const byChildId = new Map<string, FinClient>();
      for (const record of found) {
        const childId = childIdFromClientRef(record.client_ref);
        if (childId !== null) byChildId.set(childId, record);
      }
      return childIds.map((id) => byChildId.get(id) ?? null);
    }),
    topSlicesByYear: new DataLoader<string, TopSliceYear>(async (years) =>
      Promise.all(years.map(async (fy) => topSliceYearFrom(await client.topSlices(fy)))),
    ),
  };
}
