/**
 * A `Child` reference from the query planner (`_entities`), for a subgraph that extends the
 * child by its social care id and holds no record of its own: the child when the caller may
 * see them, else null. Out of scope, unknown to social care and malformed give the same
 * answer, with no error; a well-formed id costs the same look-ups whatever the child
 * (timing is a channel). Social care's sealed facts, when the representation carries them,
 * replace the look-up; only social care's own answers carry them, so which children come
 * with a seal says nothing the caller could not already read (they came back from it).
 */
import { isChildId } from '../../domain/identifiers';
import type { ChildRepresentation, RequestAuth } from './request-auth';

export interface ChildRef {
  id: string;
}

/** A representation's id is whatever the caller sent; `ID` allows numbers too. */
function keyText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export async function childReferenceInScope(
  reference: ChildRepresentation,
  auth: RequestAuth,
): Promise<ChildRef | null> {
  const id = keyText(reference.id);
  // A malformed id cannot be a child social care knows: no need to ask it.
  if (!isChildId(id)) return null;
  // Facts social care sealed for this request need no second look-up (vouched-facts.ts).
  auth.acceptSealedFacts(reference);
  const facts = await auth.facts.byId.load(id);
  if (!(await auth.scope.includes(facts))) return null;
  return { id };
}
