/**
 * What the placed-pupil resolvers get per request: loaders over CLA Graph's store (one query
 * for every pupil a response names, one for their histories). Nothing outlives the request,
 * so what a designated teacher records is what the next request reads.
 */
import DataLoader from 'dataloader';
import {
  placedPupilKey,
  type PlacedPupilChange,
  type PlacedPupilKey,
  type PlacedPupilRecord,
  type PlacedPupilRecordInput,
  type PlacedPupilRecordResult,
} from '../../../stores/placed-pupils/placed-pupil-store';

/** What the subgraph needs of CLA Graph's store (stores/placed-pupils). */
export interface PlacedPupils {
  byKeys(keys: readonly PlacedPupilKey[]): Promise<Map<string, PlacedPupilRecord>>;
  record(input: PlacedPupilRecordInput): Promise<PlacedPupilRecordResult>;
  historyFor(keys: readonly PlacedPupilKey[]): Promise<Map<string, PlacedPupilChange[]>>;
}

export interface PlacedPupilContext {
  readonly store: PlacedPupils;
  /** A pupil's record at a school; null when nothing is recorded. */
  record: DataLoader<PlacedPupilKey, PlacedPupilRecord | null, string>;
  history: DataLoader<PlacedPupilKey, PlacedPupilChange[], string>;
}

export function createPlacedPupilContext(store: PlacedPupils): PlacedPupilContext {
  return {
    store,
    record: new DataLoader(
      async (keys) => {
        const found = await store.byKeys(keys);
        return keys.map((key) => found.get(placedPupilKey(key)) ?? null);
      },
      { cacheKeyFn: placedPupilKey },
    ),
    history: new DataLoader(
      async (keys) => {
        const byKey = await store.historyFor(keys);
        return keys.map((key) => byKey.get(placedPupilKey(key)) ?? []);
      },
      { cacheKeyFn: placedPupilKey },
    ),
  };
}
