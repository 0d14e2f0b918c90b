/**
 * Whether the operation asks for some fields of the object a resolver returns, looked up in the
 * resolver's own selection (through fragments and inline fragments). Used to start a read the
 * answer will need beside another one, not after it: only when the fields that need it are
 * asked for, so a query that does not ask costs no extra request.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

function selects(
  selectionSet: SelectionSetNode | undefined,
  names: ReadonlySet<string>,
  info: GraphQLResolveInfo,
  seen: Set<string>,
): boolean {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (names.has(selection.name.value)) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selects(selection.selectionSet, names, info, seen)) return true;
    } else {
      const name = selection.name.value;
      if (seen.has(name)) continue;
      seen.add(name);
      if (selects(info.fragments[name]?.selectionSet, names, info, seen)) return true;
    }
  }
  return false;
}

/**
 * True when the selection of this resolver's field names one of `names` directly under it.
 * `@skip`/`@include` are not evaluated: a field skipped by a directive counts as asked, which
 * at worst starts a read that is not used.
 */
export function asksForAny(
  info: GraphQLResolveInfo | undefined,
  names: readonly string[],
): boolean {
  if (!info) return false;
  const wanted = new Set(names);
  const seen = new Set<string>();
  return info.fieldNodes.some((node) => selects(node.selectionSet, wanted, info, seen));
}
