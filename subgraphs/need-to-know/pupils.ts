/**
 * Need-to-know lists for other authorities' pupils on our schools' rolls (issue 15, point 2).
 * Our social care system has no record of them, so their grants name them by UPN. access.md
 * lets a designated teacher change "NTK for those children": children looked after by any
 * authority on roll at their school. Our own children keep one list, by child id: the UPN path
 * takes only a pupil another authority looks after, and answers for one of ours exactly as for
 * a pupil that is not there.
 *
 * Who the pupil is comes from the education system's looked-after roll of each of the
 * caller's schools (the authority looking after each pupil), cross-checked with social care
 * (a UPN social care holds as ours is ours, whatever the roll says). Whether the caller may
 * see or change them is the shared scope rule on those facts (`lib/authz/scope.ts`).
 *
 * Timing is a channel: every check reads social care for the UPN and the roll of each of the
 * caller's schools, whatever the pupil turns out to be, before the same NOT_FOUND.
 */
import { isUpn, isUrn } from '../../domain/identifiers';
import type { ChildFacts } from '../../lib/authz/scope';
import { ErrorCode, PublicError } from '../../lib/errors';
import type { PupilGrant } from '../../stores/need-to-know/need-to-know-store';
import { designatedTeacher, schoolOfStaff } from './changes';
import { parsePupilChangeInput } from './input';
import type { NeedToKnowContext } from './resolvers';

/** A pupil another authority looks after, as a `PupilOnRoll` reference resolved here. */
export interface PupilRef {
  upn: string;
}

export interface PupilNeedToKnowChange {
  grant: PupilGrant | null;
  changed: boolean;
}

interface PupilChangeArgs {
  input: { upn?: unknown; staffId?: unknown; reason?: unknown };
}

/** The one answer for a pupil the caller may not change, whether or not they exist. */
const noSuchPupil = (): PublicError => new PublicError(ErrorCode.NOT_FOUND, 'No such pupil.');

/** Scope facts of another authority's pupil: known here by UPN and who looks after them. */
function colaFacts(upn: string, lookedAfterBy: string): ChildFacts {
  return {
    id: null,
    upn,
    lookedAfterBy,
    restricted: false,
    socialWorkerId: null,
    caseworkerId: null,
  };
}

/**
 * For each of `urns`: the facts of the pupil with this UPN when they are on that school's
 * looked-after roll and another authority looks after them; else null. Social care and every
 * roll are read at once, whatever the answer.
 */
async function pupilFactsAt(
  context: NeedToKnowContext,
  urns: readonly string[],
  upn: string | null,
): Promise<Array<ChildFacts | null>> {
  const [known, rolls] = await Promise.all([
    upn === null ? null : context.auth.facts.byUpn.load(upn),
    Promise.all(urns.map((urn) => context.loaders.lookedAfterRoll.load(urn))),
  ]);
  // Social care holds the UPN as ours: their list is kept by child id, never here.
  const ours = known !== null && known.lookedAfterBy === context.homeLa;
  return rolls.map((roll) => {
    const record = upn === null || ours ? undefined : roll.find((pupil) => pupil.upn === upn);
    const lookedAfterBy = record?.looked_after_la ?? null;
    return upn !== null && lookedAfterBy !== null && lookedAfterBy !== context.homeLa
      ? colaFacts(upn, lookedAfterBy)
      : null;
  });
}

/**
 * A `PupilOnRoll` reference from the query planner: the pupil when they are another
 * authority's, on roll at one of the caller's schools, and in the caller's scope (admitted to
 * this request under the roles whose scope holds them, which the field rules then read);
 * else null, with no error, whatever the reason.
 */
export async function pupilReferenceInScope(
  reference: { upn?: unknown },
  context: NeedToKnowContext,
): Promise<PupilRef | null> {
  const upn = typeof reference.upn === 'string' && isUpn(reference.upn) ? reference.upn : null;
  const caller = context.auth.caller;
  const urns = caller ? [...new Set(caller.urns.filter(isUrn))] : [];
  const found = (await pupilFactsAt(context, urns, upn)).find((facts) => facts !== null) ?? null;
  // Asked even for no pupil: out of scope and unknown do the same work.
  const visible = await context.auth.scope.includes(found);
  return visible && upn !== null ? { upn } : null;
}

/**
 * The caller's schools the pupil is on roll at as another authority's child (the caller
 * acting as each school's designated teacher), or NOT_FOUND.
 */
async function schoolsOfPupil(context: NeedToKnowContext, upn: string): Promise<string[]> {
  const { schools } = context;
  const [facts] = await Promise.all([
    pupilFactsAt(context, schools.urns, upn),
    ...schools.urns.map((urn) => schools.at(urn).rollUpns()),
  ]);
  const verdicts = await Promise.all(
    schools.urns.map((urn, index) => schools.at(urn).includes(facts[index] ?? null)),
  );
  const urns = schools.urns.filter((_urn, index) => verdicts[index]);
  if (urns.length === 0) throw noSuchPupil();
  return urns;
}

/** `grantNeedToKnow`, for another authority's pupil on roll at the caller's school, by UPN. */
export async function grantNeedToKnowByUpn(
  _parent: unknown,
  args: PupilChangeArgs,
  context: NeedToKnowContext,
): Promise<PupilNeedToKnowChange> {
  const caller = designatedTeacher(context);
  const input = parsePupilChangeInput(args.input ?? {});
  const schools = await schoolsOfPupil(context, input.upn);
  const urn = await schoolOfStaff(context, schools, input.staffId);
  const { grant, created } = await context.store.grantForPupil({
    upn: input.upn,
    staffId: input.staffId,
    urn,
    actor: caller.sub,
    reason: input.reason,
  });
  return { grant, changed: created };
}

/**
 * `revokeNeedToKnow`, by UPN: no staff check (a member of staff who has left must still come
 * off the list), only grants made at the caller's schools the pupil is on roll at; another
 * school's grant is answered as one that does not exist.
 */
export async function revokeNeedToKnowByUpn(
  _parent: unknown,
  args: PupilChangeArgs,
  context: NeedToKnowContext,
): Promise<PupilNeedToKnowChange> {
  const caller = designatedTeacher(context);
  const input = parsePupilChangeInput(args.input ?? {});
  const urns = await schoolsOfPupil(context, input.upn);
  const { grant, revoked } = await context.store.revokeForPupil({
    upn: input.upn,
    staffId: input.staffId,
    urns,
    actor: caller.sub,
    reason: input.reason,
  });
  return { grant, changed: revoked };
}
