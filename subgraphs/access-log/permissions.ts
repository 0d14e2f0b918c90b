/** Who may read the access log: auditors and the virtual school head (access.md: AUDIT). */
import { allow, mayRead, subgraphShield } from '../../lib/authz/rules';

export const accessLogPermissions = subgraphShield(
  {
    Query: { accessLog: mayRead('AUDIT') },
    // Reachable only through the guarded field above.
    AccessEventConnection: allow,
    AccessEventEdge: allow,
    PageInfo: allow,
    AccessEvent: allow,
    AccessActor: allow,
  },
  { entities: false },
);
