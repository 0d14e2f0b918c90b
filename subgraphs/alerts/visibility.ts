/**
 * Which stored alerts a caller may see, checked when they read, not only when the event was
 * routed: for each alert, one of the caller's roles must be named in its audience, hold the
 * child in that role's scope today (a social worker who has handed the case on, or the
 * designated teacher of a school the child has left, stops seeing it) and read the alert's
 * category. Roles pair with their own scope: a role named in the audience does not lend its
 * categories to another role's children. An alert about a school (no child) needs only the
 * audience and the category. The scope facts are read in one batch per page.
 */
import type { Role } from '../../identity/caller';
import { READABLE_CATEGORIES } from '../../lib/authz/categories';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { audiencesOf, type StoredEvent } from '../../events/types';

export async function visibleAlerts<T extends StoredEvent>(
  auth: RequestAuth,
  rows: readonly T[],
): Promise<T[]> {
  const caller = auth.caller;
  if (!caller) return [];
  const verdicts = await Promise.all(
    rows.map(async (row) => {
      const heard = caller.roles.filter(
        (role) =>
          READABLE_CATEGORIES[role].includes(row.category) &&
          audiencesOf({ ...caller, roles: [role] }).some((a) => row.audience.includes(a)),
      );
      if (heard.length === 0) return false;
      if (row.childId === null) return true;
      const facts = await auth.facts.byId.load(row.childId);
      const holding: readonly Role[] = await auth.scope.rolesFor(facts);
      return heard.some((role) => holding.includes(role));
    }),
  );
  return rows.filter((_row, index) => verdicts[index]);
}
