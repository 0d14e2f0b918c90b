/**
 * Per-request DataLoaders over the finance system. One load of a child's client record
 * carries every year's allocations and ledger lines, so a query asking several years (or
 * many children) costs one search per 500 children. The search side-loads the fund years of
 * its clients' allocations (`include=fund_years`), which prime the top-slices by year; a year
 * it did not carry is read once per request and year, and only when a figure needs it.
 */
import DataLoader from 'dataloader';
import {
  childIdFromClientRef,
  clientRefFor,
  type FinClient,
} from '../../upstream/finance/contract';
import type { FinanceClient } from '../../upstream/finance/client';
import type { PpPlusRequestStore } from '../../stores/pupil-premium-plus/pp-plus-request-store';
import type { PpPlusRequest, PpPlusRequestEvent } from '../../stores/pupil-premium-plus/types';
import { topSliceYearFrom, type TopSliceYear } from '../../domain/measures/pupil-premium-plus';

export interface FinanceLoaders {
  /** The finance client record for a social care child id; null when the system has none. */
  clientByChildId: DataLoader<string, FinClient | null>;
  /** A financial year's top-slices and what they are shared over, by year ("2025-26"). */
  topSlicesByYear: DataLoader<string, TopSliceYear>;
  /** A child's PP+ requests of a year, by `<child id>|<year>`: one query per year asked. */
  ppPlusRequests: DataLoader<string, PpPlusRequest[]>;
  /** A PP+ request's history, by request id: one query for every request asked. */
  ppPlusRequestHistory: DataLoader<string, PpPlusRequestEvent[]>;
}

export function createFinanceLoaders(
  client: FinanceClient,
  store: PpPlusRequestStore,
): FinanceLoaders {
  const topSlicesByYear = new DataLoader<string, TopSliceYear>(async (years) =>
    Promise.all(years.map(async (fy) => topSliceYearFrom(await client.topSlices(fy)))),
  );
  return {
    clientByChildId: new DataLoader<string, FinClient | null>(async (childIds) => {
      // No fy filter: the record then serves every financial year asked in this request. The
      // spend lines' school names come with them: the schema `@provides` them, so the gateway
      // does not ask the education system for the schools after this answer. The fund years of
      // the answer's allocations come with it too, so the unspent figure needs no second
      // request: a year no child of the batch has an allocation in is still read on its own.
      const { clients, fundYears } = await client.clientsByRef(childIds.map(clientRefFor), [
        'allocations',
        'ledger',
        'commitments',
        'school_names',
        'fund_years',
      ]);
      // prime() leaves a year already loading or loaded alone: one answer per year per request.
      for (const year of fundYears) topSlicesByYear.prime(year.meta.fy, topSliceYearFrom(year));
      const byChildId = new Map<string, FinClient>();
      for (const record of clients) {
        const childId = childIdFromClientRef(record.client_ref);
        if (childId !== null) byChildId.set(childId, record);
      }
      return childIds.map((id) => byChildId.get(id) ?? null);
    }),
    topSlicesByYear,
    ppPlusRequests: new DataLoader<string, PpPlusRequest[]>(async (keys) => {
      const byYear = new Map<string, string[]>();
      for (const key of keys) {
        const [childId, fy] = key.split('|') as [string, string];
        byYear.set(fy, [...(byYear.get(fy) ?? []), childId]);
      }
      const found = new Map<string, PpPlusRequest[]>();
      await Promise.all(
        [...byYear].map(async ([fy, childIds]) => {
          for (const [childId, requests] of await store.forChildren(childIds, fy)) {
            found.set(`${childId}|${fy}`, requests);
          }
        }),
      );
      return keys.map((key) => found.get(key) ?? []);
    }),
    ppPlusRequestHistory: new DataLoader<string, PpPlusRequestEvent[]>(async (ids) => {
      const found = await store.history(ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
