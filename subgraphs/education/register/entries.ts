/**
 * The register as one caller may read it: built per request from three (for the virtual
 * school head four) list reads of the education system, whatever the page or filter asked
 * for, so a page costs a constant number of upstream requests. Nothing outlives the request.
 *
 * - the authority's schools (`GET /v1/schools?la_code=`), each with its link officer;
 * - for the virtual school head only, the schools with a child this authority looks after
 *   on roll now (`GET /v1/schools?looked_after_la=`): those outside the authority are
 *   listed too. Where our children are placed is their data (EDU/PLACEMENT), and only the
 *   head, who sees every child of ours, restricted records too, learns nothing new from it;
 *   a placing authority or a school reads the authority's own schools only, and staff who
 *   need one child's out-of-area school use `Child.designatedTeacher`, which is scoped;
 * - every designated teacher entry (`GET /v1/designated-teachers`).
 */
import type { EdDesignatedTeacher, EdPhase, EdSchool } from '../../../upstream/education/contract';
import { toDesignatedTeacher, type DesignatedTeacherShape, type LocalAuthority } from '../mapping';

export interface VirtualSchoolContactShape {
  name: string;
  jobTitle: string;
  workEmail: string;
  workPhone: string;
}

export interface NamedGovernorShape {
  name: string;
  jobTitle: string;
  workEmail: string;
}

/** One school's line of the register (the named governor and history are resolved lazily). */
export interface RegisterEntryShape {
  urn: string;
  schoolName: string;
  phase: EdPhase;
  localAuthority: LocalAuthority;
  inAuthority: boolean;
  designatedTeacher: DesignatedTeacherShape | null;
  virtualSchoolContact: VirtualSchoolContactShape | null;
  /** ISO 8601 UTC, milliseconds. */
  updatedAt: string;
  /**
   * Where `designatedTeacher` came from when it is not this authority's record: the school's
   * own authority's register, read by the exchange (exchange/register-sync.ts). Absent for
   * this authority's records.
   */
  designatedTeacherSource?: RegisterSourceShape | null;
}

/** Another authority's register as the source of an entry's designated teacher. */
export interface RegisterSourceShape {
  localAuthority: LocalAuthority;
  /** When that register last changed the entry, and when we read it (ISO 8601 UTC). */
  updatedAt: string;
  fetchedAt: string;
}

/** A partner authority's entry for a school, as the exchange holds it (stores/partner-registers). */
export interface PartnerEntryShape {
  partnerLa: string;
  designatedTeacher: DesignatedTeacherDetailsShape | null;
  updatedAt: string;
  fetchedAt: string;
}

/** A designated teacher's details without the display name (as our own history keeps them). */
type DesignatedTeacherDetailsShape = Omit<DesignatedTeacherShape, 'name'>;

/**
 * Fills the designated teacher of schools outside the authority that have none on our record
 * from their own authority's register (a partner speaks for its own schools only, so an entry
 * held from another authority is ignored), naming the source; the entry counts as changed
 * when we learnt of the change.
 */
export function withPartnerEntries(
  entries: readonly RegisterEntryShape[],
  partnerEntries: ReadonlyMap<string, PartnerEntryShape>,
): RegisterEntryShape[] {
  return entries.map((entry) => {
    const partner = partnerEntries.get(entry.urn);
    if (
      entry.inAuthority ||
      entry.designatedTeacher !== null ||
      !partner ||
      partner.partnerLa !== entry.localAuthority.code ||
      partner.designatedTeacher === null
    ) {
      return entry;
    }
    const dt = partner.designatedTeacher;
    return {
      ...entry,
      designatedTeacher: {
        name: [dt.title, dt.forename, dt.surname]
          .filter((part) => part && part.trim() !== '')
          .join(' '),
        ...dt,
      },
      designatedTeacherSource: {
        localAuthority: entry.localAuthority,
        updatedAt: partner.updatedAt,
        fetchedAt: partner.fetchedAt,
      },
      updatedAt: latest(entry.updatedAt, partner.fetchedAt),
    };
  });
}

/** Milliseconds since the epoch of an ISO date (midnight UTC) or date-time. */
export function epochMs(value: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
}

/** The later of two upstream timestamps, as ISO 8601 UTC with milliseconds. */
function latest(a: string, b: string | undefined): string {
  const ms = Math.max(epochMs(a), b === undefined ? -Infinity : epochMs(b));
  return new Date(ms).toISOString();
}

export function toEntry(
  school: EdSchool,
  teacher: EdDesignatedTeacher | null,
  laCode: string,
): RegisterEntryShape {
  const link = school.vs_link_officer ?? null;
  return {
    urn: school.urn,
    schoolName: school.name,
    phase: school.phase,
    localAuthority: { code: school.la_code, name: school.la_name },
    inAuthority: school.la_code === laCode,
    designatedTeacher: teacher ? toDesignatedTeacher(teacher) : null,
    virtualSchoolContact: link
      ? { name: link.name, jobTitle: link.job_title, workEmail: link.email, workPhone: link.phone }
      : null,
    updatedAt: latest(school.updated_at, teacher?.updated_at),
  };
}

/**
 * The register from the system's lists: the authority's schools, and (when given) the schools
 * where its children are placed, each once, ordered by URN.
 */
export function buildEntries(
  own: readonly EdSchool[],
  placed: readonly EdSchool[],
  teachers: readonly EdDesignatedTeacher[],
  laCode: string,
): RegisterEntryShape[] {
  const byUrn = new Map<string, EdSchool>();
  for (const school of own) if (school.la_code === laCode) byUrn.set(school.urn, school);
  for (const school of placed) if (!byUrn.has(school.urn)) byUrn.set(school.urn, school);
  const teacherAt = new Map(teachers.map((teacher) => [teacher.urn, teacher]));
  return [...byUrn.values()]
    .sort((a, b) => a.urn.localeCompare(b.urn))
    .map((school) => toEntry(school, teacherAt.get(school.urn) ?? null, laCode));
}

/** A governor's job title that names children looked after ("Named governor for CLA"). */
const NAMES_CHILDREN_LOOKED_AFTER =
  /looked[\s-]+after|\bCLA\b|\bLAC\b|\bCIC\b|children\s+in\s+care/i;

export function isNamedGovernorTitle(jobTitle: string): boolean {
  return NAMES_CHILDREN_LOOKED_AFTER.test(jobTitle);
}
