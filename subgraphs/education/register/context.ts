/**
 * What the register's resolvers get per request: the caller's view of the register (read
 * once, on first use), loaders for the parts only some queries select (named governors, one
 * request per page; history, one query per page), and the access-log record, once per request.
 */
import DataLoader from 'dataloader';
import type { Caller } from '../../../identity/caller';
import type { AuditTrail } from '../../../lib/audit/audit-trail';
import type { Clock } from '../../../lib/clock';
import type {
  DesignatedTeacherChange,
  DesignatedTeacherChangeInput,
} from '../../../stores/designated-teachers/types';
import type { EducationClient } from '../../../upstream/education/client';
import type { EducationLoaders } from '../loaders';
import {
  buildEntries,
  isNamedGovernorTitle,
  withPartnerEntries,
  type NamedGovernorShape,
  type PartnerEntryShape,
  type RegisterEntryShape,
} from './entries';

/** What the register needs of CLA Graph's store (stores/designated-teachers). */
export interface DesignatedTeacherHistory {
  record(change: DesignatedTeacherChangeInput): Promise<DesignatedTeacherChange>;
  historyFor(urns: readonly string[]): Promise<Map<string, DesignatedTeacherChange[]>>;
}

/** What the register needs of other authorities' registers as the exchange read them. */
export interface PartnerRegisterReader {
  entriesFor(urns: readonly string[]): Promise<ReadonlyMap<string, PartnerEntryShape>>;
}

/** Long-lived: made once per subgraph. */
export interface RegisterDependencies {
  client: EducationClient;
  history: DesignatedTeacherHistory;
  /** Partner authorities' registers (exchange/); none when the exchange is not configured. */
  partnerRegisters?: PartnerRegisterReader;
  laCode: string;
  /** "Today" (AS_OF when set): confirmation dates and the 12-month chase. */
  clock: Clock;
}

export interface RegisterContext {
  readonly deps: RegisterDependencies;
  /** The register as this caller may read it, ordered by URN (read once per request). */
  entries(): Promise<RegisterEntryShape[]>;
  namedGovernor: DataLoader<string, NamedGovernorShape | null>;
  history: DataLoader<string, DesignatedTeacherChange[]>;
  /** Notes in the request's audit trail that it read the register (once per request). */
  recordRead(): void;
}

/** Only the virtual school head reads the schools elsewhere where our children are placed. */
export function seesPlacementSchools(caller: Caller | null): boolean {
  return caller !== null && caller.roles.includes('virtual-school-head');
}

export function createRegisterContext(
  deps: RegisterDependencies,
  caller: Caller | null,
  loaders: EducationLoaders,
  auditTrail: AuditTrail,
): RegisterContext {
  const { client, laCode } = deps;
  let entries: Promise<RegisterEntryShape[]> | null = null;
  let recorded = false;

  const readEntries = async (): Promise<RegisterEntryShape[]> => {
    const [own, placed, teachers] = await Promise.all([
      client.schools({ la_code: laCode }),
      seesPlacementSchools(caller) ? client.schools({ looked_after_la: laCode }) : [],
      client.designatedTeachers(),
    ]);
    // Whatever else this request asks about these schools is now free.
    for (const school of [...own, ...placed]) loaders.school.prime(school.urn, school);
    const teacherAt = new Map(teachers.map((teacher) => [teacher.urn, teacher]));
    for (const school of [...own, ...placed]) {
      loaders.designatedTeacher.prime(school.urn, teacherAt.get(school.urn) ?? null);
    }
    const entries = buildEntries(own, placed, teachers, laCode);
    // Schools elsewhere with no teacher on our record: their own authority's, if we read it.
    const missing = entries
      .filter((entry) => !entry.inAuthority && entry.designatedTeacher === null)
      .map((entry) => entry.urn);
    if (missing.length === 0 || !deps.partnerRegisters) return entries;
    return withPartnerEntries(entries, await deps.partnerRegisters.entriesFor(missing));
  };

  return {
    deps,
    entries: () => (entries ??= readEntries()),
    namedGovernor: new DataLoader(async (urns) => {
      const governors = await client.staffAt(urns, 'GOVERNOR');
      return urns.map((urn) => {
        const named = governors.find(
          (member) => member.urn === urn && isNamedGovernorTitle(member.job_title),
        );
        return named
          ? {
              name: [named.title, named.forename, named.surname]
                .filter((part) => part && part.trim() !== '')
                .join(' '),
              jobTitle: named.job_title,
              workEmail: named.email,
            }
          : null;
      });
    }),
    history: new DataLoader(async (urns) => {
      const byUrn = await deps.history.historyFor(urns);
      return urns.map((urn) => byUrn.get(urn) ?? []);
    }),
    recordRead: () => {
      if (recorded) return;
      recorded = true;
      auditTrail.record({ childId: null, categories: ['DT_REGISTER'] });
    },
  };
}
