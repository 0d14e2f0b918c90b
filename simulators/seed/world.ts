/**
 * The synthetic world the generator makes and the simulators serve: one authority's children
 * looked after, as the three council systems each hold them, plus the people who use CLA Graph.
 * Everything here is invented; no real person's data.
 */
import type {
  EdAttainment,
  EdAttendanceSummary,
  EdDataCoverage,
  EdDesignatedTeacher,
  EdEnrolment,
  EdExclusion,
  EdSchool,
  EdSen,
  EdStaff,
  EdStudent,
  EdYearGroupAggregate,
} from '../../upstream/education/contract';
import type { FinAllocation, FinLedgerLine } from '../../upstream/finance/contract';
import type {
  ScChild,
  ScEpisode,
  ScPep,
  ScPlacement,
  ScWorker,
} from '../../upstream/social-care/contract';
import type { Persona } from '../../identity/personas';

/** The personas are identity's (the development issuer mints their tokens); the seed binds them to data. */
export { PERSONA_NAMES, type Persona, type PersonaName } from '../../identity/personas';

export interface GenerateOptions {
  /** Same seed, same world. */
  seed: number;
  /** Children looked after by the authority (default 600; up to 50,000 for benchmarks). */
  children: number;
  /** The date the world is "as of" (ISO). Ages, the current school year and PEP due dates follow it. */
  asOf: string;
  /** The authority's code and name (default 340 Knowsley). */
  la?: { code: string; name: string };
}

export interface SocialCareData {
  children: ScChild[];
  episodes: ScEpisode[];
  placements: ScPlacement[];
  workers: ScWorker[];
  peps: ScPep[];
}

/**
 * A pupil as the education system holds them, with every part the API can `include`. For a
 * pupil at a school elsewhere the system holds only what the school's returns sent (`coverage`):
 * attendance and exclusions up to the latest return, or, with none, no attendance, exclusions
 * or attainment at all (null).
 */
export interface StudentFull extends EdStudent {
  coverage: EdDataCoverage;
  enrolments: EdEnrolment[];
  attendance: EdAttendanceSummary | null;
  exclusions: EdExclusion[] | null;
  sen: EdSen;
  attainment: EdAttainment | null;
}

export interface EducationData {
  schools: EdSchool[];
  /** Children looked after by this authority (matched by UPN) and by others placed in its schools (COLA). */
  students: StudentFull[];
  staff: EdStaff[];
  designatedTeachers: EdDesignatedTeacher[];
  aggregates: EdYearGroupAggregate[];
}

export interface FinanceData {
  allocations: FinAllocation[];
  ledger: FinLedgerLine[];
}

/** A child's consent that a named member of school staff may know the child is looked after. */
export interface NeedToKnowGrant {
  childId: string;
  /** Education system staff id of the member of staff told. */
  staffId: string;
  urn: string;
  /** Staff id of the designated teacher who recorded it. */
  grantedBy: string;
  grantedAt: string;
  reason: string;
}

export interface World {
  asOf: string;
  seed: number;
  la: { code: string; name: string };
  socialCare: SocialCareData;
  education: EducationData;
  finance: FinanceData;
  needToKnow: NeedToKnowGrant[];
  personas: Persona[];
}
