/**
 * Per-request DataLoaders over the finance system. One load of a child's client record
 * carries every year's allocations and ledger lines, so a query asking several years (or
 * many children) costs one search per 500 children.
 */
import DataLoader from 'dataloader';
import {
  childIdFromClientRef,
  clientRefFor,
  type FinClient,
} from '../../upstream/finance/contract';
import type { FinanceClient } from '../../upstream/finance/client';

export interface FinanceLoaders {
  /** The finance client record for a social care child id; null when the system has none. */
  clientByChildId: DataLoader<string, FinClient | null>;
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
  };
}
