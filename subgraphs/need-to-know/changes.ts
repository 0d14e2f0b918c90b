/**
 * Granting and revoking: only a designated teacher, only for a child on roll at their school
 * (a child out of scope gets the same NOT_FOUND as an unknown one), a grant only to a member
 * of staff at that school, and a revoke only of a grant made at that school. Everything is
 * checked before the store is touched, so a refused change stores nothing. The store makes
 * both changes idempotent.
 *
 * Timing is a channel (`shared/spec/access.md`): a child out of scope, a restricted child and
 * one that does not exist cost the same upstream reads (the child's scope facts and the roll
 * of every one of the caller's schools, all at once) before the same NOT_FOUND.
 */
import { hasRole, type Caller } from '../../identity/caller';
import { ErrorCode, PublicError, badUserInput, forbidden } from '../../lib/errors';
import type { Grant } from '../../stores/need-to-know/need-to-know-store';
import { parseChangeInput, type NeedToKnowChangeInput } from './input';
import type { NeedToKnowContext } from './resolvers';

export interface NeedToKnowChange {
  grant: Grant | null;
  changed: boolean;
}

interface ChangeArgs {
  input: { childId?: unknown; staffId?: unknown; reason?: unknown };
}

/** The one answer for a child the caller may not change, whether or not it exists. */
const noSuchChild = (): PublicError => new PublicError(ErrorCode.NOT_FOUND, 'No such child.');

/** The shield lets only designated teachers through; checked again where the write happens. */
export function designatedTeacher(context: NeedToKnowContext): Caller {
  const caller = context.auth.caller;
  if (!caller || !hasRole(caller, 'designated-teacher')) throw forbidden();
  return caller;
}

/**
 * The caller's schools the child is on roll at (as their designated teacher), or NOT_FOUND.
 * The facts and every roll are read whatever the child turns out to be, before anything is
 * decided, so no class of refused child answers sooner than another.
 */
async function schoolsOfChild(context: NeedToKnowContext, childId: string): Promise<string[]> {
  const { schools } = context;
  const [facts] = await Promise.all([
    context.auth.facts.byId.load(childId),
    ...schools.urns.map((urn) => schools.at(urn).rollUpns()),
  ]);
  const verdicts = await Promise.all(
    schools.urns.map((urn) => (facts ? schools.at(urn).includes(facts) : false)),
  );
  const urns = schools.urns.filter((_urn, index) => verdicts[index]);
  if (urns.length === 0) throw noSuchChild();
  return urns;
}

/** The first of `urns` whose staff list names the member of staff, or BAD_USER_INPUT. */
export async function schoolOfStaff(
  context: NeedToKnowContext,
  urns: string[],
  staffId: string,
): Promise<string> {
  const lists = await context.loaders.staffAtSchool.loadMany(urns);
  for (const [index, list] of lists.entries()) {
    if (list instanceof Error) throw list;
    if (list.some((member) => member.staff_id === staffId)) return urns[index] as string;
  }
  throw badUserInput('The staff id is not a member of staff at your school.');
}

export async function grantNeedToKnow(
  _parent: unknown,
  args: ChangeArgs,
  context: NeedToKnowContext,
): Promise<NeedToKnowChange> {
  const caller = designatedTeacher(context);
  const input: NeedToKnowChangeInput = parseChangeInput(args.input);
  const schools = await schoolsOfChild(context, input.childId);
  const urn = await schoolOfStaff(context, schools, input.staffId);
  const { grant, created } = await context.store.grant({
    childId: input.childId,
    staffId: input.staffId,
    urn,
    actor: caller.sub,
    reason: input.reason,
  });
  return { grant, changed: created };
}

/**
 * A revoke needs no staff check: a member of staff who has since left the school must still
 * be taken off the list. It does check the grant's school, as granting does: only a grant made
 * at one of the caller's schools the child is on roll at can be revoked (or is answered with).
 * Another school's grant is answered exactly as a grant that does not exist (`changed: false`,
 * no grant), so a revoke cannot tell the caller whether another school's grant is there.
 */
export async function revokeNeedToKnow(
  _parent: unknown,
  args: ChangeArgs,
  context: NeedToKnowContext,
): Promise<NeedToKnowChange> {
  const caller = designatedTeacher(context);
  const input = parseChangeInput(args.input);
  const urns = await schoolsOfChild(context, input.childId);
  const { grant, revoked } = await context.store.revoke({
    childId: input.childId,
    staffId: input.staffId,
    urns,
    actor: caller.sub,
    reason: input.reason,
  });
  return { grant, changed: revoked };
}
