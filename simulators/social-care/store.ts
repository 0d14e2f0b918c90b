/** The social care system's data, indexed once so look-ups and searches stay fast at 50,000 children. */
import type {
  ScChild,
  ScChildRecord,
  ScChildSearch,
  ScEpisode,
  ScInclude,
  ScPep,
  ScPlacement,
  ScWorker,
} from '../../upstream/social-care/contract';
import type { World } from '../seed/world';

export interface SocialCareStore {
  child(id: string): ScChild | undefined;
  /** The child with the parts `include` asks for. */
  record(child: ScChild, include: ReadonlySet<ScInclude>): ScChildRecord;
  /** Children matching every filter of the search, ordered by CHILD. Paging is the caller's. */
  search(query: ScChildSearch): ScChild[];
  worker(id: string): ScWorker | undefined;
  /** The open episode (no DEC), the latest if the data holds more than one. */
  currentEpisode(childId: string): ScEpisode | undefined;
  /** The child's episodes by DECOM, and PEPs by meeting date. */
  episodes(childId: string): readonly ScEpisode[];
  peps(childId: string): readonly ScPep[];
  /** One PEP by its id, as it now stands. */
  pep(pepId: string): ScPep | undefined;
  /**
   * Replaces a known child's episodes (their current one follows), or PEPs, and stamps the
   * child's LAST_UPDATED with `on`. The seeded objects are never changed.
   */
  setEpisodes(childId: string, episodes: readonly ScEpisode[], on: string): void;
  setPeps(childId: string, peps: readonly ScPep[], on: string): void;
}

const collator = new Intl.Collator('en', { numeric: true });

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function sortGroups<T>(groups: Map<string, T[]>, compare: (a: T, b: T) => number): void {
  for (const group of groups.values()) group.sort(compare);
}

export function buildSocialCareStore(world: World): SocialCareStore {
  const { children, episodes, placements, workers, peps } = world.socialCare;
  const laCode = world.la.code;

  const sorted = [...children].sort((a, b) => collator.compare(a.CHILD, b.CHILD));
  const rank = new Map(sorted.map((child, index) => [child.CHILD, index]));
  const byId = new Map(sorted.map((child) => [child.CHILD, child]));
  const byUpn = groupBy(sorted, (child) => child.UPN);
  const bySw = groupBy(sorted, (child) => child.SW_ID);
  const byCaseworker = groupBy(sorted, (child) => child.VS_CASEWORKER_ID);

  const episodesByChild = groupBy<ScEpisode>(episodes, (e) => e.CHILD);
  sortGroups(episodesByChild, (a, b) => a.DECOM.localeCompare(b.DECOM));
  const placementsByChild = groupBy<ScPlacement>(placements, (p) => p.CHILD);
  sortGroups(placementsByChild, (a, b) => a.DECOM.localeCompare(b.DECOM));
  const pepsByChild = groupBy<ScPep>(peps, (p) => p.CHILD);
  sortGroups(pepsByChild, (a, b) => a.MEETING_DATE.localeCompare(b.MEETING_DATE));
  const workersById = new Map(workers.map((w) => [w.STAFF_ID, w]));
  const pepsById = new Map(peps.map((p) => [p.PEP_ID, p]));

  const current = new Map<string, ScEpisode>();
  const setCurrent = (childId: string, list: readonly ScEpisode[]) => {
    const open = list.filter((e) => e.DEC === null);
    const latest = open[open.length - 1];
    if (latest) current.set(childId, latest);
    else current.delete(childId);
  };
  for (const [childId, list] of episodesByChild) setCurrent(childId, list);

  /** A copy of the child with LAST_UPDATED `on`, in place of the old one in every index. */
  const touch = (childId: string, on: string) => {
    const old = byId.get(childId);
    if (!old) throw new Error('unknown child');
    const next: ScChild = { ...old, LAST_UPDATED: on > old.LAST_UPDATED ? on : old.LAST_UPDATED };
    byId.set(childId, next);
    sorted[rank.get(childId) ?? -1] = next;
    for (const [groups, key] of [
      [byUpn, old.UPN],
      [bySw, old.SW_ID],
      [byCaseworker, old.VS_CASEWORKER_ID],
    ] as const) {
      const group = key === null ? undefined : groups.get(key);
      const at = group?.indexOf(old) ?? -1;
      if (group && at !== -1) group[at] = next;
    }
  };

  function candidates(query: ScChildSearch): readonly ScChild[] {
    const known = (child: ScChild | undefined): child is ScChild => child !== undefined;
    if (query.ids) return [...new Set(query.ids)].map((id) => byId.get(id)).filter(known);
    if (query.upns) return [...new Set(query.upns)].flatMap((upn) => byUpn.get(upn) ?? []);
    if (query.sw_id !== undefined) return bySw.get(query.sw_id) ?? [];
    if (query.vs_caseworker_id !== undefined) return byCaseworker.get(query.vs_caseworker_id) ?? [];
    return sorted;
  }

  function predicates(query: ScChildSearch): Array<(child: ScChild) => boolean> {
    const tests: Array<(child: ScChild) => boolean> = [];
    const episode = (child: ScChild) => current.get(child.CHILD);
    if (query.ids) {
      const ids = new Set(query.ids);
      tests.push((c) => ids.has(c.CHILD));
    }
    if (query.upns) {
      const upns = new Set(query.upns);
      tests.push((c) => upns.has(c.UPN));
    }
    const { sw_id: sw, vs_caseworker_id: vso, uasc, dob_from: from, dob_to: to } = query;
    if (sw !== undefined) tests.push((c) => c.SW_ID === sw);
    if (vso !== undefined) tests.push((c) => c.VS_CASEWORKER_ID === vso);
    if (query.legal_status) {
      const statuses = new Set(query.legal_status);
      tests.push((c) => statuses.has(episode(c)?.LS ?? ''));
    }
    if (query.placement_type) {
      const types = new Set(query.placement_type);
      tests.push((c) => types.has(episode(c)?.PLACE ?? ''));
    }
    if (query.out_of_area !== undefined) {
      const wanted = query.out_of_area;
      tests.push((c) => {
        const open = episode(c);
        return open !== undefined && (open.PL_LA !== laCode) === wanted;
      });
    }
    if (uasc !== undefined) tests.push((c) => c.UASC === uasc);
    if (from !== undefined) tests.push((c) => c.DOB >= from);
    if (to !== undefined) tests.push((c) => c.DOB <= to);
    if (query.include_restricted !== true) tests.push((c) => !c.RESTRICTED);
    if (query.current_only ?? true) tests.push((c) => current.has(c.CHILD));
    return tests;
  }

  return {
    child: (id) => byId.get(id),
    worker: (id) => workersById.get(id),
    currentEpisode: (childId) => current.get(childId),
    episodes: (childId) => episodesByChild.get(childId) ?? [],
    peps: (childId) => pepsByChild.get(childId) ?? [],
    pep: (pepId) => pepsById.get(pepId),
    setEpisodes(childId, list, on) {
      touch(childId, on);
      episodesByChild.set(childId, [...list]);
      setCurrent(childId, list);
    },
    setPeps(childId, list, on) {
      touch(childId, on);
      for (const old of pepsByChild.get(childId) ?? []) pepsById.delete(old.PEP_ID);
      for (const pep of list) pepsById.set(pep.PEP_ID, pep);
      pepsByChild.set(childId, [...list]);
    },
    record(child, include) {
      const record: ScChildRecord = { ...child };
      if (include.has('episodes')) record.episodes = episodesByChild.get(child.CHILD) ?? [];
      if (include.has('placements')) record.placements = placementsByChild.get(child.CHILD) ?? [];
      if (include.has('peps')) record.peps = pepsByChild.get(child.CHILD) ?? [];
      if (include.has('worker')) {
        record.worker = child.SW_ID === null ? null : (workersById.get(child.SW_ID) ?? null);
      }
      return record;
    },
    search(query) {
      const tests = predicates(query);
      const found = candidates(query).filter((child) => tests.every((test) => test(child)));
      if (query.ids || query.upns) {
        found.sort((a, b) => (rank.get(a.CHILD) ?? 0) - (rank.get(b.CHILD) ?? 0));
      }
      return found;
    },
  };
}
