/**
 * Listing children within the caller's scope. A list, its order and its `totalCount` are all
 * reads, so they count only children the caller may see and, when the filter selects by a
 * category, only children for whom one of the roles whose scope holds them reads it (roles
 * pair with their own scope, `lib/authz/scope.ts`).
 *
 * The roles that can contribute are those that read every category the filter uses. When
 * the virtual school head is one of them, their scope (every child we look after) holds
 * everyone else's, and a finance officer alone sees every child but the restricted ones: both
 * page through the case system's own search, whose total is then exactly the caller's count.
 * Every other combination has a small, explicit set of children per role (allocation,
 * caseload, school roll, need-to-know list), resolved to ids first and then searched with the
 * filter, so paging and the count are over that set. Every page is checked against the scope
 * rules once more before it leaves.
 */
import type { Role } from '../../identity/caller';
import type { Category } from '../../domain/categories';
import { READABLE_CATEGORIES } from '../../lib/authz/categories';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { factsFromSocialCare } from '../../lib/authz/scope-sources';
import { MAX_PER_PAGE } from '../../upstream/common/contract';
import type { ScChildRecord, ScChildSearch } from '../../upstream/social-care/contract';
import { chunked } from '../../upstream/common/paging';
import type { SocialCareClient } from '../../upstream/social-care/client';
import { pagesFor } from './children-search';

export interface ScopedPage {
  records: ScChildRecord[];
  total: number;
  /** Every child counted in `total`, when they were all read (the per-role sets). */
  counted: ScChildRecord[] | null;
}

/** Ids of the children these roles' scopes may hold (before the filter and the final check). */
async function scopedIds(
  auth: RequestAuth,
  client: SocialCareClient,
  roles: readonly Role[],
): Promise<string[]> {
  const caller = auth.caller;
  if (!caller) return [];
  const ids = new Set<string>();
  const idsOf = async (search: ScChildSearch) => {
    const records = await client.searchAllChildren({
      ...search,
      include: [],
      current_only: false,
    });
    for (const record of records) ids.add(record.CHILD);
  };
  if (roles.includes('finance-officer')) await idsOf({ include_restricted: false });
  if (roles.includes('social-worker')) await idsOf({ sw_id: caller.sub, include_restricted: true });
  if (roles.includes('virtual-school-officer')) await idsOf({ vs_caseworker_id: caller.sub });
  if (
    (roles.includes('designated-teacher') || roles.includes('teacher')) &&
    caller.urns.length > 0
  ) {
    const upns = [...(await auth.scope.rollUpns())];
    for (const part of chunked(upns, MAX_PER_PAGE)) await idsOf({ upns: part });
  }
  return [...ids].sort();
}

/** One window of the case system's own search: for a scope that is the whole search. */
async function wholeSearchPage(
  auth: RequestAuth,
  client: SocialCareClient,
  search: ScChildSearch,
  offset: number,
  first: number,
  needed: readonly Category[],
): Promise<ScopedPage> {
  const { perPage, page, skip } = pagesFor(offset, first);
  const head = await client.searchChildren({ ...search, page, per_page: perPage });
  let records = head.data;
  // Only an unaligned window needs the next page, and only when there is one.
  if (skip > 0 && head.meta.pagination.more) {
    const tail = await client.searchChildren({ ...search, page: page + 1, per_page: perPage });
    records = records.concat(tail.data);
  }
  const window = records.slice(skip, skip + first);
  return {
    records: await auth.scope.filter(window, factsFromSocialCare, needed),
    total: head.meta.pagination.total,
    counted: null,
  };
}

/** The roles that may read every category the filter selects by: no other role's scope counts. */
function contributingRoles(auth: RequestAuth, needed: readonly Category[]): Role[] {
  return (auth.caller?.roles ?? []).filter((role) =>
    needed.every((category) => READABLE_CATEGORIES[role].includes(category)),
  );
}

/** Every child of the per-role sets the search matches, checked against scope, by case id. */
async function perRoleChildren(
  auth: RequestAuth,
  client: SocialCareClient,
  roles: readonly Role[],
  search: ScChildSearch,
  needed: readonly Category[],
): Promise<ScChildRecord[]> {
  const ids = await scopedIds(auth, client, roles);
  const matching: ScChildRecord[] = [];
  for (const part of chunked(ids, MAX_PER_PAGE)) {
    matching.push(
      ...(await client.searchAllChildren({ ...search, ids: part, include_restricted: true })),
    );
  }
  const visible = await auth.scope.filter(matching, factsFromSocialCare, needed);
  return visible.sort((a, b) => a.CHILD.localeCompare(b.CHILD));
}

/**
 * Every child the search matches that the caller may see (and read in `needed`), ordered by
 * case id: for a filter decided here rather than by the case system (worklists). The head's
 * (or a lone finance officer's) scope is the whole search, read to its last page.
 */
export async function allScopedChildren(
  auth: RequestAuth,
  client: SocialCareClient,
  search: ScChildSearch,
  needed: readonly Category[] = [],
): Promise<ScChildRecord[]> {
  const roles = contributingRoles(auth, needed);
  if (roles.length === 0) return [];
  const whole = roles.includes('virtual-school-head')
    ? true
    : roles.length === 1 && roles[0] === 'finance-officer'
      ? false
      : null;
  if (whole === null) return perRoleChildren(auth, client, roles, search, needed);
  const records = await client.searchAllChildren({ ...search, include_restricted: whole });
  const visible = await auth.scope.filter(records, factsFromSocialCare, needed);
  return visible.sort((a, b) => a.CHILD.localeCompare(b.CHILD));
}

export async function scopedChildrenPage(
  auth: RequestAuth,
  client: SocialCareClient,
  search: ScChildSearch,
  offset: number,
  first: number,
  needed: readonly Category[] = [],
): Promise<ScopedPage> {
  const roles = contributingRoles(auth, needed);
  if (roles.length === 0) return { records: [], total: 0, counted: [] };

  if (roles.includes('virtual-school-head')) {
    return wholeSearchPage(
      auth,
      client,
      { ...search, include_restricted: true },
      offset,
      first,
      needed,
    );
  }
  if (roles.length === 1 && roles[0] === 'finance-officer') {
    return wholeSearchPage(
      auth,
      client,
      { ...search, include_restricted: false },
      offset,
      first,
      needed,
    );
  }

  const visible = await perRoleChildren(auth, client, roles, search, needed);
  return {
    records: visible.slice(offset, offset + first),
    total: visible.length,
    counted: visible,
  };
}
