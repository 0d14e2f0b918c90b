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
import {
  addDays,
  addSchoolDays,
  ageOn,
  academicYearStart,
  yearGroupFor,
} from '../../domain/school-calendar';
import { toKs2, toKs4 } from '../../domain/measures/attainment';
import { toAttendance } from '../../domain/measures/attendance';
import { isOfPepAge, pepTimeliness } from '../../domain/measures/pep';
import { chronological, periodStart } from '../../domain/measures/period-of-care';
import { pupilPremiumPlusFor } from '../../domain/measures/pupil-premium-plus';
import {
  ATTRIBUTES,
  NOT_ON_ROLL,
  ageBand,
  keyStageOf,
  legalStatusGroup,
  placementGroup,
  yearGroupBand,
  type Attribute,
} from './bands';
import { MEASURES, type ChildView, type MeasureSource } from './measures';
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
}

export interface ChildFacts {
  /** Band per attribute, in ATTRIBUTES order. */
  values: string[];
  /** Children count, then every measure: numerator, denominator, basis. */
  contributions: Float64Array;
  /** "urn|year group" of the school the child is on roll at on the reference date. */
  peerKey: string | null;
}

/** Short breaks (V3, V4) are not "looked after" for these cohorts. */
const SHORT_BREAKS = new Set(['V3', 'V4']);

/** The episode open on `date`: started by then, not ended by then (the latest if several). */
function episodeOn(episodes: readonly ScEpisode[], date: string): ScEpisode | null {
  let found: ScEpisode | null = null;
  for (const episode of episodes) {
    if (episode.DECOM <= date && (episode.DEC === null || episode.DEC > date)) found = episode;
  }
  return found;
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
    if (SHORT_BREAKS.has(episode.LS)) return false;
    if (episode.RNE === 'S' && episode.DECOM > start) return false;
    return episode.DEC === null || episode.DEC > date || episode.REC === 'X1';
  });
}

const isMainRegistration = (enrolment: EdEnrolment) => enrolment.enrolment_status !== 'S';

/** The single or main registration open on `date` (single preferred, newest first). */
export function enrolmentOn(enrolments: readonly EdEnrolment[], date: string): EdEnrolment | null {
  const open = enrolments.filter(
    (e) =>
      isMainRegistration(e) &&
      e.entry_date <= date &&
      (e.leaving_date === null || e.leaving_date >= date),
  );
  open.sort(
    (a, b) =>
      Number(a.enrolment_status !== 'C') - Number(b.enrolment_status !== 'C') ||
      b.entry_date.localeCompare(a.entry_date),
  );
  return open[0] ?? null;
}

/**
 * A mid-year school move in the period: a new single or main registration that started in the
 * period, after another one ended earlier in the same academic year (a move over the summer,
 * from one phase to the next, is not mid-year).
 */
export function movedMidYear(
  enrolments: readonly EdEnrolment[],
  from: string,
  to: string,
): boolean {
  const main = enrolments.filter(isMainRegistration);
  return main.some((joined) => {
    if (joined.entry_date < from || joined.entry_date > to) return false;
    const yearStart = academicYearStart(joined.entry_date);
    return main.some(
      (left) =>
        left !== joined &&
        left.urn !== joined.urn &&
        left.leaving_date !== null &&
        left.leaving_date >= yearStart &&
        left.leaving_date < joined.entry_date,
    );
  });
}

/** The first day the child is of PEP age (their third birthday, by the calendar's rule). */
function thirdBirthday(dob: string): string {
  let day = `${Number(dob.slice(0, 4)) + 3}${dob.slice(4)}`;
  if (dob.slice(5) === '02-29' && ageOn(dob, day.replace('-02-29', '-02-28')) < 3) {
    day = day.replace('-02-29', '-03-01');
  }
  return day;
}

/**
 * Entries to care in the period: the period of care the child is in on the reference date
 * began in it. The first PEP is due 20 school days after entry (or after the third birthday,
 * for a child who entered younger); an entry counts once the PEP is due or held.
 */
function firstPepFor(
  record: ScChildRecord,
  episodes: readonly ScEpisode[],
  episode: ScEpisode,
  period: ReportPeriod,
): ChildView['firstPep'] {
  const none = { counted: false, onTime: false };
  const entered = periodStart(episodes, episode);
  if (entered < period.from || entered > period.measuredTo) return none;
  const birthday = thirdBirthday(record.DOB);
  const pepFrom = entered > birthday ? entered : birthday;
  if (pepFrom > period.measuredTo || yearGroupFor(record.DOB, pepFrom) === null) return none;
  const due = addSchoolDays(pepFrom, 20);
  const first = (record.peps ?? [])
    .filter((pep) => pep.MEETING_DATE >= entered && pep.MEETING_DATE <= period.measuredTo)
    .map((pep) => pep.MEETING_DATE)
    .sort()[0];
  if (first === undefined && due > period.measuredTo) return none;
  return { counted: true, onTime: first !== undefined && first <= due };
}

/**
 * PEP in date at a term end before the reference date: of the children in the report who were
 * looked after (and of PEP age) then too.
 */
function pepAtTermEnd(
  record: ScChildRecord,
  episodes: readonly ScEpisode[],
  date: string,
): ChildView['pep'] {
  const then = episodeOn(episodes, date);
  if (then === null || SHORT_BREAKS.has(then.LS)) return { ofAge: false, inDate: false };
  return pepFor(record, date);
}

function pepFor(record: ScChildRecord, date: string): ChildView['pep'] {
  const ofAge = isOfPepAge(record.DOB, date);
  const held = (record.peps ?? [])
    .map((pep) => pep.MEETING_DATE)
    .filter((meeting) => meeting <= date)
    .sort();
  const last = held[held.length - 1] ?? null;
  return { ofAge, inDate: pepTimeliness(true, ofAge, last, date) === 'IN_DATE' };
}

const SEN_BANDS = { E: 'EHC_PLAN', K: 'SEN_SUPPORT', N: 'NO_SEN' } as const;

/** The child's facts for the report, or null when they are not in its universe. */
export function childFacts(
  record: ScChildRecord,
  pupil: EdStudentRecord | null,
  funding: FinClient | null,
  context: FactsContext,
): ChildFacts | null {
  const { period, available } = context;
  const on = period.referenceDate;
  const episodes = chronological(record.episodes ?? []);
  const episode = episodeOn(episodes, on);
  if (episode === null || SHORT_BREAKS.has(episode.LS)) return null;

  const education = available.EDUCATION ? pupil : null;
  const enrolments = education?.enrolments ?? [];
  const school = enrolmentOn(enrolments, on);
  const yearGroup = yearGroupBand(record.DOB, on);
  const band: Record<Attribute, string> = {
    AGE_BAND: ageBand(record.DOB, on),
    YEAR_GROUP: yearGroup,
    KEY_STAGE: keyStageOf(yearGroup),
    PLACEMENT_TYPE: placementGroup(episode.PLACE),
    LEGAL_STATUS: legalStatusGroup(episode.LS),
    LOCATION: episode.PL_LA === context.homeLa ? 'IN_AUTHORITY' : 'OUT_OF_AUTHORITY',
    SCHOOL: school?.urn ?? NOT_ON_ROLL,
    GENDER: record.SEX === '1' ? 'MALE' : 'FEMALE',
    UASC: record.UASC && (record.UASC_CEASED === null || record.UASC_CEASED > on) ? 'YES' : 'NO',
    SEN_STATUS: education?.sen ? SEN_BANDS[education.sen.status] : 'NO_PUPIL_RECORD',
    OUTCOME_COHORT: continuouslyLookedAfter(episodes, on) ? 'YES' : 'NO',
  };

  const inPeriod = (date: string) => date >= period.from && date <= period.measuredTo;
  const onRoll = enrolments.some(
    (e) =>
      isMainRegistration(e) &&
      e.entry_date <= period.measuredTo &&
      (e.leaving_date === null || e.leaving_date >= period.from),
  );
  const exclusions = available.EXCLUSIONS ? (education?.exclusions ?? []) : [];
  const summary = available.ATTENDANCE ? education?.attendance : null;
  const attendance =
    summary && summary.academic_year === period.academicYear ? toAttendance(summary) : null;
  const ks2 = education?.attainment?.ks2 ? toKs2(education.attainment.ks2) : null;
  const ks4 = education?.attainment?.ks4 ? toKs4(education.attainment.ks4) : null;
  const pp = available.FINANCE ? pupilPremiumPlusFor(funding, period.financialYear) : null;

  const view: ChildView = {
    onRoll,
    attendance: attendance && {
      attended: attendance.attendedSessions,
      possible: attendance.possibleSessions,
      persistent: attendance.persistentAbsence,
      severe: attendance.severeAbsence,
    },
    suspended: exclusions.some((x) => x.category === 'FIXED' && inPeriod(x.start_date)),
    permanentlyExcluded: exclusions.some(
      (x) => x.category === 'PERMANENT' && inPeriod(x.start_date),
    ),
    sen: education?.sen?.status ?? null,
    ks2: ks2 && { expected: ks2.expectedStandardRwm },
    ks4: ks4 && {
      attainment8: ks4.attainment8,
      englishMaths4: ks4.englishAndMaths4Plus,
      englishMaths5: ks4.englishAndMaths5Plus,
    },
    movedSchool: movedMidYear(enrolments, period.from, period.measuredTo),
    pep:
      context.pepDate && context.pepDate !== on
        ? pepAtTermEnd(record, episodes, context.pepDate)
        : pepFor(record, on),
    firstPep: firstPepFor(record, episodes, episode, period),
    funding: pp && {
      allocated: pp.allocated.pence,
      spent: pp.spent.pence,
      unspent: pp.balance.pence,
    },
  };

  const contributions = new Float64Array(3 * (MEASURES.length + 1));
  contributions.set([1, 1, 1]);
  MEASURES.forEach((measure, i) => {
    if (!available[measure.source]) return;
    contributions.set(measure.contribution(view), 3 * (i + 1));
  });
  return {
    values: ATTRIBUTES.map((attribute) => band[attribute]),
    contributions,
    peerKey: school ? `${school.urn}|${school.year_group}` : null,
  };
}
