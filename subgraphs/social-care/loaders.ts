/**
 * Per-request DataLoaders over the case system. A child fetched once (by id, by UPN, or in a
 * page of `children`) is primed under both keys, so the same request never asks for it again;
 * N references cost one search per 500 keys.
 */
import DataLoader from 'dataloader';
import type { ScChildRecord, ScWorker } from '../../upstream/social-care/contract';
import type { SocialCareClient } from '../../upstream/social-care/client';
import { isUpn } from './identifiers';

export interface SocialCareLoaders {
  /** A child by case id, with every part; null when the system has no such child. */
  childById: DataLoader<string, ScChildRecord | null>;
  /** A child by 13-character UPN, with every part; null when none. */
  childByUpn: DataLoader<string, ScChildRecord | null>;
  /** A member of the case system's staff; only needed when a record came without its worker. */
  workerById: DataLoader<string, ScWorker | null>;
  /** Remember a record fetched elsewhere (a list page) under both of its keys. */
  prime(record: ScChildRecord): void;
}

export function createSocialCareLoaders(client: SocialCareClient): SocialCareLoaders {
  const prime = (record: ScChildRecord): void => {
    childById.prime(record.CHILD, record);
    // UN1..UN5 are shared by every child whose UPN is unknown: never a key to one child.
    if (isUpn(record.UPN)) childByUpn.prime(record.UPN, record);
  };

  const childById: DataLoader<string, ScChildRecord | null> = new DataLoader(async (ids) => {
    const found = await client.childrenByKey('ids', ids);
    const byId = new Map(found.map((record) => [record.CHILD, record]));
    found.forEach(prime);
    return ids.map((id) => byId.get(id) ?? null);
  });

  const childByUpn: DataLoader<string, ScChildRecord | null> = new DataLoader(async (upns) => {
    const found = await client.childrenByKey('upns', upns);
    const byUpn = new Map<string, ScChildRecord>();
    // The system orders by case id: if two records ever shared a UPN, the first is kept.
    for (const record of found) if (!byUpn.has(record.UPN)) byUpn.set(record.UPN, record);
    found.forEach(prime);
    return upns.map((upn) => byUpn.get(upn) ?? null);
  });

  const workerById = new DataLoader<string, ScWorker | null>(async (ids) => {
    const found = await client.workersByIds(ids);
    const byId = new Map(found.map((worker) => [worker.STAFF_ID, worker]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  return { childById, childByUpn, workerById, prime };
}
