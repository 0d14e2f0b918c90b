/**
 * Which pupils a caller may see, decided by the shared scope rules (`lib/authz/scope.ts`) on
 * facts read in one batch per request. A child out of scope is answered exactly like one that
 * does not exist: null, with no error.
 *
 * - A `Child` (social care's entity) is only ever a child this authority looks after. It is
 *   joined by social care's id: its scope facts come from social care by that id, and carry
 *   the UPN the education system knows the child by. The UPN never travels as a key, so the
 *   join works for callers who may not read it (a finance officer reads only id and name).
 * - A school's looked-after roll also holds other authorities' children (COLA). Social care
 *   knows nothing of them, so their facts say only who looks after them; the scope rules then
 *   show them to the designated teacher of a school they are on roll at, and to nobody here
 *   who works for this authority's virtual school (they are not our children). Our pupils'
 *   facts are read from social care by UPN, and give the id their `child` link needs.
 */
import type { RequestAuth } from '../../lib/authz/request-auth';
import type { ChildFacts } from '../../lib/authz/scope';
import { isChildId, isUpn } from './identifiers';
import type { ChildReference, PupilOnRollShape, PupilShape } from './mapping';

/** Social care's facts, when they are for a child this authority looks after; else null. */
function ours(facts: ChildFacts | null, laCode: string): ChildFacts | null {
  return facts !== null && facts.lookedAfterBy === laCode ? facts : null;
}

/**
 * The child with this social care id, when this authority looks after them, social care
 * records a real UPN for them (without one the education system cannot know them) and the
 * caller may see them; null otherwise, whichever the reason.
 */
export async function childInScope(
  id: string,
  auth: RequestAuth,
  laCode: string,
): Promise<ChildReference | null> {
  // A malformed key names no child: nothing to ask social care.
  if (!isChildId(id)) return null;
  const facts = ours(await auth.facts.byId.load(id), laCode);
  // UN1..UN5 (UPN not known) name no one pupil.
  const known = facts !== null && facts.upn !== null && isUpn(facts.upn) ? facts : null;
  // Asked even for no child: out of scope and non-existent do the same work (timing class).
  const visible = await auth.scope.includes(known);
  if (!visible || known === null || known.upn === null) return null;
  return { id, upn: known.upn };
}

/** What scope depends on for a pupil on a school's looked-after roll. */
async function pupilFacts(
  pupil: PupilShape,
  auth: RequestAuth,
  laCode: string,
): Promise<ChildFacts | null> {
  const lookedAfterBy = pupil.lookedAfterBy.code;
  // Ours: social care is the authority on the restricted flag and the allocation. A pupil the
  // education system says we look after but social care does not know is not shown.
  if (lookedAfterBy === laCode) {
    // UN1..UN5 and malformed UPNs name no one child: nothing to ask social care.
    return isUpn(pupil.upn) ? ours(await auth.facts.byUpn.load(pupil.upn), laCode) : null;
  }
  return {
    id: null,
    upn: pupil.upn,
    lookedAfterBy,
    restricted: false,
    socialWorkerId: null,
    caseworkerId: null,
  };
}

/**
 * The pupils of one school's roll the caller may see, in roll order. Every pupil's facts are
 * asked for in the same tick, so the whole roll (and every other roll resolved alongside it)
 * costs one social care search. Our pupils link to their social care record by the id in
 * those facts (no further request); other authorities' pupils have none here.
 */
export async function pupilsInScope<P extends PupilShape>(
  pupils: P[],
  auth: RequestAuth,
  laCode: string,
): Promise<(P & Pick<PupilOnRollShape, 'child'>)[]> {
  const withFacts = await Promise.all(
    pupils.map(async (pupil) => ({ pupil, facts: await pupilFacts(pupil, auth, laCode) })),
  );
  const visible = await auth.scope.filter(withFacts, (entry) => entry.facts);
  return visible.map(({ pupil, facts }) => ({
    ...pupil,
    child:
      facts !== null && facts.lookedAfterBy === laCode && facts.id !== null
        ? { id: facts.id, upn: pupil.upn, scopeFacts: auth.sealFacts(facts) }
        : null,
  }));
}
