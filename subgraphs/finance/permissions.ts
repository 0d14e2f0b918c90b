/**
 * Who may read which finance field, mapped onto the shared rule library. Deny by default: a
 * field not listed here is refused. Which children come back at all is decided by scope in
 * `Child.__resolveReference`; which spend lines a designated teacher sees (their own school's
 * only) is decided where PP+ is resolved (see funding-scope.ts).
 */
import { auditMiddleware, fieldRules, type FieldCategories } from '../../lib/audit/child-audit';
import { guardedByParent, mayChange, subgraphShield } from '../../lib/authz/rules';

/** The data category (access.md) of every Child field this subgraph serves. */
export const CHILD_FIELDS: FieldCategories = {
  id: 'ID_BASIC',
  // Social care's sealed scope facts (lib/authz/vouched-facts.ts): only the query planner reads them.
  scopeFacts: 'ID_BASIC',
  pupilPremiumPlus: 'FUNDING',
};

const childOf = (child: { id: string }) => child.id;

export const financePermissions = subgraphShield({
  // access.md's "may change": a PP+ request is part of the PEP (officer); deciding it is a
  // funding allocation (head); paying it a funding transaction (finance officer). Which
  // children each may change (their role's scope) is checked where the change is made.
  Mutation: {
    requestPupilPremiumPlus: mayChange('PEP'),
    decidePupilPremiumPlusRequest: mayChange('FUNDING_ALLOCATION'),
    recordPupilPremiumPlusPayment: mayChange('FUNDING_TRANSACTION'),
  },
  Child: fieldRules('Child', CHILD_FIELDS, childOf),
  // Value types are reachable only through the guarded fields above.
  PupilPremiumPlus: guardedByParent,
  PupilPremiumPlusAllocation: guardedByParent,
  PupilPremiumPlusSpend: guardedByParent,
  PupilPremiumPlusRequest: guardedByParent,
  PupilPremiumPlusRequestEvent: guardedByParent,
  PupilPremiumPlusRequestState: guardedByParent,
  PupilPremiumPlusRequestChange: guardedByParent,
  School: guardedByParent,
  Money: guardedByParent,
});

/** Records each category of each child's record the request returned. */
export const financeAudit = [auditMiddleware('Child', CHILD_FIELDS, childOf)];
