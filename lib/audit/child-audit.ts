/**
 * One table per subgraph says which data category each `Child` field belongs to. The same
 * table builds the field's permission rule (`mayRead(category)`) and its audit record: when
 * a field the caller may read resolves to data, the child and the category go into the
 * request's audit trail. A field refused by its rule never resolves, so it is never logged
 * as read; a field that resolves to nothing (no PEP, no funding) is not logged either.
 */
import type { IMiddlewareFunction, IMiddlewareTypeMap } from 'graphql-middleware';
import type { Category } from '../authz/categories';
import { mayRead } from '../authz/rules';
import type { AuditTrail } from './audit-trail';

export type FieldCategories = Readonly<Record<string, Category>>;

/** The shield rules for a type's fields, from their categories. */
export function fieldRules(fields: FieldCategories) {
  return Object.fromEntries(
    Object.entries(fields).map(([field, category]) => [field, mayRead(category)]),
  );
}

interface AuditContext {
  auth: { auditTrail: AuditTrail };
}

/**
 * Middleware that records, for `typeName`'s fields in `fields`, which child's record and which
 * category was returned. `childIdOf` reads the social care id from the parent object.
 */
export function auditMiddleware<TParent>(
  typeName: string,
  fields: FieldCategories,
  childIdOf: (parent: TParent) => string | null | undefined,
): IMiddlewareTypeMap {
  const wrapped: Record<string, IMiddlewareFunction> = {};
  for (const [field, category] of Object.entries(fields)) {
    wrapped[field] = async (resolve, parent: TParent, args, context: AuditContext, info) => {
      const result: unknown = await resolve(parent, args, context, info);
      if (result !== null && result !== undefined) {
        const childId = childIdOf(parent);
        if (childId) context.auth.auditTrail.recordChild(childId, category);
      }
      return result;
    };
  }
  return { [typeName]: wrapped };
}
