/** Who may read the access log: auditors and the virtual school head (access.md: AUDIT). */
import { guardedByParent, mayRead, subgraphShield } from '../../lib/authz/rules';

export const accessLogPermissions = subgraphShield(
  {
    Query: { accessLog: mayRead('AUDIT') },
    // Reachable only through the guarded field above.
    AccessEventConnection: guardedByParent,
    AccessEventEdge: guardedByParent,
    PageInfo: guardedByParent,
    AccessEvent: guardedByParent,
    AccessActor: guardedByParent,
  },
  { entities: false },
);
