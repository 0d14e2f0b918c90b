/**
 * The "may change" column of `shared/spec/access.md`, as data: which kinds of change each role
 * may make. This table is the one place that says it (as categories.ts is for "may read"); the
 * shield rules and the mutations read it. Anything not listed is denied. Granting a role a
 * change (say, PEP writes for designated teachers once access.md allows them) is one line here.
 *
 * Holding the grant is not enough: every write is also about one child, and the child must be
 * in the scope of a role that holds the grant (roles pair with their own scope), see
 * `rolesMayChange`.
 */
import type { Caller, Role } from '../../identity/caller';

export const CHANGES = [
  /** A PEP's content: drafts, targets and their reviews, completion and sign-off. */
  'PEP',
  /** A PEP's status: completion, and the Virtual School's quality assurance. */
  'PEP_STATUS',
  /** Pupil Premium Plus allocations: deciding a request. */
  'FUNDING_ALLOCATION',
  /** Funding transactions: recording a payment. */
  'FUNDING_TRANSACTION',
  /** A child's need-to-know list. */
  'NTK',
  /** A school's designated teacher register entry. */
  'DT_REGISTER',
  /**
   * An authority's entry in the directory of Virtual Schools (issue 15). Not in access.md's
   * table by name: it is reference data of the same kind as the DT register (staff work
   * contacts the head keeps so schools know whom to call), so it goes to the head, who keeps
   * the register; a designated teacher changes their own school's entry, not another
   * authority's Virtual School.
   */
  'VS_DIRECTORY',
  /**
   * What a placing authority shared with the school about a child it looks after on the
   * school's roll (issue 15): legal status, parental responsibility, the social worker, PEP
   * dates. Not in access.md's table by name: it is the designated teacher's own record of a
   * pupil on their roll, of the CARE, PR and PEP data access.md already lets them read for
   * those pupils, kept for the children our social care system has no record of (other
   * authorities' children). So it goes to the designated teacher alone, for pupils on their
   * own school's roll (checked where the write happens); the virtual school does not keep it,
   * since these are not our children.
   */
  'PLACED_PUPIL_INFORMATION',
] as const;
export type Change = (typeof CHANGES)[number];

export const CHANGEABLE: Record<Role, readonly Change[]> = {
  // access.md: "DT register, PEP status, funding allocations".
  'virtual-school-head': ['DT_REGISTER', 'PEP_STATUS', 'FUNDING_ALLOCATION', 'VS_DIRECTORY'],
  // "PEP": the whole plan, its status included (the PEP category is "dates, status, targets").
  'virtual-school-officer': ['PEP'],
  'social-worker': [],
  // "NTK for those children; their school's DT register entry" (which school: where it is written).
  'designated-teacher': ['NTK', 'DT_REGISTER', 'PLACED_PUPIL_INFORMATION'],
  teacher: [],
  governor: [],
  analyst: [],
  'finance-officer': ['FUNDING_TRANSACTION'],
  'placing-authority': [],
  auditor: [],
};

/** Does any of the caller's roles hold one of these changes (whatever the child)? */
export function mayChange(caller: Caller | null, ...changes: Change[]): boolean {
  return caller !== null && rolesMayChange(caller.roles, ...changes);
}

/**
 * May a caller make one of these changes to a child when `rolesInScope` are their roles whose
 * scope holds the child? One of those roles must itself hold the grant.
 */
export function rolesMayChange(rolesInScope: readonly Role[], ...changes: Change[]): boolean {
  return rolesInScope.some((role) => changes.some((change) => CHANGEABLE[role].includes(change)));
}
