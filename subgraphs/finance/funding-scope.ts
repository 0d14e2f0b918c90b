/**
 * "FUNDING for their school only" (shared/spec/access.md, designated-teacher): a caller whose
 * only roles that read FUNDING are `designated-teacher` sees the spend lines booked to their
 * own school(s) and no others, and `spent` and `balance` are computed from the lines shown, so
 * that neither gives away what another school (or the Virtual School centrally) spent.
 * Allocations are the child's, not a school's, and are shown whole. A caller who also holds a
 * role that reads every child's funding (virtual school head or officer, social worker,
 * finance officer) sees every line, for the children that role's scope holds: roles pair
 * with their own scope, so only the roles whose scope holds this child count.
 */
import type { Caller, Role } from '../../identity/caller';
import { READABLE_CATEGORIES } from '../../lib/authz/categories';

/**
 * The URNs whose spend lines the caller may see of one child, or null for every line.
 * `rolesInScope`: the caller's roles whose scope holds the child.
 */
export function spendSchoolsFor(
  caller: Caller | null,
  rolesInScope: readonly Role[] = caller?.roles ?? [],
): readonly string[] | null {
  // No caller reads no funding at all (the permission rule refuses first); show nothing.
  if (!caller) return [];
  const fundingRoles = rolesInScope.filter((role) => READABLE_CATEGORIES[role].includes('FUNDING'));
  // Nobody else reaches PP+ (the permission rule refuses first); should they, deny by default.
  if (fundingRoles.length === 0) return [];
  return fundingRoles.every((role) => role === 'designated-teacher') ? caller.urns : null;
}
