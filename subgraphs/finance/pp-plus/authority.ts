/**
 * Who may change what about a child's PP+ (access.md's "may change" column, one table in
 * lib/authz/changes.ts): the shield lets through only callers with a role holding the change,
 * and here the child must also be in the scope of one of those roles (roles pair with their
 * own scope). A child out of that scope is answered exactly as one that does not exist.
 */
import type { Caller } from '../../../identity/caller';
import { mayChange, rolesMayChange, type Change } from '../../../lib/authz/changes';
import { ErrorCode, PublicError, forbidden } from '../../../lib/errors';
import type { FinanceContext } from '../resolvers';

/** The one answer for a child the caller may not change, whether or not it exists. */
export const noSuchChild = (): PublicError =>
  new PublicError(ErrorCode.NOT_FOUND, 'No such child.');

/** The one answer for a request the caller may not change, whether or not it exists. */
export const noSuchRequest = (): PublicError =>
  new PublicError(ErrorCode.NOT_FOUND, 'No such PP+ request.');

/** The caller, when one of their roles holds the change (the shield checked it first too). */
export function callerWhoMay(context: FinanceContext, change: Change): Caller {
  const caller = context.auth.caller;
  if (!caller || !mayChange(caller, change)) throw forbidden();
  return caller;
}

/**
 * True when one of the caller's roles whose scope holds the child holds the change. The
 * child's facts are read whatever the child turns out to be, so every refusal costs the same.
 */
export async function mayChangeChild(
  context: FinanceContext,
  childId: string,
  change: Change,
): Promise<boolean> {
  const facts = await context.auth.facts.byId.load(childId);
  const roles = await context.auth.scope.rolesFor(facts);
  if (!rolesMayChange(roles, change)) return false;
  // Admitted, so the child's fields (the answer's PP+ figures) read under these roles too.
  return context.auth.scope.includes(facts);
}
