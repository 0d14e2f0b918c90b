/**
 * Who may change a child's need-to-know list: a designated teacher, for a child on roll at
 * their school (`shared/spec/access.md`). A caller can hold other roles beside it (a virtual
 * school head who is also a school's designated teacher), and their wider scope must not let
 * them change a list, so each of the caller's schools gets a scope of its own: the caller
 * acting only as that school's designated teacher. For that role the shared scope rule is
 * exactly "looked after, on roll at the school, and not restricted".
 */
import { isUrn } from '../../domain/identifiers';
import type { Caller } from '../../identity/caller';
import { hasRole } from '../../identity/caller';
import type { ScopeDependencies } from '../../lib/authz/request-auth';
import { ChildScope } from '../../lib/authz/scope';
import { scopeSources } from '../../lib/authz/scope-sources';

export interface SchoolScopes {
  /** The caller's schools (well-formed URNs, each once); none unless a designated teacher. */
  urns: string[];
  /** The caller as the designated teacher of this one school, and nothing else. */
  at(urn: string): ChildScope;
}

export function createSchoolScopes(caller: Caller | null, deps: ScopeDependencies): SchoolScopes {
  const urns =
    caller && hasRole(caller, 'designated-teacher') ? [...new Set(caller.urns.filter(isUrn))] : [];
  const sources = scopeSources(deps.education, deps.needToKnow);
  const scopes = new Map<string, ChildScope>();
  return {
    urns,
    at(urn) {
      let scope = scopes.get(urn);
      if (!scope) {
        const asDesignatedTeacher: Caller | null =
          caller && urns.includes(urn)
            ? { ...caller, roles: ['designated-teacher'], urns: [urn] }
            : null;
        scope = new ChildScope(asDesignatedTeacher, deps.homeLa, sources);
        scopes.set(urn, scope);
      }
      return scope;
    },
  };
}
