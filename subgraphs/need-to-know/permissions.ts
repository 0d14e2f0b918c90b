/**
 * Who may read and change need-to-know lists, mapped onto the shared rule library. Deny by
 * default: a field not listed here is refused. Which children come back at all is decided by
 * scope in `Child.__resolveReference`; which children a designated teacher may change the
 * list of (those on roll at their school) is decided in changes.ts.
 */
import { allow, hasRole, mayRead, subgraphShield } from '../../lib/authz/rules';

/** Only the designated teacher maintains the list (`shared/spec/access.md`). */
const maintainsNeedToKnow = hasRole('designated-teacher');

export const needToKnowPermissions = subgraphShield({
  Mutation: {
    grantNeedToKnow: maintainsNeedToKnow,
    revokeNeedToKnow: maintainsNeedToKnow,
  },
  Child: {
    id: mayRead('ID_BASIC'),
    needToKnow: mayRead('NTK'),
  },
  // Value types are reachable only through the guarded fields above.
  NeedToKnow: allow,
  NeedToKnowGrant: allow,
  NeedToKnowStaffMember: allow,
  NeedToKnowEvent: allow,
  NeedToKnowChange: allow,
});
