/**
 * "FUNDING for their school only" (shared/spec/access.md, designated-teacher): a caller whose
 * only roles that read FUNDING are `designated-teacher` sees the spend lines booked to their
 * own school(s) and no others, and `spent` and `balance` are computed from the lines shown, so
 * that neither gives away what another school (or the Virtual School centrally) spent.
 * Allocations are the child's, not a school's, and are shown whole. A caller who also holds a
 * role that reads every child's funding (virtual school head or officer, social worker,
 * finance officer) sees every line.
 */
import type { Caller } from '../../identity/caller';
import { READABLE_CATEGORIES } from '../../lib/authz/categories';

/** The URNs whose spend lines the caller may see, or null for every line. */
export function spendSchoolsFor(caller: Caller | null): readonly string[] | null {
  // No caller reads no funding at all (the permission rule refuses first); show nothing.
  if (!caller) return [];
  const fundingRoles = caller.roles.filter((role) => READABLE_CATEGORIES[role].includes('FUNDING'));
  // Nobody else reaches PP+ (the permission rule refuses first); should they, deny by default.
  if (fundingRoles.length === 0) return [];
  return fundingRoles.every((role) => role === 'designated-teacher') ? caller.urns : null;
}
