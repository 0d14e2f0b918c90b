/**
 * A `Child` reference from the query planner (`_entities`), for a subgraph that extends the
 * child by its social care id and holds no record of its own: the child when the caller may
 * see them, else null. Out of scope, unknown to social care and malformed give the same
 * answer, with no error; a well-formed id costs the same look-ups whatever the child
 * (timing is a channel).
 */
import { isChildId } from '../../domain/identifiers';
import type { RequestAuth } from './request-auth';

export interface ChildRef {
  id: string;
}

/** A representation's id is whatever the caller sent; `ID` allows numbers too. */
function keyText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export async function childReferenceInScope(
  reference: { id?: unknown },
  auth: RequestAuth,
): Promise<ChildRef | null> {
  const id = keyText(reference.id);
  // A malformed id cannot be a child social care knows: no need to ask it.
  if (!isChildId(id)) return null;
  const facts = await auth.facts.byId.load(id);
  if (!(await auth.scope.includes(facts))) return null;
  return { id };
}
