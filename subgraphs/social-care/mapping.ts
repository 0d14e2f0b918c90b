/**
 * Pure functions from the case system's payloads (SSDA903 vocabulary) to the schema's shapes:
 * every code with its label, dates as ISO strings, derived facts (age, the current period of
 * care, out of area, who holds parental responsibility, PEP status) computed here once.
 * The rules shared with reporting (periods of care, PEP status) live in domain/measures/.
 */
import type {
  ScChild,
  ScChildRecord,
  ScEpisode,
  ScPep,
  ScPlacement,
  ScWorker,
} from '../../upstream/social-care/contract';
import {
  CATEGORY_OF_NEED,
  ETHNICITY,
  LEGAL_STATUS,
  PLACEMENT_PROVIDER,
  PLACEMENT_TYPE,
  REASON_EPISODE_CEASED,
  REASON_NEW_EPISODE,
  codedValue,
  delegatedAuthorityLabel,
  type CodedValue,
} from '../../domain/codes/ssda903';
import { localAuthority, type LocalAuthority } from '../../domain/codes/local-authorities';
import { money, type Money } from '../../domain/money';
import { chronological, periodStart } from '../../domain/measures/period-of-care';
import { isCompletedPep, pepStandingOf, type PepStatus } from '../../domain/measures/pep';
import { ageOn } from '../../domain/school-calendar';

/** What mapping needs beyond the payload: today, and the authority this service serves. */
export interface MappingContext {
  asOf: string;
  la: LocalAuthority;
}

export type Gender = 'MALE' | 'FEMALE';

export interface PersonName {
  forename: string;
  surname: string;
  preferred: string | null;
  displayName: string;
}

export interface CareEpisode {
  startDate: string;
  endDate: string | null;
  reasonForNewEpisode: CodedValue;
  legalStatus: CodedValue;
  placementType: CodedValue;
  reasonEnded: CodedValue | null;
}

export interface CareStatus {
  lookedAfter: boolean;
  lookedAfterSince: string;
  ceasedOn: string | null;
  reasonCeased: CodedValue | null;
  legalStatus: CodedValue;
  categoryOfNeed: CodedValue;
  placingAuthority: LocalAuthority;
  uasc: boolean;
  uascCeasedOn: string | null;
  ethnicity: CodedValue;
  episodes: CareEpisode[];
}

export interface Placement {
  type: CodedValue;
  provider: CodedValue;
  startDate: string;
  outOfArea: boolean;
  localAuthority: LocalAuthority;
  carer: { name: string; workPhone: string | null; workEmail: string | null } | null;
  address: { line1: string; town: string; postcode: string } | null;
}

export interface SocialWorker {
  staffId: string;
  name: string;
  team: string;
  workEmail: string;
  workPhone: string;
}

export interface ParentalResponsibility {
  localAuthorityShares: boolean;
  summary: string;
  delegatedAuthority: string[];
}

export interface PepTargetReview {
  outcome: 'MET' | 'PARTLY_MET' | 'NOT_MET';
  comment: string;
  reviewedOn: string;
  reviewedAtPepId: string;
}

export interface PepTarget {
  id: string;
  area: string;
  description: string;
  status: ScPep['TARGETS'][number]['STATUS'];
  pupilPremiumPlusRequested: Money;
  successMeasure: string | null;
  owner: string | null;
  reviewDate: string | null;
  review: PepTargetReview | null;
}

export interface Pep {
  id: string;
  /** Whose PEP (not in the schema): for the rule on its history and the access log. */
  childId: string;
  meetingDate: string;
  initial: boolean;
  status: ScPep['STATUS'];
  schoolUrn: string | null;
  childViews: string | null;
  supportStrategies: string[];
  targets: PepTarget[];
  attendees: Array<{ name: string; role: string }>;
  strengths: string | null;
  barriers: string | null;
  signOff: Array<{ role: string; name: string; signedOn: string }>;
  qualityAssurance: { rating: string; reasons: string; ratedBy: string; ratedOn: string } | null;
  version: number;
  completedOn: string | null;
}

export interface PepRecord {
  status: PepStatus;
  nextReviewDue: string | null;
  firstPepDue: string | null;
  current: Pep | null;
  history: Pep[];
}

// ---------------------------------------------------------------- the child

export function toGender(sex: ScChild['SEX']): Gender {
  if (sex === '1') return 'MALE';
  if (sex === '2') return 'FEMALE';
  // The contract allows only 1 and 2; anything else is a broken record, not a third answer.
  throw new Error('Unexpected 903 SEX code');
}

export function toName(child: ScChild): PersonName {
  const preferred = child.PREFERRED_NAME?.trim() ? child.PREFERRED_NAME.trim() : null;
  return {
    forename: child.FORENAME,
    surname: child.SURNAME,
    preferred,
    displayName: `${preferred ?? child.FORENAME} ${child.SURNAME}`,
  };
}

export function toAge(child: ScChild, asOf: string): number {
  return ageOn(child.DOB, asOf);
}

// ---------------------------------------------------------------- episodes of care

/** The open episode (no DEC), the latest if the data holds more than one. */
export function currentEpisode(episodes: readonly ScEpisode[]): ScEpisode | null {
  const open = chronological(episodes).filter((episode) => episode.DEC === null);
  return open[open.length - 1] ?? null;
}

/** The current episode, or when care has ended the last one. */
export function latestEpisode(episodes: readonly ScEpisode[]): ScEpisode | null {
  const sorted = chronological(episodes);
  return currentEpisode(sorted) ?? sorted[sorted.length - 1] ?? null;
}

export function toCareEpisode(episode: ScEpisode): CareEpisode {
  return {
    startDate: episode.DECOM,
    endDate: episode.DEC,
    reasonForNewEpisode: codedValue(REASON_NEW_EPISODE, episode.RNE),
    legalStatus: codedValue(LEGAL_STATUS, episode.LS),
    placementType: codedValue(PLACEMENT_TYPE, episode.PLACE),
    reasonEnded: episode.REC === null ? null : codedValue(REASON_EPISODE_CEASED, episode.REC),
  };
}

/** Null when the record holds no episodes (or they were not fetched). */
export function toCareStatus(record: ScChildRecord, context: MappingContext): CareStatus | null {
  const episodes = record.episodes ?? [];
  const latest = latestEpisode(episodes);
  if (latest === null) return null;
  const open = latest.DEC === null;
  return {
    lookedAfter: open,
    lookedAfterSince: periodStart(episodes, latest),
    ceasedOn: open ? null : latest.DEC,
    reasonCeased:
      open || latest.REC === null ? null : codedValue(REASON_EPISODE_CEASED, latest.REC),
    legalStatus: codedValue(LEGAL_STATUS, latest.LS),
    categoryOfNeed: codedValue(CATEGORY_OF_NEED, latest.CIN),
    placingAuthority: context.la,
    uasc: record.UASC,
    uascCeasedOn: record.UASC_CEASED,
    ethnicity: codedValue(ETHNICITY, record.ETHNIC),
    episodes: chronological(episodes).map(toCareEpisode),
  };
}

// ---------------------------------------------------------------- placement

/**
 * The date the child moved into the placement of `episode`. A new episode for a change of
 * legal status only (RNE "L") keeps the placement, so walk back through those, as long as the
 * episodes abut and the placement type is the same (a guard against inconsistent data).
 */
export function placementStart(episodes: readonly ScEpisode[], episode: ScEpisode): string {
  const sorted = chronological(episodes);
  let index = sorted.indexOf(episode);
  while (index > 0) {
    const here = sorted[index] as ScEpisode;
    const before = sorted[index - 1] as ScEpisode;
    if (here.RNE !== 'L' || before.DEC !== here.DECOM || before.PLACE !== here.PLACE) break;
    index -= 1;
  }
  return sorted[Math.max(index, 0)]?.DECOM ?? episode.DECOM;
}

function placementDetail(
  placements: readonly ScPlacement[],
  episode: ScEpisode,
): ScPlacement | null {
  return placements.find((p) => p.CHILD === episode.CHILD && p.DECOM === episode.DECOM) ?? null;
}

/** From the current episode (or the last, when care has ended) and its carer and address. */
export function toPlacement(record: ScChildRecord, context: MappingContext): Placement | null {
  const episodes = record.episodes ?? [];
  const episode = latestEpisode(episodes);
  if (episode === null) return null;
  const detail = placementDetail(record.placements ?? [], episode);
  return {
    type: codedValue(PLACEMENT_TYPE, episode.PLACE),
    provider: codedValue(PLACEMENT_PROVIDER, episode.PLACE_PROVIDER),
    startDate: placementStart(episodes, episode),
    outOfArea: episode.PL_LA !== context.la.code,
    localAuthority: episode.PL_LA === context.la.code ? context.la : localAuthority(episode.PL_LA),
    carer: detail
      ? {
          name: detail.CARER_NAME,
          workPhone: detail.CARER_WORK_PHONE,
          workEmail: detail.CARER_WORK_EMAIL,
        }
      : null,
    address: detail
      ? { line1: detail.ADDRESS_LINE1, town: detail.ADDRESS_TOWN, postcode: detail.POSTCODE }
      : null,
  };
}

// ---------------------------------------------------------------- parental responsibility

interface ResponsibilityRule {
  localAuthorityShares: boolean;
  summary: string;
}

const PARENTS_ALONE_S20 = 'Held by the parents alone (accommodated under section 20)';

/** Who holds parental responsibility under each legal status (Children Act 1989, ACA 2002). */
const RESPONSIBILITY_BY_LEGAL_STATUS: Readonly<Record<string, ResponsibilityRule>> = {
  C1: {
    localAuthorityShares: true,
    summary: 'Shared between the local authority and the parents (care order)',
  },
  C2: {
    localAuthorityShares: true,
    summary: 'Shared between the local authority and the parents (care order)',
  },
  E1: {
    localAuthorityShares: true,
    summary:
      'Shared between the local authority and the parents (placement order); prospective adopters also share it once the child is placed with them',
  },
  D1: {
    localAuthorityShares: true,
    summary:
      'Held by the local authority as adoption agency (freeing order): the order transferred it from the parents',
  },
  V2: { localAuthorityShares: false, summary: PARENTS_ALONE_S20 },
  V3: { localAuthorityShares: false, summary: PARENTS_ALONE_S20 },
  V4: { localAuthorityShares: false, summary: PARENTS_ALONE_S20 },
  J1: {
    localAuthorityShares: false,
    summary:
      'Held by the parents alone: remand to local authority or youth detention accommodation does not give the authority parental responsibility',
  },
  J2: {
    localAuthorityShares: false,
    summary:
      'Held by the parents alone: accommodation under the Police and Criminal Evidence Act does not give the authority parental responsibility',
  },
  J3: {
    localAuthorityShares: false,
    summary:
      'Held by the parents alone: a youth rehabilitation order does not give the authority parental responsibility',
  },
  L1: {
    localAuthorityShares: false,
    summary:
      'Held by the parents: police protection gives neither the police nor the authority parental responsibility',
  },
  L2: {
    localAuthorityShares: true,
    summary:
      'Shared between the local authority and the parents, limited to what the emergency protection order allows',
  },
  L3: {
    localAuthorityShares: false,
    summary:
      'Held by the parents alone: a child assessment order does not give the authority parental responsibility',
  },
};

/** From the current episode's legal status; after care has ended the authority holds none. */
export function toParentalResponsibility(record: ScChildRecord): ParentalResponsibility | null {
  const episode = latestEpisode(record.episodes ?? []);
  if (episode === null) return null;
  const delegatedAuthority = record.DELEGATED_AUTHORITY.map(delegatedAuthorityLabel);
  if (episode.DEC !== null) {
    return {
      localAuthorityShares: false,
      summary:
        'The child is no longer looked after: the local authority holds no parental responsibility',
      delegatedAuthority: [],
    };
  }
  const rule = RESPONSIBILITY_BY_LEGAL_STATUS[episode.LS];
  if (!rule) {
    return {
      localAuthorityShares: false,
      summary: `Not known: the legal status code (${episode.LS}) is not one this service recognises`,
      delegatedAuthority,
    };
  }
  return { ...rule, delegatedAuthority };
}

// ---------------------------------------------------------------- social worker

export function toSocialWorker(worker: ScWorker | null | undefined): SocialWorker | null {
  if (!worker) return null;
  return {
    staffId: worker.STAFF_ID,
    name: worker.NAME,
    team: worker.TEAM_NAME,
    workEmail: worker.WORK_EMAIL,
    workPhone: worker.WORK_PHONE,
  };
}

// ---------------------------------------------------------------- personal education plans

export function toPep(pep: ScPep): Pep {
  return {
    id: pep.PEP_ID,
    childId: pep.CHILD,
    meetingDate: pep.MEETING_DATE,
    initial: pep.INITIAL,
    status: pep.STATUS,
    schoolUrn: pep.SCHOOL_URN,
    childViews: pep.CHILD_VIEWS,
    supportStrategies: [...pep.SUPPORT_STRATEGIES],
    targets: pep.TARGETS.map((target) => ({
      id: target.TARGET_ID,
      area: target.AREA,
      description: target.DESCRIPTION,
      status: target.STATUS,
      pupilPremiumPlusRequested: money(target.PP_PLUS_REQUEST_PENCE),
      successMeasure: target.SUCCESS_MEASURE,
      owner: target.OWNER,
      reviewDate: target.REVIEW_DATE,
      review: target.REVIEW && {
        outcome: target.REVIEW.OUTCOME,
        comment: target.REVIEW.COMMENT,
        reviewedOn: target.REVIEW.REVIEWED_ON,
        reviewedAtPepId: target.REVIEW.REVIEWED_AT_PEP_ID,
      },
    })),
    attendees: pep.ATTENDEES.map((attendee) => ({ name: attendee.NAME, role: attendee.ROLE })),
    strengths: pep.STRENGTHS,
    barriers: pep.BARRIERS,
    signOff: pep.SIGN_OFF.map((entry) => ({
      role: entry.ROLE,
      name: entry.NAME,
      signedOn: entry.SIGNED_ON,
    })),
    qualityAssurance: pep.QA && {
      rating: pep.QA.RATING,
      reasons: pep.QA.REASONS,
      ratedBy: pep.QA.RATED_BY,
      ratedOn: pep.QA.RATED_ON,
    },
    version: pep.VERSION,
    completedOn: pep.COMPLETED_ON,
  };
}

/** Newest meeting first; ties (same day) by id, newest id first. */
export function newestFirst(peps: readonly ScPep[]): ScPep[] {
  return [...peps].sort(
    (a, b) => b.MEETING_DATE.localeCompare(a.MEETING_DATE) || b.PEP_ID.localeCompare(a.PEP_ID),
  );
}

export function toPepRecord(record: ScChildRecord, context: MappingContext): PepRecord {
  const { asOf } = context;
  const history = newestFirst(record.peps ?? []);
  // The reports use the same function on the same record: they cannot disagree.
  const { status, nextReviewDue, firstPepDue } = pepStandingOf(record, asOf);
  // The PEP in force: the latest completed one held by today (a draft or a meeting still to
  // come is in the history, not current).
  const current = history.find((pep) => pep.MEETING_DATE <= asOf && isCompletedPep(pep));
  return {
    status,
    nextReviewDue,
    firstPepDue,
    current: current ? toPep(current) : null,
    history: history.map(toPep),
  };
}
