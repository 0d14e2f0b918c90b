/**
 * Who may read which finance field, mapped onto the shared rule library. Deny by default: a
 * field not listed here is refused. Which children come back at all is decided by scope in
 * `Child.__resolveReference`; which spend lines a designated teacher sees (their own school's
 * only) is decided where PP+ is resolved (see funding-scope.ts).
 */
import { allow, mayRead, subgraphShield } from '../../lib/authz/rules';

export const financePermissions = subgraphShield({
  Child: {
    id: mayRead('ID_BASIC'),
    pupilPremiumPlus: mayRead('FUNDING'),
  },
  // Value types are reachable only through the guarded fields above.
  PupilPremiumPlus: allow,
  PupilPremiumPlusAllocation: allow,
  PupilPremiumPlusSpend: allow,
  School: allow,
  Money: allow,
});
