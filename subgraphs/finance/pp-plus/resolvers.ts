/**
 * The PP+ request types' resolvers, merged into the finance subgraph's. A child's requests of
 * a year come through a per-request loader (one query for N children); a designated teacher
 * sees only the requests for PEPs held with their own school(s), as with spend lines.
 */
import { money, type Money } from '../../../domain/money';
import type { PpPlusRequest, PpPlusRequestEvent } from '../../../stores/pupil-premium-plus/types';
import type { FinanceContext } from '../resolvers';
import { decidePupilPremiumPlusRequest } from './decide';
import { recordPupilPremiumPlusPayment } from './pay';
import { requestPupilPremiumPlus } from './request';

/** The PP+ of a child's year with what its requests are read by. */
export interface RequestsOf {
  childId: string;
  financialYear: string;
  /** The schools whose requests the caller sees, or null for all (see funding-scope.ts). */
  requestSchools: readonly string[] | null;
}

const moneyOrNull = (pence: number | null): Money | null => (pence === null ? null : money(pence));

/** The parts of a request its history shows, before and after a change. */
const state = (request: PpPlusRequest) => ({
  status: request.status,
  decision: request.decision,
  approved: moneyOrNull(request.approvedPence),
  paid: money(request.paidPence),
});

export async function requestsOf(
  ppp: RequestsOf,
  context: FinanceContext,
): Promise<PpPlusRequest[]> {
  const all = await context.loaders.ppPlusRequests.load(`${ppp.childId}|${ppp.financialYear}`);
  const schools = ppp.requestSchools;
  return schools === null
    ? all
    : all.filter((request) => request.urn !== null && schools.includes(request.urn));
}

export const ppPlusRequestResolvers = {
  Mutation: {
    requestPupilPremiumPlus,
    decidePupilPremiumPlusRequest,
    recordPupilPremiumPlusPayment,
  },
  PupilPremiumPlusRequest: {
    school: (request: PpPlusRequest) => (request.urn === null ? null : { urn: request.urn }),
    requested: (request: PpPlusRequest) => money(request.requestedPence),
    approved: (request: PpPlusRequest) => moneyOrNull(request.approvedPence),
    paid: (request: PpPlusRequest) => money(request.paidPence),
    history: (request: PpPlusRequest, _args: unknown, context: FinanceContext) =>
      context.loaders.ppPlusRequestHistory.load(request.id),
  },
  PupilPremiumPlusRequestEvent: {
    changedBy: (event: PpPlusRequestEvent) => event.actorSub,
    before: (event: PpPlusRequestEvent) => (event.before === null ? null : state(event.before)),
    after: (event: PpPlusRequestEvent) => state(event.after),
  },
};
