/**
 * One table per subgraph says which data category each `Child` field belongs to. The same
 * table builds the field's permission rule (`mayReadOfChild`: the category, for that child,
 * under the roles whose scope holds the child) and its audit record: when
 * a field the caller may read resolves to data, the child and the category go into the
 * request's audit trail. A field refused by its rule never resolves, so it is never logged
 * as read; a field that resolves to nothing (no PEP, no funding) is not logged either.
 */
import type { IMiddlewareFunction, IMiddlewareTypeMap } from 'graphql-middleware';
import type { Category } from '../../domain/categories';
import { mayReadOfChild } from '../authz/rules';
import { isThenable } from '../authz/synchronous-rules';
import type { ChildSubject } from '../authz/scope';
import type { AuditTrail } from './audit-trail';

export type FieldCategories = Readonly<Record<string, Category>>;

/** Whose record a parent object is: our child by social care id, or another authority's pupil by UPN. */
export type AuditSubject = ChildSubject | null | undefined;

/** A plain string is a social care child id. */
function asSubject(subject: AuditSubject | string): ChildSubject | null {
  if (typeof subject === 'string') return { childId: subject };
  return subject ?? null;
}

/** The shield rules for a type's fields, from their categories, per child (`subjectOf`). */
export function fieldRules<TParent>(
  typeName: string,
  fields: FieldCategories,
  subjectOf: (parent: TParent) => AuditSubject | string,
) {
  const ruleFor = mayReadOfChild(typeName, (parent: TParent) => asSubject(subjectOf(parent)));
  return Object.fromEntries(
    Object.entries(fields).map(([field, category]) => [field, ruleFor(category)]),
  );
}

interface AuditContext {
  auth: { auditTrail: AuditTrail };
}

/**
 * Middleware that records, for `typeName`'s fields in `fields`, whose record and which
 * category was returned. `subjectOf` says whose record the parent object is (a plain string
 * is a social care child id). A resolver's plain value is recorded at once and handed back
 * as is (no promise per field, most of a big page's fields); a promise is recorded when it
 * settles with a value, and a rejection passes through unrecorded.
 */
export function auditMiddleware<TParent>(
  typeName: string,
  fields: FieldCategories,
  subjectOf: (parent: TParent) => AuditSubject | string,
): IMiddlewareTypeMap {
  const wrapped: Record<string, IMiddlewareFunction> = {};
  for (const [field, category] of Object.entries(fields)) {
    const record = (result: unknown, parent: TParent, context: AuditContext): unknown => {
      if (result !== null && result !== undefined) {
        const subject = asSubject(subjectOf(parent));
        const trail = context.auth.auditTrail;
        if (subject && 'childId' in subject) trail.recordChild(subject.childId, category);
        else if (subject && 'upn' in subject) trail.recordPupil(subject.upn, category);
      }
      return result;
    };
    const middleware = (
      resolve: (parent: TParent, args: unknown, context: AuditContext, info: unknown) => unknown,
      parent: TParent,
      args: unknown,
      context: AuditContext,
      info: unknown,
    ): unknown => {
      const result = resolve(parent, args, context, info);
      return isThenable(result)
        ? result.then((value) => record(value, parent, context))
        : record(result, parent, context);
    };
    // graphql-middleware hands the result to graphql-js, which takes a value or a promise;
    // its type says Promise only because its examples are async.
    wrapped[field] = middleware as unknown as IMiddlewareFunction;
  }
  return { [typeName]: wrapped };
}
