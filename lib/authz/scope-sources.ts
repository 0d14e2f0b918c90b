/**
 * Where scope facts come from, read in batches and cached for the request: the child's
 * allocation and restricted flag from social care, school rolls from education, and the
 * need-to-know lists from CLA Graph's own store. Every subgraph enforces scope itself, so
 * each holds a read-only credential for these look-ups (defence in depth: a subgraph never
 * trusts another to have filtered).
 */
import { CHILD_ID, UPN, URN } from '../../domain/identifiers';
import DataLoader from 'dataloader';
import type { EducationClient } from '../../upstream/education/client';
import type { SocialCareClient } from '../../upstream/social-care/client';
import type { ScChild } from '../../upstream/social-care/contract';
import type { ChildFacts, ScopeSources } from './scope';

/** A real UPN (not UN1..UN5, which many children share): a letter then 12 characters. */

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

/**
 * Per-request loaders of scope facts from social care (one search per 500 children, no
 * parts: the child's own record holds every fact). A failing or misshapen answer is the
 * system unavailable, never "no child in scope".
 */
export function createChildFactsLoaders(
  socialCare: Pick<SocialCareClient, 'childrenByKey'>,
): ChildFactsLoaders {
  const search = async (
    field: 'ids' | 'upns',
    requested: readonly string[],
  ): Promise<Map<string, ChildFacts>> => {
    const found = new Map<string, ChildFacts>();
    // A malformed key names no child: it must not reach (and fail) the batch for the others.
    const valid = field === 'ids' ? CHILD_ID : UPN;
    const keys = requested.filter((key) => valid.test(key));
    if (keys.length === 0) return found;
    for (const child of await socialCare.childrenByKey(field, keys, [])) {
      const key = field === 'ids' ? child.CHILD : child.UPN;
      // The system orders by case id; should two records ever share a UPN, the first is kept.
      if (!found.has(key)) found.set(key, factsFromSocialCare(child));
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

/**
 * UPNs of looked-after pupils on roll at the given schools (every page; a roll that never
 * ends, or an answer of another shape, is the system unavailable). A school the system does
 * not know has no pupils.
 */
export async function lookedAfterRoll(
  education: Pick<EducationClient, 'lookedAfterStudents'>,
  urns: string[],
): Promise<Set<string>> {
  const upns = new Set<string>();
  for (const urn of urns) {
    if (!URN.test(urn)) continue;
    for (const student of (await education.lookedAfterStudents(urn, [])) ?? []) {
      upns.add(student.upn);
    }
  }
  return upns;
}

export interface NeedToKnowReader {
  activeChildIdsForStaff(staffId: string): Promise<string[]>;
  /** Other authorities' pupils (by UPN) whose need-to-know list names the member of staff. */
  activeUpnsForStaff(staffId: string): Promise<string[]>;
}

export function scopeSources(
  education: Pick<EducationClient, 'lookedAfterStudents'>,
  needToKnow: NeedToKnowReader,
): ScopeSources {
  return {
    rollUpns: (urns) => lookedAfterRoll(education, urns),
    needToKnowChildIds: async (staffId) =>
      new Set(await needToKnow.activeChildIdsForStaff(staffId)),
    needToKnowUpns: async (staffId) => new Set(await needToKnow.activeUpnsForStaff(staffId)),
  };
}
