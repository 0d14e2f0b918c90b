/**
 * Reading a report's universe from the council systems as a stream: the financial year's
 * top-slices once, a page of 500 children from social care, then that page's pupil records
 * and funding in one request each, reduced
 * at once to each child's facts (bands and measure contributions) and the raw records dropped.
 * Memory holds the facts, not the systems' payloads; requests are about children / 500 per
 * system, `concurrency` pages at a time.
 */
import { UPN } from '../../domain/identifiers';
import { MAX_PER_PAGE } from '../../upstream/common/contract';
import type { EdStudentRecord } from '../../upstream/education/contract';
import { clientRefFor, type FinClient } from '../../upstream/finance/contract';
import type { TopSliceYear } from '../../domain/measures/pupil-premium-plus';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import { logger } from '../../lib/logger';
import { academicYearOf } from '../../domain/school-calendar';
import { eachLimited, type ReportingUpstream } from './client';
import { readByExport, type ReadChunk } from './bulk-source';
import { childFactsAt, otherAuthorityFacts, type ChildFacts, type FactsContext } from './facts';
import type { MeasureSource } from './measures';
import type { ReportPeriod } from './period';

export interface CohortData {
  /** Every child looked after on the reference date (the universe), restricted ones included. */
  records: ChildFacts[];
  /** The universe at the previous snapshot (when asked for), from the same records. */
  previous: ChildFacts[] | null;
  /** Which sources the measures could use. */
  available: Record<MeasureSource, boolean>;
  /** A system failed while reading (its figures are `x`): not to be cached. */
  degraded: boolean;
}

/** The period is this academic year from 1 September to today (what year-to-date figures cover). */
export function yearToDate(period: ReportPeriod, today: string): boolean {
  return (
    period.academicYear === academicYearOf(today) &&
    period.fromYearStart &&
    period.measuredTo === today
  );
}

/** A real UPN (13 characters), not one of the UN1-UN5 placeholders. */

/** For a published snapshot: term measures' date, and the previous snapshot to compare with. */
export interface SnapshotDates {
  pepDate: string;
  previous: { period: ReportPeriod; pepDate: string };
}

export async function readCohort(
  upstream: ReportingUpstream,
  period: ReportPeriod,
  homeLa: string,
  today: string,
  snapshot: SnapshotDates | null = null,
): Promise<CohortData> {
  const thisYear = period.academicYear === academicYearOf(today);
  // The education system holds this academic year's exclusions, and its attendance from
  // 1 September to today: it fits a period that starts on 1 September and reaches today.
  const available: Record<MeasureSource, boolean> = {
    SOCIAL_CARE: true,
    EDUCATION: true,
    ATTENDANCE: yearToDate(period, today),
    EXCLUSIONS: thisYear,
    FINANCE: true,
  };
  let degraded = false;
  const lost = (source: 'EDUCATION' | 'FINANCE', error: unknown) => {
    if (!available[source]) return;
    logger.warn('report source unavailable', {
      source,
      kind: error instanceof Error ? error.constructor.name : typeof error,
    });
    degraded = true;
    available[source] = false;
    if (source === 'EDUCATION') {
      available.ATTENDANCE = false;
      available.EXCLUSIONS = false;
    }
  };
  // The financial year's top-slices, read once per report (started now, beside the first
  // page): every child's unspent PP+ takes off a share of them.
  const topSlicesRead: Promise<TopSliceYear | null> = upstream
    .topSlices(period.financialYear)
    .catch((error: unknown) => {
      lost('FINANCE', error);
      return null;
    });

  const records: ChildFacts[] = [];
  const previous: ChildFacts[] | null = snapshot ? [] : null;
  const context = { period, homeLa, available, pepDate: snapshot?.pepDate ?? null };
  const previousContext = snapshot && {
    period: snapshot.previous.period,
    homeLa,
    available,
    pepDate: snapshot.previous.pepDate,
  };
  // `read`: the children's records already read (from the bulk exports, bulk-source.ts).
  const take = async (children: readonly ScChildRecord[], read?: ReadChunk) => {
    const topSlices = await topSlicesRead;
    const now = { ...context, topSlices };
    // A previous snapshot of another financial year has no funding read for it (see below).
    const then = previousContext && {
      ...previousContext,
      topSlices: previousContext.period.financialYear === period.financialYear ? topSlices : null,
    };
    const upns = children.map((child) => child.UPN).filter((upn) => UPN.test(upn));
    const refs = children.map((child) => clientRefFor(child.CHILD));
    const [pupils, funding] = await Promise.all([
      read
        ? read.pupils
        : available.EDUCATION
          ? upstream.pupils(upns).catch((error: unknown) => {
              lost('EDUCATION', error);
              return [] as EdStudentRecord[];
            })
          : [],
      read
        ? read.funding
        : available.FINANCE
          ? upstream.funding(refs, period.financialYear).catch((error: unknown) => {
              lost('FINANCE', error);
              return [] as FinClient[];
            })
          : [],
    ]);
    const pupilByUpn = new Map(pupils.map((pupil) => [pupil.upn, pupil]));
    const fundingByRef = new Map(funding.map((client) => [client.client_ref, client]));
    for (const child of children) {
      const pupil = pupilByUpn.get(child.UPN) ?? null;
      const funds = fundingByRef.get(clientRefFor(child.CHILD)) ?? null;
      // Both snapshot dates in one pass: what they share is worked out once (facts.ts).
      const facts = childFactsAt(child, pupil, funds, now, previous && then);
      if (facts.now) records.push(facts.now);
      if (previous && facts.then) previous.push(facts.then);
    }
  };

  // Children who left care before the reference date are needed only for a past date.
  const currentOnly = period.referenceDate >= today && snapshot === null;
  if (upstream.readsExports) {
    const wants = (source: 'EDUCATION' | 'FINANCE') => available[source];
    const { financialYear } = period;
    await readByExport(upstream, { currentOnly, financialYear, wants, lost }, take);
    return { records, previous, available, degraded };
  }
  const first = await upstream.childrenPage(1, currentOnly);
  const pages = Math.ceil(first.meta.pagination.total / MAX_PER_PAGE);
  await take(first.data);
  const rest = Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 2);
  await eachLimited(rest, upstream.concurrency, async (page) => {
    await take((await upstream.childrenPage(page, currentOnly)).data);
  });
  return { records, previous, available, degraded };
}

/**
 * Other authorities' looked-after pupils on roll at this authority's schools on the reference
 * date (and at the previous snapshot, when asked for), for a report that counts them: the
 * authority's schools, then each school's looked-after pupils (one request a school, a page of
 * 500 at most, `concurrency` at a time). The education system lists who is on a roll now, so
 * a pupil who has left every roll of ours since the reference date is not found (see README).
 * Needs the education system: without it such a report cannot be made.
 */
export async function readOtherAuthorities(
  upstream: ReportingUpstream,
  period: ReportPeriod,
  homeLa: string,
  available: Record<MeasureSource, boolean>,
  snapshot: SnapshotDates | null = null,
): Promise<{ records: ChildFacts[]; previous: ChildFacts[] | null }> {
  const ourSchools = new Set(await upstream.schoolsOf(homeLa));
  const pupils = new Map<string, EdStudentRecord>();
  await eachLimited([...ourSchools].sort(), upstream.concurrency, async (urn) => {
    for (const pupil of await upstream.lookedAfterOnRoll(urn)) pupils.set(pupil.upn, pupil);
  });
  // No funding is read for them: the council holds no PP+ for another authority's child.
  const context: FactsContext = {
    period,
    homeLa,
    available,
    pepDate: snapshot?.pepDate ?? null,
    topSlices: null,
  };
  const then: FactsContext | null = snapshot && {
    ...context,
    period: snapshot.previous.period,
    pepDate: snapshot.previous.pepDate,
  };
  const records: ChildFacts[] = [];
  const previous: ChildFacts[] | null = then ? [] : null;
  for (const upn of [...pupils.keys()].sort()) {
    const pupil = pupils.get(upn)!;
    const facts = otherAuthorityFacts(pupil, ourSchools, context);
    if (facts) records.push(facts);
    if (previous && then) {
      const before = otherAuthorityFacts(pupil, ourSchools, then);
      if (before) previous.push(before);
    }
  }
  return { records, previous };
}
