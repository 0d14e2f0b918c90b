/**
 * Per-request DataLoaders: the active grants of N children in one query, the staff named by
 * those grants in one education request, and a school's staff list once per request. A staff
 * list read to check a grant also primes the staff look-up, so the answer costs nothing more.
 */
import DataLoader from 'dataloader';
import type { EdStaff, EdStudentRecord } from '../../upstream/education/contract';
import type {
  Grant,
  GrantEvent,
  NeedToKnowStore,
  PupilGrant,
  PupilGrantEvent,
} from '../../stores/need-to-know/need-to-know-store';
import type { EducationClient } from '../../upstream/education/client';

export interface NeedToKnowLoaders {
  /** A child's active grants, oldest first ([] when none). */
  activeGrants: DataLoader<string, Grant[]>;
  /** A child's grant and revoke events, oldest first. */
  history: DataLoader<string, GrantEvent[]>;
  /** A member of school staff by education staff id; null when the system does not know them. */
  staffById: DataLoader<string, EdStaff | null>;
  /** Everyone on a school's staff, by URN. */
  staffAtSchool: DataLoader<string, EdStaff[]>;
  /** Another authority's pupil's active grants, by UPN, oldest first ([] when none). */
  activePupilGrants: DataLoader<string, PupilGrant[]>;
  /** Another authority's pupil's grant and revoke events, by UPN, oldest first. */
  pupilHistory: DataLoader<string, PupilGrantEvent[]>;
  /**
   * The looked-after pupils on a school's roll, by URN, with the authority looking after each
   * (a school the system does not know has none).
   */
  lookedAfterRoll: DataLoader<string, EdStudentRecord[]>;
}

export function createNeedToKnowLoaders(
  store: NeedToKnowStore,
  staff: Pick<EducationClient, 'staffByIds' | 'schoolStaff' | 'lookedAfterStudents'>,
): NeedToKnowLoaders {
  const activeGrants = new DataLoader<string, Grant[]>(async (ids) => {
    const byChild = await store.activeGrantsForChildren(ids);
    return ids.map((id) => byChild.get(id) ?? []);
  });

  // The store reads one child's history per query; the loader still keeps one per child.
  const history = new DataLoader<string, GrantEvent[]>((ids) =>
    Promise.all(ids.map((id) => store.history(id))),
  );

  const staffById = new DataLoader<string, EdStaff | null>(async (ids) => {
    const found = await staff.staffByIds(ids);
    const byId = new Map(found.map((member) => [member.staff_id, member]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const staffAtSchool = new DataLoader<string, EdStaff[]>((urns) =>
    Promise.all(
      urns.map(async (urn) => {
        const members = await staff.schoolStaff(urn);
        for (const member of members) staffById.prime(member.staff_id, member);
        return members;
      }),
    ),
  );

  const activePupilGrants = new DataLoader<string, PupilGrant[]>(async (upns) => {
    const byPupil = await store.activeGrantsForPupils(upns);
    return upns.map((upn) => byPupil.get(upn) ?? []);
  });

  const pupilHistory = new DataLoader<string, PupilGrantEvent[]>((upns) =>
    Promise.all(upns.map((upn) => store.historyForPupil(upn))),
  );

  const lookedAfterRoll = new DataLoader<string, EdStudentRecord[]>((urns) =>
    Promise.all(urns.map(async (urn) => (await staff.lookedAfterStudents(urn, [])) ?? [])),
  );

  return {
    activeGrants,
    history,
    staffById,
    staffAtSchool,
    activePupilGrants,
    pupilHistory,
    lookedAfterRoll,
  };
}
