/**
 * Listing children within the caller's scope. Whole-authority roles (the virtual school head,
 * finance officers) page through the case system's own search; everyone else has a small,
 * explicit set of children (their allocation, caseload, school roll or need-to-know list),
 * which is resolved to ids first and then searched with the caller's filter, so `totalCount`
 * and paging count only children the caller may see. Every page is checked against the
 * scope rules once more before it leaves.
 */
import type { RequestAuth } from '../../lib/authz/request-auth';
import { factsFromSocialCare } from '../../lib/authz/scope-sources';
import { hasRole } from '../../identity/caller';
import { MAX_PER_PAGE } from '../../simulators/contracts/common';
import type { ScChildRecord, ScChildSearch } from '../../simulators/contracts/social-care';
import { chunk, type SocialCareClient } from './client';
import { pagesFor } from './children-search';

export interface ScopedPage {
  records: ScChildRecord[];
  total: number;
}

/** Every page of a search (for the small per-caller sets; bounded by the set's size). */
async function searchAll(
  client: SocialCareClient,
  search: ScChildSearch,
): Promise<ScChildRecord[]> {
  const records: ScChildRecord[] = [];
  for (let page = 1; ; page += 1) {
    const result = await client.searchChildren({ ...search, page, per_page: MAX_PER_PAGE });
    records.push(...result.data);
    if (!result.meta.pagination.more) return records;
  }
}

/** Ids of the children a caller without a whole-authority role may see (before the filter). */
async function scopedIds(auth: RequestAuth, client: SocialCareClient): Promise<string[]> {
  const caller = auth.caller;
  if (!caller) return [];
  const ids = new Set<string>();
  const idsOf = async (search: ScChildSearch) => {
    const records = await searchAll(client, { ...search, include: [], current_only: false });
    for (const record of records) ids.add(record.CHILD);
  };
  if (hasRole(caller, 'social-worker'))
    await idsOf({ sw_id: caller.sub, include_restricted: true });
  if (hasRole(caller, 'virtual-school-officer')) await idsOf({ vs_caseworker_id: caller.sub });
  if (hasRole(caller, 'designated-teacher', 'teacher') && caller.urns.length > 0) {
    const upns = [...(await auth.scope.rollUpns())];
    for (const part of chunk(upns, MAX_PER_PAGE)) await idsOf({ upns: part });
  }
  return [...ids].sort();
}

export async function scopedChildrenPage(
  auth: RequestAuth,
  client: SocialCareClient,
  search: ScChildSearch,
  offset: number,
  first: number,
): Promise<ScopedPage> {
  const caller = auth.caller;
  if (!caller) return { records: [], total: 0 };

  if (hasRole(caller, 'virtual-school-head', 'finance-officer')) {
    const includeRestricted = hasRole(caller, 'virtual-school-head');
    const scoped = { ...search, include_restricted: includeRestricted };
    const { perPage, page, skip } = pagesFor(offset, first);
    const head = await client.searchChildren({ ...scoped, page, per_page: perPage });
    let records = head.data;
    // Only an unaligned window needs the next page, and only when there is one.
    if (skip > 0 && head.meta.pagination.more) {
      const tail = await client.searchChildren({ ...scoped, page: page + 1, per_page: perPage });
      records = records.concat(tail.data);
    }
    const window = records.slice(skip, skip + first);
    return {
      records: await auth.scope.filter(window, factsFromSocialCare),
      total: head.meta.pagination.total,
    };
  }

  const ids = await scopedIds(auth, client);
  const matching: ScChildRecord[] = [];
  for (const part of chunk(ids, MAX_PER_PAGE)) {
    matching.push(...(await searchAll(client, { ...search, ids: part, include_restricted: true })));
  }
  const visible = await auth.scope.filter(matching, factsFromSocialCare);
  visible.sort((a, b) => a.CHILD.localeCompare(b.CHILD));
  return { records: visible.slice(offset, offset + first), total: visible.length };
}
