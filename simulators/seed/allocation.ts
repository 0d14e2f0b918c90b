/**
 * Who works with whom: every current child has a social worker; every current school-age
 * child (Reception to Year 13) has a virtual school caseworker; about 1% of children (at least
 * three) are restricted records.
 */
import { yearGroupIndex } from '../../domain/school-calendar';
import type { ChildDraft } from './children';
import type { SeedContext } from './context';
import type { Workforce } from './workers';

export function isSchoolAge(yearGroup: string | null): boolean {
  return yearGroup !== null && yearGroupIndex(yearGroup) >= yearGroupIndex('R');
}

export function allocateWorkers(
  ctx: SeedContext,
  drafts: ChildDraft[],
  workforce: Workforce,
): void {
  const rng = ctx.rng.fork('allocation');
  for (const d of drafts) {
    if (!d.current) continue;
    d.child.SW_ID = rng.pick(workforce.socialWorkers).STAFF_ID;
    if (isSchoolAge(d.yearGroup)) d.child.VS_CASEWORKER_ID = rng.pick(workforce.officers).STAFF_ID;
  }
}

/** Current children allocated to each social worker, by staff id. */
export function caseloads(
  drafts: readonly ChildDraft[],
  key: 'SW_ID' | 'VS_CASEWORKER_ID',
): Map<string, ChildDraft[]> {
  const out = new Map<string, ChildDraft[]>();
  for (const d of drafts) {
    const id = d.child[key];
    if (!d.current || !id) continue;
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push(d);
  }
  return out;
}

/** The staff id with the largest caseload (ties: the lowest id). */
export function largestCaseload(loads: Map<string, ChildDraft[]>): string {
  let best: string | null = null;
  let bestSize = -1;
  for (const [id, list] of [...loads.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (list.length > bestSize) {
      best = id;
      bestSize = list.length;
    }
  }
  if (best === null) throw new Error('No caseloads to choose from');
  return best;
}

/**
 * Flags about 1% of current children (at least three) as restricted, more often those in
 * adoption placements, and makes sure the social worker with the largest caseload (the
 * social-worker persona) has at least one of them.
 */
export function markRestricted(ctx: SeedContext, drafts: ChildDraft[]): string {
  const rng = ctx.rng.fork('restricted');
  const current = drafts.filter((d) => d.current);
  const want = Math.max(3, Math.round(current.length * 0.01));
  const weights: number[] = current.map((d) => {
    const last = d.episodes[d.episodes.length - 1]!;
    return last.PLACE.startsWith('A') || last.LS === 'E1' ? 5 : 1;
  });
  let total = weights.reduce((a, b) => a + b, 0);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(want, current.length)) {
    let x = rng.next() * total;
    let i = 0;
    for (; i < weights.length - 1; i++) {
      x -= weights[i]!;
      if (x < 0) break;
    }
    if (!chosen.has(i)) {
      chosen.add(i);
      total -= weights[i]!;
      weights[i] = 0;
    }
  }
  for (const i of chosen) current[i]!.child.RESTRICTED = true;

  const sw = largestCaseload(caseloads(drafts, 'SW_ID'));
  const theirs = current.filter((d) => d.child.SW_ID === sw);
  if (!theirs.some((d) => d.child.RESTRICTED)) rng.pick(theirs).child.RESTRICTED = true;
  return sw;
}
