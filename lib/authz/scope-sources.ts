/**
 * Where scope facts come from, read in batches and cached for the request: the child's
 * allocation and restricted flag from social care, school rolls from education, and the
 * need-to-know lists from CLA Graph's own store. Every subgraph enforces scope itself, so
 * each holds a read-only credential for these look-ups (defence in depth: a subgraph never
 * trusts another to have filtered).
 */
import DataLoader from 'dataloader';
import type { EdStudent } from '../../simulators/contracts/education';
import type { Paged } from '../../simulators/contracts/common';
import type { ScChild } from '../../simulators/contracts/social-care';
import type { UpstreamClient } from '../upstream/upstream-client';
import type { ChildFacts, ScopeSources } from './scope';

const BATCH = 500;
const CHILD_ID = /^\d{7}$/;
/** A real UPN (not UN1..UN5, which many children share): a letter then 12 characters. */
const UPN = /^[A-Z]\d{11}[0-9A-Z]$/;

export function factsFromSocialCare(child: ScChild): ChildFacts {
  return {
    id: child.CHILD,
    upn: child.UPN,
    lookedAfterBy: child.LA,
    restricted: child.RESTRICTED,
    socialWorkerId: child.SW_ID,
    caseworkerId: child.VS_CASEWORKER_ID,
  };
}

export interface ChildFactsLoaders {
  byId: DataLoader<string, ChildFacts | null>;
  byUpn: DataLoader<string, ChildFacts | null>;
}

/** Per-request loaders of scope facts from social care (one search per 500 children). */
export function createChildFactsLoaders(socialCare: UpstreamClient): ChildFactsLoaders {
  const search = async (
    field: 'ids' | 'upns',
    requested: readonly string[],
  ): Promise<Map<string, ChildFacts>> => {
    const found = new Map<string, ChildFacts>();
    // A malformed key names no child: it must not reach (and fail) the batch for the others.
    const valid = field === 'ids' ? CHILD_ID : UPN;
    const keys = [...new Set(requested.filter((key) => valid.test(key)))];
    for (let start = 0; start < keys.length; start += BATCH) {
      const chunk = keys.slice(start, start + BATCH);
      const page = await socialCare.query<Paged<ScChild>>('/api/v1/children/search', {
        [field]: chunk,
        include_restricted: true,
        current_only: false,
        per_page: BATCH,
      });
      for (const child of page?.data ?? []) {
        const key = field === 'ids' ? child.CHILD : child.UPN;
        // The system orders by case id; should two records ever share a UPN, the first is kept.
        if (!found.has(key)) found.set(key, factsFromSocialCare(child));
      }
    }
    return found;
  };
  return {
    byId: new DataLoader(
      async (ids) => {
        const found = await search('ids', ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      { maxBatchSize: 5_000 },
    ),
    byUpn: new DataLoader(
      async (upns) => {
        const found = await search('upns', upns);
        return upns.map((upn) => found.get(upn) ?? null);
      },
      { maxBatchSize: 5_000 },
    ),
  };
}

/** UPNs of looked-after pupils on roll at the given schools (every page). */
export async function lookedAfterRoll(
  education: UpstreamClient,
  urns: string[],
): Promise<Set<string>> {
  const upns = new Set<string>();
  for (const urn of urns) {
    if (!/^\d{6}$/.test(urn)) continue;
    for (let page = 1; page < 1_000; page += 1) {
      const result = await education.get<Paged<EdStudent>>(`/v1/schools/${urn}/students`, {
        looked_after: 'true',
        per_page: BATCH,
        page,
      });
      for (const student of result?.data ?? []) upns.add(student.upn);
      if (!result?.meta.pagination.more) break;
    }
  }
  return upns;
}

export interface NeedToKnowReader {
  activeChildIdsForStaff(staffId: string): Promise<string[]>;
}

export function scopeSources(
  education: UpstreamClient,
  needToKnow: NeedToKnowReader,
): ScopeSources {
  return {
    rollUpns: (urns) => lookedAfterRoll(education, urns),
    needToKnowChildIds: async (staffId) =>
      new Set(await needToKnow.activeChildIdsForStaff(staffId)),
  };
}
