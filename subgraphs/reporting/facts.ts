/**
 * One child's part in a report, from the three systems' records: whether they are in the
 * universe (looked after on the reference date), their band on every attribute, and what they
 * add to every measure. Pure; the rules are the profile's own (domain/measures/, which the social
 * care, education and finance subgraphs use too), so a report and a child's record can never
 * disagree about a child.
 */
import type { EdEnrolment, EdStudentRecord } from '../../upstream/education/contract';
import type { FinClient } from '../../upstream/finance/contract';
import type { ScChildRecord, ScEpisode } from '../../upstream/social-care/contract';
import { addDays, yearGroupFor } from '../../domain/school-calendar';
import { ks2For, ks4For, toKs2, toKs4 } from '../../domain/measures/attainment';
import { toAttendance } from '../../domain/measures/attendance';
import { firstPep, isPepInDate, pepFactsOf, pepStandingOf } from '../../domain/measures/pep';
import { enrolmentOn, isMainRegistration, movedMidYear } from '../../domain/measures/school-roll';
import {
  chronological,
  episodeOn,
  isShortBreak,
  periodStart,
} from '../../domain/measures/period-of-care';
import {
  pupilPremiumPlusFor,
  unspentFor,
  type TopSliceYear,
} from '../../domain/measures/pupil-premium-plus';
import {
  ATTRIBUTES,
  NOT_HELD,
  NOT_ON_ROLL,
  PLACED_BY_OTHERS,
  PLACED_BY_US,
  ageBand,
  keyStageOf,
  legalStatusGroup,
  placementGroup,
  yearGroupBand,
  type Attribute,
} from './bands';
import { COVERAGES, MEASURES, type ChildView, type MeasureSource } from './measures';
import type { ReportPeriod } from './period';

export interface FactsContext {
  period: ReportPeriod;
  /** This authority's code (placements elsewhere are out of authority). */
  homeLa: string;
  /** Which sources the report could read (a measure without its source is `x`). */
  available: Record<MeasureSource, boolean>;
  /**
   * Term measures (PEP in date) are taken on this day, for a published snapshot: the last
   * completed term end. Null: on the reference date.
   */
  pepDate?: string | null;
  /**
   * The top-slices of the period's financial year (read once per report): unspent PP+ takes
   * off each child's share. Null when the finance system was not read for that year.
   */
  topSlices: TopSliceYear | null;
}

export interface ChildFacts {
  /** Band per attribute, in ATTRIBUTES order. */
  values: string[];
  /** Children count, then every measure: numerator, denominator, basis. */
  contributions: Float64Array;
  /** "urn|year group" of the school the child is on roll at on the reference date. */
  peerKey: string | null;
}

/** The same day a year earlier (28 February for 29 February). */
function yearBefore(date: string): string {
  const year = Number(date.slice(0, 4)) - 1;
  const monthDay = date.slice(4) === '-02-29' ? '-02-28' : date.slice(4);
  return `${year}${monthDay}`;
}

/**
 * The DfE outcome cohort rule, at `date`: looked after on that day and throughout the 12 months
 * before it, with no new S episode, no episode ceased other than X1, and no V3/V4 episode in
 * the year.
 */
export function continuouslyLookedAfter(episodes: readonly ScEpisode[], date: string): boolean {
  const start = addDays(yearBefore(date), 1);
  if (episodeOn(episodes, date) === null || episodeOn(episodes, start) === null) return false;
  return episodes.every((episode) => {
    const overlaps = episode.DECOM <= date && (episode.DEC === null || episode.DEC >= start);
    if (!overlaps) return true;
    if (isShortBreak(episode)) return false;
    if (episode.RNE === 'S' && episode.DECOM > start) return false;
    return episode.DEC === null || episode.DEC > date || episode.REC === 'X1';
  });
}

/**
 * Entries to care in the period: the period of care the child is in on the reference date
 * began in it. The first PEP's deadline is the profile's (domain/measures/pep.ts: 20 school
 * days after entry or the third birthday, 10 working days after an emergency placement), and
 * only a completed PEP meets it; an entry counts once the PEP is due or held.
 */
function firstPepFor(
  pepFacts: () => ReturnType<typeof pepFactsOf>,
  episodes: readonly ScEpisode[],
  episode: ScEpisode,
  period: ReportPeriod,
): ChildView['firstPep'] {
  const none = { counted: false, onTime: false };
  const entered = periodStart(episodes, episode);
  if (entered < period.from || entered > period.measuredTo) return none;
  // The record's PEP facts on the reference date (pepFactsOf), read only for an entry.
  const first = firstPep(pepFacts(), period.measuredTo);
  if (first === null || first.requiredFrom > period.measuredTo) return none;
  if (first.held === null && first.due > period.measuredTo) return none;
  return { counted: true, onTime: first.held !== null && first.held <= first.due };
}

/**
 * PEP in date (CURRENT or DUE) on `date`, by the profile's own rule: of the children looked
 * after and of PEP age that day (on a term end before the reference date, those of the report's
 * children who were looked after then too).
 */
function pepFor(record: ScChildRecord, date: string): ChildView['pep'] {
  const { status } = pepStandingOf(record, date);
  return { ofAge: status !== 'NOT_REQUIRED', inDate: isPepInDate(status) };
}

const SEN_BANDS = { E: 'EHC_PLAN', K: 'SEN_SUPPORT', N: 'NO_SEN' } as const;

/** The child's facts for the report, or null when they are not in its universe. */
export function childFacts(
  record: ScChildRecord,
  pupil: EdStudentRecord | null,
  funding: FinClient | null,
  context: FactsContext,
): ChildFacts | null {
  return childFactsAt(record, pupil, funding, context, null).now;
}

/** Two contexts give the same facts for any child: the same period, dates, sources and money. */
function sameFacts(a: FactsContext, b: FactsContext): boolean {
  const p = a.period;
  const q = b.period;
  return (
    p.referenceDate === q.referenceDate &&
    p.from === q.from &&
    p.measuredTo === q.measuredTo &&
    p.academicYear === q.academicYear &&
    p.financialYear === q.financialYear &&
    (a.pepDate ?? null) === (b.pepDate ?? null) &&
    a.homeLa === b.homeLa &&
    a.available === b.available &&
    a.topSlices === b.topSlices
  );
}

/**
 * The child's facts at a published snapshot (`now`) and at the one before it (`then`; null:
 * none asked), exactly as `childFacts` gives each, in one pass that works out once what both
 * dates share: the sorted episodes, the PEP standing when both term dates are the same day,
 * PP+ when both are of one financial year, the education system's year-level part when both
 * are of one academic year, and everything when the two periods are the same.
 */
export function childFactsAt(
  record: ScChildRecord,
  pupil: EdStudentRecord | null,
  funding: FinClient | null,
  now: FactsContext,
  then: FactsContext | null,
): { now: ChildFacts | null; then: ChildFacts | null } {
  const shared = new SharedParts(record, pupil, funding);
  const first = factsIn(shared, now);
  if (then === null) return { now: first, then: null };
  return { now: first, then: sameFacts(now, then) ? first : factsIn(shared, then) };
}

/** What a child's facts at two dates have in common, each part worked out when first asked. */
class SharedParts {
  readonly episodes: ScEpisode[];
  private readonly peps = new Map<string, ChildView['pep']>();
  private pepFacts: { on: string; facts: ReturnType<typeof pepFactsOf> } | null = null;
  private money: {
    financialYear: string;
    topSlices: TopSliceYear | null;
    funding: ChildView['funding'];
  } | null = null;
  private years: {
    academicYear: string;
    available: FactsContext['available'];
    education: EdStudentRecord | null;
    part: YearPart;
  } | null = null;

  constructor(
    readonly record: ScChildRecord,
    readonly pupil: EdStudentRecord | null,
    readonly funding: FinClient | null,
  ) {
    this.episodes = chronological(record.episodes ?? []);
  }

  /** PEP in date on `date` (see pepFor). */
  pepOn(date: string): ChildView['pep'] {
    let pep = this.peps.get(date);
    if (pep === undefined) {
      pep = pepFor(this.record, date);
      this.peps.set(date, pep);
    }
    return pep;
  }

  /** The PEP facts the first-PEP rule reads on `on` (pepFactsOf). */
  pepFactsOn(on: string): ReturnType<typeof pepFactsOf> {
    if (this.pepFacts?.on !== on) this.pepFacts = { on, facts: pepFactsOf(this.record, on) };
    return this.pepFacts.facts;
  }

  /** PP+ of the financial year in pence (null without any), unspent after the top-slices. */
  fundingIn(financialYear: string, topSlices: TopSliceYear | null): ChildView['funding'] {
    const kept = this.money;
    if (kept && kept.financialYear === financialYear && kept.topSlices === topSlices) {
      return kept.funding;
    }
    const pp = pupilPremiumPlusFor(this.funding, financialYear);
    // Unspent = allocated - spent - the child's share of the year's top-slices (the profile's
    // rule). Funding is only ever read with that year's top-slices, so a missing year is a bug.
    const unspent =
      pp && topSlices?.financialYear === pp.financialYear ? unspentFor(pp, topSlices) : null;
    if (pp && unspent === null) throw new Error('PP+ read without its year’s top-slices');
    const result = pp &&
      unspent && {
        allocated: pp.allocated.pence,
        spent: pp.spent.pence,
        unspent: unspent.unspent.pence,
      };
    this.money = { financialYear, topSlices, funding: result };
    return result;
  }

  /** The education system's part that depends on the academic year only. */
  yearPart(education: EdStudentRecord | null, context: FactsContext): YearPart {
    const { academicYear } = context.period;
    const { available } = context;
    const kept = this.years;
    if (kept && kept.academicYear === academicYear && kept.available === available) {
      if (education === kept.education) return kept.part;
    }
    const part = yearPartOf(education, context);
    this.years = { academicYear, available, education, part };
    return part;
  }
}

function factsIn(shared: SharedParts, context: FactsContext): ChildFacts | null {
  const { record, episodes } = shared;
  const { period, available } = context;
  const on = period.referenceDate;
  const episode = episodeOn(episodes, on);
  if (episode === null || isShortBreak(episode)) return null;

  const education = available.EDUCATION ? shared.pupil : null;
  const taught = pupilPart(education, record.DOB, context, shared);
  const yearGroup = yearGroupBand(record.DOB, on);
  // In ATTRIBUTES order (bands.ts), written straight into the array the report keeps.
  const values = [
    ageBand(record.DOB, on),
    yearGroup,
    keyStageOf(yearGroup),
    placementGroup(episode.PLACE),
    legalStatusGroup(episode.LS),
    episode.PL_LA === context.homeLa ? 'IN_AUTHORITY' : 'OUT_OF_AUTHORITY',
    taught.school?.urn ?? NOT_ON_ROLL,
    record.SEX === '1' ? 'MALE' : 'FEMALE',
    record.UASC && (record.UASC_CEASED === null || record.UASC_CEASED > on) ? 'YES' : 'NO',
    education?.sen ? SEN_BANDS[education.sen.status] : 'NO_PUPIL_RECORD',
    continuouslyLookedAfter(episodes, on) ? 'YES' : 'NO',
    PLACED_BY_US,
  ];

  const view: ChildView = {
    ...taught.view,
    pep: shared.pepOn(context.pepDate && context.pepDate !== on ? context.pepDate : on),
    firstPep: firstPepFor(() => shared.pepFactsOn(on), episodes, episode, period),
    funding: available.FINANCE ? shared.fundingIn(period.financialYear, context.topSlices) : null,
  };
  return { values, contributions: contributionsOf(view, available), peerKey: taught.peerKey };
}

/**
 * A pupil another authority looks after, as a record of a report that includes them: on roll
 * at one of this authority's schools (`ourSchools`) on the reference date, or null. Only what
 * the education system holds places them (school, year group and key stage, age band from the
 * date of birth, gender, SEN status); the council holds no care record for them, so the care
 * attributes are NOT_HELD and PEP and PP+ add nothing (report.ts shows those measures as `z`
 * wherever such a pupil may be counted). The education system's looked-after flag is the one
 * it holds now (the census flag): whether the pupil was looked after on an earlier date it
 * does not say.
 */
export function otherAuthorityFacts(
  pupil: EdStudentRecord,
  ourSchools: ReadonlySet<string>,
  context: FactsContext,
): ChildFacts | null {
  const { available } = context;
  if (!available.EDUCATION || !pupil.looked_after) return null;
  if (pupil.looked_after_la === null || pupil.looked_after_la === context.homeLa) return null;
  const on = context.period.referenceDate;
  const taught = pupilPart(pupil, pupil.dob, context);
  if (taught.school === null || !ourSchools.has(taught.school.urn)) return null;
  const yearGroup = yearGroupBand(pupil.dob, on);
  const band: Record<Attribute, string> = {
    AGE_BAND: ageBand(pupil.dob, on),
    YEAR_GROUP: yearGroup,
    KEY_STAGE: keyStageOf(yearGroup),
    PLACEMENT_TYPE: NOT_HELD,
    LEGAL_STATUS: NOT_HELD,
    LOCATION: NOT_HELD,
    SCHOOL: taught.school.urn,
    GENDER: pupil.gender === 'M' ? 'MALE' : 'FEMALE',
    UASC: NOT_HELD,
    SEN_STATUS: pupil.sen ? SEN_BANDS[pupil.sen.status] : 'NO_PUPIL_RECORD',
    OUTCOME_COHORT: NOT_HELD,
    PLACING_AUTHORITY: PLACED_BY_OTHERS,
  };
  const view: ChildView = {
    ...taught.view,
    pep: { ofAge: false, inDate: false },
    firstPep: { counted: false, onTime: false },
    funding: null,
  };
  return {
    values: ATTRIBUTES.map((attribute) => band[attribute]),
    contributions: contributionsOf(view, available),
    peerKey: taught.peerKey,
  };
}

/** Children, every measure, then every coverage (see measures.ts), three slots each. */
function contributionsOf(view: ChildView, available: Record<MeasureSource, boolean>): Float64Array {
  const contributions = new Float64Array(3 * (1 + MEASURES.length + COVERAGES.length));
  contributions[0] = 1;
  contributions[1] = 1;
  contributions[2] = 1;
  // Element by element: TypedArray.set from a plain array is far slower for three numbers.
  let at = 3;
  for (const measure of MEASURES) {
    if (available[measure.source]) put(contributions, at, measure.contribution(view));
    at += 3;
  }
  for (const coverage of COVERAGES) {
    if (available[coverage.source]) put(contributions, at, coverage.contribution(view));
    at += 3;
  }
  return contributions;
}

function put(into: Float64Array, at: number, [a, b, c]: readonly [number, number, number]): void {
  into[at] = a;
  into[at + 1] = b;
  into[at + 2] = c;
}

type PupilView = Omit<ChildView, 'pep' | 'firstPep' | 'funding'>;

/** What a pupil's view takes from one academic year (attendance and results). */
interface YearPart {
  attendance: PupilView['attendance'];
  attainmentHeld: boolean;
  ks2: PupilView['ks2'];
  ks4: PupilView['ks4'];
}

function yearPartOf(education: EdStudentRecord | null, context: FactsContext): YearPart {
  const { period, available } = context;
  const summary = available.ATTENDANCE ? (education?.attendance ?? null) : null;
  const attendance =
    summary && summary.academic_year === period.academicYear ? toAttendance(summary) : null;
  const attainment = education?.attainment ?? null;
  // Results of the report's academic year only, never a result of another year.
  const ks2Result = attainment ? ks2For(attainment.ks2, period.academicYear) : null;
  const ks4Result = attainment ? ks4For(attainment.ks4, period.academicYear) : null;
  const ks2 = ks2Result ? toKs2(ks2Result) : null;
  const ks4 = ks4Result ? toKs4(ks4Result) : null;
  return {
    attendance: attendance && {
      attended: attendance.attendedSessions,
      possible: attendance.possibleSessions,
      persistent: attendance.persistentAbsence,
      severe: attendance.severeAbsence,
    },
    attainmentHeld: attainment !== null,
    ks2: ks2 && { expected: ks2.expectedStandardRwm },
    ks4: ks4 && {
      attainment8: ks4.attainment8,
      englishMaths4: ks4.englishAndMaths4Plus,
      englishMaths5: ks4.englishAndMaths5Plus,
    },
  };
}

/**
 * What the education system holds about a pupil, for a report: the enrolment they are on roll
 * by on the reference date, their peers' key, and the education part of their view. `education`
 * is null when the system was not read.
 */
function pupilPart(
  education: EdStudentRecord | null,
  dob: string,
  context: FactsContext,
  shared: SharedParts | null = null,
): { school: EdEnrolment | null; peerKey: string | null; view: PupilView } {
  const { period, available } = context;
  const on = period.referenceDate;
  const enrolments = education?.enrolments ?? [];
  const school = enrolmentOn(enrolments, on);
  const inPeriod = (date: string) => date >= period.from && date <= period.measuredTo;
  const onRoll = enrolments.some(
    (e) =>
      isMainRegistration(e) &&
      e.entry_date <= period.measuredTo &&
      (e.leaving_date === null || e.leaving_date >= period.from),
  );
  // Null (not an empty list) where a school elsewhere sent no return: unknown, never zero.
  const exclusions = available.EXCLUSIONS ? (education?.exclusions ?? null) : null;
  const year = shared ? shared.yearPart(education, context) : yearPartOf(education, context);
  const yearGroupThatYear = yearGroupFor(dob, period.from);
  return {
    school,
    // The year group by the calendar's rule on the reference date: an enrolment's own year
    // group is the one it has now, which for a past period is a later year than it was then.
    peerKey: school ? `${school.urn}|${yearGroupFor(dob, on) ?? school.year_group}` : null,
    view: {
      onRoll,
      held: {
        attendance: year.attendance !== null,
        exclusions: exclusions !== null,
        attainment: year.attainmentHeld,
      },
      attendance: year.attendance,
      suspensions: (exclusions ?? []).filter(
        (x) => x.category === 'FIXED' && inPeriod(x.start_date),
      ).length,
      permanentlyExcluded: (exclusions ?? []).some(
        (x) => x.category === 'PERMANENT' && inPeriod(x.start_date),
      ),
      sen: education?.sen?.status ?? null,
      assessed: { ks2: yearGroupThatYear === '6', ks4: yearGroupThatYear === '11' },
      ks2: year.ks2,
      ks4: year.ks4,
      movedSchool: movedMidYear(enrolments, period.from, period.measuredTo),
    },
  };
}
