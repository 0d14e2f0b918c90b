/**
 * Who may read and change need-to-know lists, mapped onto the shared rule library. Deny by
 * default: a field not listed here is refused. Which children come back at all is decided by
 * scope in `Child.__resolveReference`; which children a designated teacher may change the
 * list of (those on roll at their school) is decided in changes.ts.
 */
import { auditMiddleware, fieldRules, type FieldCategories } from '../../lib/audit/child-audit';
import { allow, hasRole, subgraphShield } from '../../lib/authz/rules';

/** The data category (access.md) of every Child field this subgraph serves. */
export const CHILD_FIELDS: FieldCategories = {
  id: 'ID_BASIC',
  // Social care's sealed scope facts (lib/authz/vouched-facts.ts): only the query planner reads them.
  scopeFacts: 'ID_BASIC',
  needToKnow: 'NTK',
};

const childOf = (child: { id: string }) => child.id;

/**
 * The fields of another authority's pupil on a roll (issue 15) this subgraph serves: the UPN
 * key, and their need-to-know list. Logged under the UPN.
 */
export const PUPIL_FIELDS: FieldCategories = {
  upn: 'ID',
  needToKnow: 'NTK',
};

const pupilOf = (pupil: { upn: string }) => ({ upn: pupil.upn });

/** Only the designated teacher maintains the list (`shared/spec/access.md`). */
const maintainsNeedToKnow = hasRole('designated-teacher');

export const needToKnowPermissions = subgraphShield({
  Mutation: {
    grantNeedToKnow: maintainsNeedToKnow,
    revokeNeedToKnow: maintainsNeedToKnow,
    grantNeedToKnowByUpn: maintainsNeedToKnow,
    revokeNeedToKnowByUpn: maintainsNeedToKnow,
  },
  Child: fieldRules('Child', CHILD_FIELDS, childOf),
  PupilOnRoll: fieldRules('PupilOnRoll', PUPIL_FIELDS, pupilOf),
  // Value types are reachable only through the guarded fields above.
  NeedToKnow: allow,
  NeedToKnowGrant: allow,
  NeedToKnowStaffMember: allow,
  NeedToKnowEvent: allow,
  NeedToKnowChange: allow,
});

/** Records each category of each child's record the request returned. */
export const needToKnowAudit = [
  auditMiddleware('Child', CHILD_FIELDS, childOf),
  auditMiddleware('PupilOnRoll', PUPIL_FIELDS, pupilOf),
];
