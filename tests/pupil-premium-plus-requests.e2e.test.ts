/**
 * Issue 14, point 2: PP+ requests tied to PEP targets, through the gateway against the seeded
 * system. A Virtual School officer asks, the head decides (an approval becomes a commitment in
 * the finance system), a finance officer pays (a ledger line there); the profile, the finance
 * system and the cohort report agree afterwards. Every other role is refused with nothing
 * changed; bad input names every bad field; the same request twice is one change; a request over
 * the child's remaining PP+ is refused naming what remains; and an approval the finance system
 * cannot take leaves the request REQUESTED with no commitment.
 */
import { randomUUID } from 'node:crypto';
import type { PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import {
  TEST_AS_OF,
  clientFor,
  setFaults,
  startTestSystem,
  type GraphQLResult,
} from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

const FY = '2025-26';
// Children on the vs-officer persona's caseload (seed 1), each with PEP targets and PP+ left.
const PATH_CHILD = { id: '1000025', target: 'PEP0000077-T1', urn: '113731' };
const OVER_CHILD = { id: '1000035', targets: ['PEP0000101-T1', 'PEP0000101-T2'] };
const FAULT_CHILD = { id: '1000061', target: 'PEP0000197-T1' };
const ROLES_CHILD = { id: '1000074', targets: ['PEP0000251-T1', 'PEP0000251-T2'] };
/** One of ours, on another officer's caseload. */
const NOT_MY_CHILD = { id: '1000001', target: 'PEP0000001-T1' };

const REQUEST = /* GraphQL */ `
  mutation Request($input: RequestPupilPremiumPlusInput!) {
    requestPupilPremiumPlus(input: $input) {
      changed
      request {
        id
        status
        pepId
        pepTargetId
        school {
          urn
        }
        requested {
          pence
        }
        requestedBy
      }
    }
  }
`;

const DECIDE = /* GraphQL */ `
  mutation Decide($input: DecidePupilPremiumPlusRequestInput!) {
    decidePupilPremiumPlusRequest(input: $input) {
      changed
      request {
        id
        status
        decision
        approved {
          pence
        }
        decidedBy
        decisionReason
      }
    }
  }
`;

const PAY = /* GraphQL */ `
  mutation Pay($input: RecordPupilPremiumPlusPaymentInput!) {
    recordPupilPremiumPlusPayment(input: $input) {
      changed
      request {
        id
        status
        paid {
          pence
        }
      }
    }
  }
`;

const PROFILE = /* GraphQL */ `
  query Profile($id: ID!) {
    child(id: $id) {
      pupilPremiumPlus(financialYear: "2025-26") {
        allocated {
          pence
        }
        spent {
          pence
        }
        committed {
          pence
        }
        topSliceShare {
          pence
        }
        unspent {
          pence
        }
        unspentRule
        spend {
          amount {
            pence
          }
          pepTargetId
          item
        }
        requests {
          id
          status
          decision
          requested {
            pence
          }
          approved {
            pence
          }
          paid {
            pence
          }
          history {
            action
            changedBy
            changedAt
            paymentRef
            before {
              status
              paid {
                pence
              }
            }
            after {
              status
              paid {
                pence
              }
            }
          }
        }
      }
    }
  }
`;

interface Change {
  changed: boolean;
  request: Record<string, unknown> & { id: string; status: string };
}

interface Ppp {
  allocated: { pence: number };
  spent: { pence: number };
  committed: { pence: number };
  topSliceShare: { pence: number } | null;
  unspent: { pence: number } | null;
  unspentRule: string;
  spend: Array<{ amount: { pence: number }; pepTargetId: string | null; item: string }>;
  requests: Array<{
    id: string;
    status: string;
    decision: string | null;
    requested: { pence: number };
    approved: { pence: number } | null;
    paid: { pence: number };
    history: Array<{
      action: string;
      changedBy: string;
      changedAt: string;
      paymentRef: string | null;
      before: { status: string; paid: { pence: number } } | null;
      after: { status: string; paid: { pence: number } };
    }>;
  }>;
}

const codesAt = (result: GraphQLResult) =>
  (result.errors ?? []).map((error) => `${(error.path ?? []).join('.')}:${error.extensions?.code}`);

async function as<T>(persona: PersonaName, query: string, variables: Record<string, unknown>) {
  return (await clientFor(system, persona))<T>(query, variables);
}

const request = (persona: PersonaName, input: Record<string, unknown>) =>
  as<{ requestPupilPremiumPlus: Change }>(persona, REQUEST, { input });
const decide = (persona: PersonaName, input: Record<string, unknown>) =>
  as<{ decidePupilPremiumPlusRequest: Change }>(persona, DECIDE, { input });
const pay = (persona: PersonaName, input: Record<string, unknown>) =>
  as<{ recordPupilPremiumPlusPayment: Change }>(persona, PAY, { input });

async function profile(childId: string): Promise<Ppp> {
  const result = await as<{ child: { pupilPremiumPlus: Ppp } }>('vsh', PROFILE, { id: childId });
  expect(result.errors).toBeUndefined();
  return result.data!.child.pupilPremiumPlus;
}

/** The finance simulator's own HTTP API, with its key (what the finance team sees). */
async function financeApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${system.urls.simulators.finance}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${system.simulatorKeys.finance}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as T;
}

interface FinCommitmentView {
  commitment_id: string;
  commitment_ref: string;
  amount_pence: number;
  paid_pence: number;
  pep_target_id: string | null;
  urn: string | null;
  status: string;
}

const commitmentsOf = async (childId: string) =>
  (
    await financeApi<{ data: FinCommitmentView[] }>(
      'GET',
      `/api/finance/v1/commitments?client_ref=${encodeURIComponent(`CLA/${childId}`)}&fy=${FY}`,
    )
  ).data;

interface LedgerLine {
  type: string;
  amount_pence: number;
  pep_target_id: string | null;
  urn: string | null;
  item: string;
  fy: string;
}

const ledgerOf = async (childId: string): Promise<LedgerLine[]> => {
  const answer = await financeApi<{ data: Array<{ ledger?: LedgerLine[] }> }>(
    'POST',
    '/api/finance/v1/clients/search',
    { client_refs: [`CLA/${childId}`], fy: FY, include: ['ledger'] },
  );
  return answer.data[0]?.ledger ?? [];
};

/** Everything that could change for a child: our requests and history, and the finance system. */
async function stateOf(childId: string) {
  const requests = (await system.stores.ppPlusRequests.forChildren([childId], FY)).get(childId)!;
  const history = await system.stores.ppPlusRequests.history(requests.map((r) => r.id));
  return {
    requests,
    history: [...history.values()].flat(),
    commitments: await commitmentsOf(childId),
    ledger: await ledgerOf(childId),
  };
}

const ALL_PERSONAS: PersonaName[] = [
  'vsh',
  'vs-officer',
  'social-worker',
  'designated-teacher',
  'teacher-ntk',
  'teacher',
  'governor',
  'analyst',
  'finance-officer',
  'placing-authority',
  'auditor',
];

describe('a PP+ request from PEP target to payment', () => {
  it('is requested, part-approved into a commitment, paid into ledger lines, and everything agrees', async () => {
    const before = await profile(PATH_CHILD.id);
    expect(before.committed.pence).toBe(0);
    expect(before.unspentRule).toMatch(/minus committed/);
    const id = randomUUID();

    // The officer asks.
    const asked = await request('vs-officer', {
      childId: PATH_CHILD.id,
      pepTargetId: PATH_CHILD.target,
      amountPence: 40_000,
      rationale: 'Reading tutor, two sessions a week this term',
      requestId: id,
    });
    expect(asked.errors).toBeUndefined();
    expect(asked.data!.requestPupilPremiumPlus).toEqual({
      changed: true,
      request: {
        id,
        status: 'REQUESTED',
        pepId: 'PEP0000077',
        pepTargetId: PATH_CHILD.target,
        school: { urn: PATH_CHILD.urn },
        requested: { pence: 40_000 },
        requestedBy: 'S100002',
      },
    });
    // A request commits nothing yet.
    expect(await commitmentsOf(PATH_CHILD.id)).toEqual([]);
    expect((await profile(PATH_CHILD.id)).unspent).toEqual(before.unspent);

    // The head part-approves: a commitment in the finance system, the request COMMITTED.
    const decided = await decide('vsh', {
      id,
      decision: 'PART_APPROVE',
      approvedPence: 30_000,
      reason: 'The tutor for one session a week',
    });
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.decidePupilPremiumPlusRequest).toEqual({
      changed: true,
      request: {
        id,
        status: 'COMMITTED',
        decision: 'PART_APPROVE',
        approved: { pence: 30_000 },
        decidedBy: 'S100001',
        decisionReason: 'The tutor for one session a week',
      },
    });
    const [commitment] = await commitmentsOf(PATH_CHILD.id);
    expect(commitment).toMatchObject({
      commitment_ref: id,
      amount_pence: 30_000,
      paid_pence: 0,
      pep_target_id: PATH_CHILD.target,
      urn: PATH_CHILD.urn,
      status: 'OPEN',
    });
    const committed = await profile(PATH_CHILD.id);
    expect(committed.committed.pence).toBe(30_000);
    expect(committed.spent).toEqual(before.spent);
    expect(committed.unspent!.pence).toBe(before.unspent!.pence - 30_000);

    // The finance officer pays in two parts: ledger lines booked to the target.
    const first = await pay('finance-officer', {
      id,
      paidOn: TEST_AS_OF,
      amountPence: 10_000,
      item: 'Reading tutor, first half term',
      paymentRef: 'INV-PP-0001',
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordPupilPremiumPlusPayment).toEqual({
      changed: true,
      request: { id, status: 'COMMITTED', paid: { pence: 10_000 } },
    });
    const halfway = await profile(PATH_CHILD.id);
    expect(halfway.spent.pence).toBe(before.spent.pence + 10_000);
    expect(halfway.committed.pence).toBe(20_000);
    // A payment moves money from committed to spent: unspent does not move.
    expect(halfway.unspent).toEqual(committed.unspent);

    const second = await pay('finance-officer', {
      id,
      paidOn: TEST_AS_OF,
      amountPence: 20_000,
      item: 'Reading tutor, second half term',
      paymentRef: 'INV-PP-0002',
    });
    expect(second.errors).toBeUndefined();
    expect(second.data!.recordPupilPremiumPlusPayment.request).toEqual({
      id,
      status: 'PAID',
      paid: { pence: 30_000 },
    });

    // The finance system: the commitment paid, two spend lines on the target and school.
    expect(await commitmentsOf(PATH_CHILD.id)).toEqual([
      expect.objectContaining({ commitment_ref: id, paid_pence: 30_000, status: 'PAID' }),
    ]);
    const lines = (await ledgerOf(PATH_CHILD.id)).filter(
      (line) => line.pep_target_id === PATH_CHILD.target,
    );
    expect(lines.map((line) => [line.type, line.amount_pence, line.urn]).sort()).toEqual([
      ['SPEND', 10_000, PATH_CHILD.urn],
      ['SPEND', 20_000, PATH_CHILD.urn],
    ]);

    // The profile: spent and unspent follow; committed is back to nothing.
    const after = await profile(PATH_CHILD.id);
    expect(after.allocated).toEqual(before.allocated);
    expect(after.spent.pence).toBe(before.spent.pence + 30_000);
    expect(after.committed.pence).toBe(0);
    expect(after.unspent!.pence).toBe(before.unspent!.pence - 30_000);
    const ledgerSpend = (await ledgerOf(PATH_CHILD.id))
      .filter((line) => line.type === 'SPEND' || line.type === 'ADJUST')
      .reduce((sum, line) => sum + line.amount_pence, 0);
    expect(after.spent.pence).toBe(ledgerSpend);

    // The request's history: who, when, before and after, every step.
    const shown = after.requests.find((r) => r.id === id)!;
    expect(shown).toMatchObject({
      status: 'PAID',
      decision: 'PART_APPROVE',
      requested: { pence: 40_000 },
      approved: { pence: 30_000 },
      paid: { pence: 30_000 },
    });
    expect(
      shown.history.map((e) => [e.action, e.changedBy, e.paymentRef, e.before?.status ?? null]),
    ).toEqual([
      ['REQUEST', 'S100002', null, null],
      ['DECIDE', 'S100001', null, 'REQUESTED'],
      ['PAY', 'F900001', 'INV-PP-0001', 'COMMITTED'],
      ['PAY', 'F900001', 'INV-PP-0002', 'COMMITTED'],
    ]);
    expect(shown.history[3]!.before!.paid.pence).toBe(10_000);
    expect(shown.history[3]!.after).toEqual({ status: 'PAID', paid: { pence: 30_000 } });
    for (const event of shown.history) expect(Date.parse(event.changedAt)).not.toBeNaN();

    // Each change is in the access log, as a mutation that touched the child's funding.
    const logged = await system.stores.audit.query({ childId: PATH_CHILD.id, first: 100 });
    const mutations = logged.events.filter((e) => e.operationType === 'mutation');
    expect(mutations.map((e) => e.actorSub).sort()).toEqual(
      ['F900001', 'F900001', 'S100001', 'S100002'].sort(),
    );
    for (const event of mutations) expect(event.categories).toContain('FUNDING');
  });
});

describe('who may do each step (access.md: officer asks, head decides, finance officer pays)', () => {
  it('refuses every other role FORBIDDEN, changing nothing', async () => {
    const [t1, t2] = ROLES_CHILD.targets as [string, string];
    const id = randomUUID();
    const ask = (persona: PersonaName, requestId: string, target: string) =>
      request(persona, {
        childId: ROLES_CHILD.id,
        pepTargetId: target,
        amountPence: 5_000,
        rationale: 'Art therapy materials',
        requestId,
      });

    const start = await stateOf(ROLES_CHILD.id);
    for (const persona of ALL_PERSONAS.filter((p) => p !== 'vs-officer')) {
      const refused = await ask(persona, randomUUID(), t2);
      expect({ persona, codes: codesAt(refused) }).toEqual({
        persona,
        codes: ['requestPupilPremiumPlus:FORBIDDEN'],
      });
    }
    expect(await stateOf(ROLES_CHILD.id)).toEqual(start);

    expect((await ask('vs-officer', id, t1)).data!.requestPupilPremiumPlus.changed).toBe(true);
    const requested = await stateOf(ROLES_CHILD.id);
    for (const persona of ALL_PERSONAS.filter((p) => p !== 'vsh')) {
      const refused = await decide(persona, { id, decision: 'APPROVE', reason: 'Agreed' });
      expect({ persona, codes: codesAt(refused) }).toEqual({
        persona,
        codes: ['decidePupilPremiumPlusRequest:FORBIDDEN'],
      });
    }
    expect(await stateOf(ROLES_CHILD.id)).toEqual(requested);

    const approved = await decide('vsh', { id, decision: 'APPROVE', reason: 'Agreed' });
    expect(approved.data!.decidePupilPremiumPlusRequest.request.status).toBe('COMMITTED');
    const committed = await stateOf(ROLES_CHILD.id);
    for (const persona of ALL_PERSONAS.filter((p) => p !== 'finance-officer')) {
      const refused = await pay(persona, {
        id,
        paidOn: TEST_AS_OF,
        amountPence: 5_000,
        item: 'Art materials',
        paymentRef: `REF-${persona}`,
      });
      expect({ persona, codes: codesAt(refused) }).toEqual({
        persona,
        codes: ['recordPupilPremiumPlusPayment:FORBIDDEN'],
      });
    }
    expect(await stateOf(ROLES_CHILD.id)).toEqual(committed);
  });

  it('answers a child outside the officer’s caseload as one that does not exist', async () => {
    const start = await stateOf(NOT_MY_CHILD.id);
    const refused = await request('vs-officer', {
      childId: NOT_MY_CHILD.id,
      pepTargetId: NOT_MY_CHILD.target,
      amountPence: 1_000,
      rationale: 'Books',
      requestId: randomUUID(),
    });
    const unknown = await request('vs-officer', {
      childId: '1999999',
      pepTargetId: NOT_MY_CHILD.target,
      amountPence: 1_000,
      rationale: 'Books',
      requestId: randomUUID(),
    });
    expect(codesAt(refused)).toEqual(['requestPupilPremiumPlus:NOT_FOUND']);
    expect(refused.errors![0]!.message).toBe(unknown.errors![0]!.message);
    expect(await stateOf(NOT_MY_CHILD.id)).toEqual(start);
  });
});

describe('the remaining allocation', () => {
  it('refuses a request over it, naming what remains, and stores nothing', async () => {
    const before = await profile(OVER_CHILD.id);
    const remaining = before.unspent!.pence;
    expect(remaining).toBeGreaterThan(0);
    const start = await stateOf(OVER_CHILD.id);
    const refused = await request('vs-officer', {
      childId: OVER_CHILD.id,
      pepTargetId: OVER_CHILD.targets[0],
      amountPence: remaining + 1,
      rationale: 'Laptop and software',
      requestId: randomUUID(),
    });
    expect(codesAt(refused)).toEqual(['requestPupilPremiumPlus:BAD_USER_INPUT']);
    const pounds = `£${(remaining / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`;
    expect(refused.errors![0]!.message).toContain(`${pounds} remains`);
    expect(await stateOf(OVER_CHILD.id)).toEqual(start);
  });

  it('refuses an approval over it: the request stays REQUESTED, nothing committed', async () => {
    const remaining = (await profile(OVER_CHILD.id)).unspent!.pence;
    const [a, b] = [randomUUID(), randomUUID()];
    const amount = Math.floor(remaining * 0.75);
    for (const [id, target] of [
      [a, OVER_CHILD.targets[0]],
      [b, OVER_CHILD.targets[1]],
    ] as const) {
      const made = await request('vs-officer', {
        childId: OVER_CHILD.id,
        pepTargetId: target,
        amountPence: amount,
        rationale: 'Tuition',
        requestId: id,
      });
      expect(made.errors).toBeUndefined();
    }
    expect((await decide('vsh', { id: a, decision: 'APPROVE', reason: 'Yes' })).errors).toBe(
      undefined,
    );
    const start = await stateOf(OVER_CHILD.id);
    const refused = await decide('vsh', { id: b, decision: 'APPROVE', reason: 'Yes' });
    expect(codesAt(refused)).toEqual(['decidePupilPremiumPlusRequest:BAD_USER_INPUT']);
    expect(refused.errors![0]!.message).toMatch(/still REQUESTED/);
    expect(refused.errors![0]!.message).toMatch(/£[\d,]+\.\d\d remains/);
    expect(await stateOf(OVER_CHILD.id)).toEqual(start);
    expect((await system.stores.ppPlusRequests.get(b))!.status).toBe('REQUESTED');
    expect((await commitmentsOf(OVER_CHILD.id)).map((c) => c.commitment_ref)).toEqual([a]);
    // What does remain can still be part-approved.
    const left = (await profile(OVER_CHILD.id)).unspent!.pence;
    const part = await decide('vsh', {
      id: b,
      decision: 'PART_APPROVE',
      approvedPence: left,
      reason: 'What remains',
    });
    expect(part.data!.decidePupilPremiumPlusRequest.request.status).toBe('COMMITTED');
    expect((await profile(OVER_CHILD.id)).unspent!.pence).toBe(0);
  });
});

describe('when the finance system cannot take the approval or the payment', () => {
  afterEach(async () => {
    await setFaults(system, 'finance', { errorRate: 0 });
  });

  it('leaves no half state: the request stays REQUESTED, the caller is told to try again', async () => {
    const id = randomUUID();
    const made = await request('vs-officer', {
      childId: FAULT_CHILD.id,
      pepTargetId: FAULT_CHILD.target,
      amountPence: 2_500,
      rationale: 'School trip',
      requestId: id,
    });
    expect(made.errors).toBeUndefined();
    const start = await stateOf(FAULT_CHILD.id);

    await setFaults(system, 'finance', { errorRate: 1 });
    const refused = await decide('vsh', { id, decision: 'APPROVE', reason: 'Yes' });
    expect(codesAt(refused)).toEqual(['decidePupilPremiumPlusRequest:UPSTREAM_UNAVAILABLE']);
    expect(refused.errors![0]!.message).toMatch(/still REQUESTED.*Try again/);
    await setFaults(system, 'finance', { errorRate: 0 });
    expect(await stateOf(FAULT_CHILD.id)).toEqual(start);

    // Tried again: committed once.
    const approved = await decide('vsh', { id, decision: 'APPROVE', reason: 'Yes' });
    expect(approved.data!.decidePupilPremiumPlusRequest.request.status).toBe('COMMITTED');
    expect((await commitmentsOf(FAULT_CHILD.id)).map((c) => c.commitment_ref)).toEqual([id]);

    // A payment the finance system cannot take is not recorded; sent again, it is, once.
    const committed = await stateOf(FAULT_CHILD.id);
    const payment = {
      id,
      paidOn: TEST_AS_OF,
      amountPence: 2_500,
      item: 'Trip',
      paymentRef: 'TRIP-1',
    };
    await setFaults(system, 'finance', { errorRate: 1 });
    const down = await pay('finance-officer', payment);
    expect(codesAt(down)).toEqual(['recordPupilPremiumPlusPayment:UPSTREAM_UNAVAILABLE']);
    expect(down.errors![0]!.message).toMatch(/same `paymentRef`/);
    await setFaults(system, 'finance', { errorRate: 0 });
    expect(await stateOf(FAULT_CHILD.id)).toEqual(committed);
    const paid = await pay('finance-officer', payment);
    expect(paid.data!.recordPupilPremiumPlusPayment.request.status).toBe('PAID');
  });
});

describe('input and repeats', () => {
  it('names every bad field at once and changes nothing', async () => {
    const start = await stateOf(ROLES_CHILD.id);
    const badRequest = await request('vs-officer', {
      childId: '12',
      pepTargetId: 'not a target!',
      amountPence: 0,
      rationale: '   ',
      requestId: 'again',
    });
    expect(codesAt(badRequest)).toEqual(['requestPupilPremiumPlus:BAD_USER_INPUT']);
    for (const field of ['childId', 'pepTargetId', 'amountPence', 'rationale', 'requestId']) {
      expect(badRequest.errors![0]!.message).toContain(`\`${field}\``);
    }
    const notTheirTarget = await request('vs-officer', {
      childId: ROLES_CHILD.id,
      pepTargetId: PATH_CHILD.target,
      amountPence: 100,
      rationale: 'Books',
      requestId: randomUUID(),
    });
    expect(notTheirTarget.errors![0]!.message).toMatch(/not a target of this child’?'?s PEP/);

    const badDecision = await decide('vsh', {
      id: 'x',
      decision: 'PART_APPROVE',
      reason: '',
    });
    expect(codesAt(badDecision)).toEqual(['decidePupilPremiumPlusRequest:BAD_USER_INPUT']);
    for (const field of ['id', 'approvedPence', 'reason']) {
      expect(badDecision.errors![0]!.message).toContain(`\`${field}\``);
    }

    const badPayment = await pay('finance-officer', {
      id: 'x',
      paidOn: '2999-01-01',
      amountPence: -5,
      item: '',
      paymentRef: 'has spaces',
    });
    expect(codesAt(badPayment)).toEqual(['recordPupilPremiumPlusPayment:BAD_USER_INPUT']);
    for (const field of ['id', 'paidOn', 'amountPence', 'item', 'paymentRef']) {
      expect(badPayment.errors![0]!.message).toContain(`\`${field}\``);
    }
    expect(await stateOf(ROLES_CHILD.id)).toEqual(start);
  });

  it('treats the same request, decision and payment sent twice as one change', async () => {
    const id = randomUUID();
    const input = {
      childId: ROLES_CHILD.id,
      pepTargetId: ROLES_CHILD.targets[1],
      amountPence: 3_000,
      rationale: 'Music lessons',
      requestId: id,
    };
    expect((await request('vs-officer', input)).data!.requestPupilPremiumPlus.changed).toBe(true);
    const again = await request('vs-officer', input);
    expect(again.data!.requestPupilPremiumPlus).toMatchObject({ changed: false, request: { id } });
    // The id of another request, or a second open request on the target: refused.
    const reused = await request('vs-officer', { ...input, amountPence: 3_001 });
    expect(reused.errors![0]!.message).toMatch(/`requestId` was used for a different request/);
    const second = await request('vs-officer', { ...input, requestId: randomUUID() });
    expect(second.errors![0]!.message).toMatch(/already has an open PP\+ request/);

    const decision = { id, decision: 'APPROVE', reason: 'Yes' };
    expect((await decide('vsh', decision)).data!.decidePupilPremiumPlusRequest.changed).toBe(true);
    const redecided = await decide('vsh', decision);
    expect(redecided.data!.decidePupilPremiumPlusRequest.changed).toBe(false);
    const changedMind = await decide('vsh', { id, decision: 'DECLINE', reason: 'No' });
    expect(changedMind.errors![0]!.message).toMatch(/already decided/);

    const payment = {
      id,
      paidOn: TEST_AS_OF,
      amountPence: 3_000,
      item: 'Music lessons',
      paymentRef: 'MUS-1',
    };
    expect(
      (await pay('finance-officer', payment)).data!.recordPupilPremiumPlusPayment.changed,
    ).toBe(true);
    const repaid = await pay('finance-officer', payment);
    expect(repaid.data!.recordPupilPremiumPlusPayment).toMatchObject({
      changed: false,
      request: { status: 'PAID', paid: { pence: 3_000 } },
    });
    const state = await stateOf(ROLES_CHILD.id);
    expect(state.history.filter((e) => e.requestId === id).map((e) => e.action)).toEqual([
      'REQUEST',
      'DECIDE',
      'PAY',
    ]);
    expect(state.commitments.filter((c) => c.commitment_ref === id)).toHaveLength(1);
    expect(state.ledger.filter((l) => l.item === 'Music lessons')).toHaveLength(1);
  });
});

describe('what a designated teacher sees of PP+ requests (FUNDING for their school only)', () => {
  it('shows their own school’s requests and commitments, not another school’s', async () => {
    // PATH_CHILD is on roll at the designated-teacher persona's school (193579); the request
    // above was for a PEP held with another school. This one is for a PEP held with theirs.
    const id = randomUUID();
    const made = await request('vs-officer', {
      childId: PATH_CHILD.id,
      pepTargetId: 'PEP0000078-T1',
      amountPence: 7_000,
      rationale: 'Homework club',
      requestId: id,
    });
    expect(made.data!.requestPupilPremiumPlus.request).toMatchObject({ school: { urn: '193579' } });
    expect((await decide('vsh', { id, decision: 'APPROVE', reason: 'Yes' })).errors).toBe(
      undefined,
    );

    const seen = await as<{
      child: {
        pupilPremiumPlus: Pick<Ppp, 'committed' | 'unspent'> & { requests: Array<{ id: string }> };
      };
    }>(
      'designated-teacher',
      /* GraphQL */ `
        query ($id: ID!) {
          child(id: $id) {
            pupilPremiumPlus(financialYear: "2025-26") {
              committed {
                pence
              }
              unspent {
                pence
              }
              requests {
                id
              }
            }
          }
        }
      `,
      { id: PATH_CHILD.id },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.child.pupilPremiumPlus).toEqual({
      committed: { pence: 7_000 },
      unspent: null,
      requests: [{ id }],
    });
    const head = await profile(PATH_CHILD.id);
    expect(head.requests.map((r) => r.id)).toHaveLength(2);
    expect(head.committed.pence).toBe(7_000);
  });
});

describe('afterwards, with commitments open and paid', () => {
  it('leaves the profiles and the cohort report agreeing on PP+ (committed taken off unspent alike)', async () => {
    const ask = await clientFor(system, 'vsh');
    interface Page {
      children: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Array<{
          node: {
            careStatus: { legalStatus: { code: string } } | null;
            pupilPremiumPlus: Pick<Ppp, 'allocated' | 'spent' | 'committed' | 'unspent'> | null;
          };
        }>;
      };
    }
    const totals = { allocated: 0, spent: 0, committed: 0, unspent: 0, children: 0 };
    let after: string | null = null;
    for (;;) {
      const page: GraphQLResult<Page> = await ask<Page>(
        /* GraphQL */ `
          query ($after: String) {
            children(first: 50, after: $after) {
              pageInfo {
                hasNextPage
                endCursor
              }
              edges {
                node {
                  careStatus {
                    legalStatus {
                      code
                    }
                  }
                  pupilPremiumPlus(financialYear: "2025-26") {
                    allocated {
                      pence
                    }
                    spent {
                      pence
                    }
                    committed {
                      pence
                    }
                    unspent {
                      pence
                    }
                  }
                }
              }
            }
          }
        `,
        { after },
      );
      expect(page.errors).toBeUndefined();
      for (const { node } of page.data!.children.edges) {
        // Short breaks (V3, V4) are not looked after for the report's cohort.
        if (['V3', 'V4'].includes(node.careStatus?.legalStatus.code ?? '')) continue;
        const pp = node.pupilPremiumPlus;
        if (!pp) continue;
        totals.children += 1;
        totals.allocated += pp.allocated.pence;
        totals.spent += pp.spent.pence;
        totals.committed += pp.committed.pence;
        totals.unspent += pp.unspent!.pence;
      }
      if (!page.data!.children.pageInfo.hasNextPage) break;
      after = page.data!.children.pageInfo.endCursor;
    }
    const report = await ask<{
      cohortReport: {
        total: {
          measures: Array<{
            measure: string;
            lookedAfter: { status: string; numerator: number | null; denominator: number | null };
          }>;
        };
      };
    }>(/* GraphQL */ `
      {
        cohortReport(filter: { academicYear: "2025/26" }) {
          total {
            measures {
              measure
              lookedAfter {
                status
                numerator
                denominator
              }
            }
          }
        }
      }
    `);
    expect(report.errors).toBeUndefined();
    // Commitments are open (the designated teacher's school's request, the roles test's, the
    // part-approval of what remained): unspent takes them off, in the profiles and the report.
    expect(totals.committed).toBeGreaterThan(0);
    const figure = (key: string) =>
      report.data!.cohortReport.total.measures.find((m) => m.measure === key)!.lookedAfter;
    expect({
      allocated: figure('PUPIL_PREMIUM_PLUS_ALLOCATED').numerator,
      spent: figure('PUPIL_PREMIUM_PLUS_SPENT').numerator,
      unspent: figure('PUPIL_PREMIUM_PLUS_UNSPENT').numerator,
      children: figure('PUPIL_PREMIUM_PLUS_ALLOCATED').denominator,
    }).toEqual({
      allocated: totals.allocated / 100,
      spent: totals.spent / 100,
      unspent: totals.unspent / 100,
      children: totals.children,
    });
  });
});
