import { randomUUID } from 'node:crypto';
import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import type { NewPpPlusRequest } from './types';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const officer = { sub: 'VSO1', roles: ['virtual-school-officer'], requestId: 'req-1' };
const head = { sub: 'VSH1', roles: ['virtual-school-head'], requestId: 'req-2' };
const financeOfficer = { sub: 'FIN1', roles: ['finance-officer'], requestId: null };

describe.each(testDatabases)('PpPlusRequestStore on $name', (target) => {
  let stores: Stores;
  // One database per file: each test takes targets of its own.
  let nextTarget = 0;
  const newTarget = (): string => `T-${(nextTarget += 1)}`;

  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  const request = (overrides: Partial<NewPpPlusRequest> = {}): NewPpPlusRequest => ({
    id: randomUUID(),
    childId: '1000001',
    financialYear: '2025-26',
    pepId: 'PEP-1',
    pepTargetId: newTarget(),
    urn: '100001',
    requestedPence: 50_000,
    rationale: 'Reading tutor, two sessions a week',
    actor: officer,
    ...overrides,
  });

  it('makes a request once, with its history (who, when, after)', async () => {
    const input = request();
    const made = await stores.ppPlusRequests.create(input);
    expect(made).toEqual({
      kind: 'created',
      request: {
        id: input.id,
        childId: '1000001',
        financialYear: '2025-26',
        pepId: 'PEP-1',
        pepTargetId: input.pepTargetId,
        urn: '100001',
        requestedPence: 50_000,
        rationale: input.rationale,
        requestedBy: 'VSO1',
        requestedAt: expect.stringMatching(ISO),
        status: 'REQUESTED',
        decision: null,
        approvedPence: null,
        decisionReason: null,
        decidedBy: null,
        decidedAt: null,
        commitmentId: null,
        paidPence: 0,
      },
    });
    if (made.kind !== 'created') throw new Error('not created');
    // The same request again: the same request, no second history line.
    expect(await stores.ppPlusRequests.create(input)).toEqual({
      kind: 'repeated',
      request: made.request,
    });
    const history = (await stores.ppPlusRequests.history([input.id])).get(input.id)!;
    expect(history).toEqual([
      {
        id: expect.any(String),
        requestId: input.id,
        childId: '1000001',
        action: 'REQUEST',
        actorSub: 'VSO1',
        actorRoles: ['virtual-school-officer'],
        gatewayRequestId: 'req-1',
        changedAt: expect.stringMatching(ISO),
        before: null,
        after: made.request,
        paymentRef: null,
      },
    ]);
  });

  it('refuses an id used for another request, and a second open request on a target', async () => {
    const first = request();
    await stores.ppPlusRequests.create(first);
    expect(await stores.ppPlusRequests.create({ ...first, requestedPence: 1 })).toEqual({
      kind: 'id-taken',
    });
    const second = request({ pepTargetId: first.pepTargetId });
    expect(await stores.ppPlusRequests.create(second)).toEqual({
      kind: 'target-open',
      openRequestId: first.id,
    });
    expect(await stores.ppPlusRequests.get(second.id)).toBeNull();
  });

  it('decides, commits and pays, each once, with before and after', async () => {
    const input = request();
    await stores.ppPlusRequests.create(input);
    const decided = await stores.ppPlusRequests.decide(input.id, {
      decision: 'PART_APPROVE',
      approvedPence: 30_000,
      reason: 'Part: the tutor costs less termly',
      commitmentId: 'C-1',
      actor: head,
    });
    expect(decided).toMatchObject({
      changed: true,
      request: {
        status: 'COMMITTED',
        decision: 'PART_APPROVE',
        approvedPence: 30_000,
        decidedBy: 'VSH1',
        decidedAt: expect.stringMatching(ISO),
        commitmentId: 'C-1',
      },
    });
    // Deciding again changes nothing: the request is answered as it stands.
    const again = await stores.ppPlusRequests.decide(input.id, {
      decision: 'DECLINE',
      approvedPence: null,
      reason: 'No',
      commitmentId: null,
      actor: head,
    });
    expect(again).toEqual({ request: decided!.request, changed: false });

    const part = await stores.ppPlusRequests.recordPayment(input.id, {
      paymentRef: 'PAY-1',
      paidPence: 10_000,
      actor: financeOfficer,
    });
    expect(part).toMatchObject({
      changed: true,
      request: { status: 'COMMITTED', paidPence: 10_000 },
    });
    const repeat = await stores.ppPlusRequests.recordPayment(input.id, {
      paymentRef: 'PAY-1',
      paidPence: 10_000,
      actor: financeOfficer,
    });
    expect(repeat).toEqual({ request: part!.request, changed: false });
    const rest = await stores.ppPlusRequests.recordPayment(input.id, {
      paymentRef: 'PAY-2',
      paidPence: 30_000,
      actor: financeOfficer,
    });
    expect(rest).toMatchObject({ changed: true, request: { status: 'PAID', paidPence: 30_000 } });

    const history = (await stores.ppPlusRequests.history([input.id])).get(input.id)!;
    expect(history.map((e) => [e.action, e.actorSub, e.paymentRef, e.after.status])).toEqual([
      ['REQUEST', 'VSO1', null, 'REQUESTED'],
      ['DECIDE', 'VSH1', null, 'COMMITTED'],
      ['PAY', 'FIN1', 'PAY-1', 'COMMITTED'],
      ['PAY', 'FIN1', 'PAY-2', 'PAID'],
    ]);
    expect(history[1]!.before?.status).toBe('REQUESTED');
    expect(history[3]!.before?.paidPence).toBe(10_000);
    // A paid request's target is open again for a new request.
    const next = request({ pepTargetId: input.pepTargetId });
    expect((await stores.ppPlusRequests.create(next)).kind).toBe('created');
  });

  it('answers children and requests in one query each, [] for none', async () => {
    const a = request({ childId: '1000002' });
    const b = request({ childId: '1000002' });
    const other = request({ childId: '1000003', financialYear: '2024-25' });
    for (const input of [a, b, other]) await stores.ppPlusRequests.create(input);
    const byChild = await stores.ppPlusRequests.forChildren(
      ['1000002', '1000003', '1000004'],
      '2025-26',
    );
    expect([...byChild.keys()]).toEqual(['1000002', '1000003', '1000004']);
    expect(
      byChild
        .get('1000002')!
        .map((r) => r.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(byChild.get('1000003')).toEqual([]);
    expect((await stores.ppPlusRequests.history([other.id])).get(other.id)).toHaveLength(1);
    expect(await stores.ppPlusRequests.get('not-a-uuid')).toBeNull();
  });

  it.each<[string, Partial<NewPpPlusRequest>, string]>([
    ['a bad child id', { childId: '12' }, 'childId'],
    ['a bad id', { id: 'x' }, 'id'],
    ['no amount', { requestedPence: 0 }, 'requestedPence'],
    ['an empty rationale', { rationale: '  ' }, 'rationale'],
    ['a bad year', { financialYear: '2025' }, 'financialYear'],
  ])('refuses %s, naming the field, and writes nothing', async (_what, overrides, field) => {
    const input = { ...request(), ...overrides };
    const attempt = stores.ppPlusRequests.create(input);
    await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
    await expect(attempt).rejects.toMatchObject({ fields: [field] });
    const byChild = await stores.ppPlusRequests.forChildren(['1000009'], '2025-26');
    expect(byChild.get('1000009')).toEqual([]);
  });

  it('keeps what was asked, and the history, as they were: the database refuses the rest', async () => {
    const input = request({ childId: '1000005' });
    await stores.ppPlusRequests.create(input);
    const refused = '42501';
    expect(
      await sqlStateOf(
        stores.db.query(`UPDATE pp_plus_request SET requested_pence = 1 WHERE id = $1`, [input.id]),
      ),
    ).toBe(refused);
    expect(
      await sqlStateOf(stores.db.query('DELETE FROM pp_plus_request WHERE id = $1', [input.id])),
    ).toBe(refused);
    expect(
      await sqlStateOf(
        stores.db.query(`UPDATE pp_plus_request_event SET actor_sub = 'x' WHERE request_id = $1`, [
          input.id,
        ]),
      ),
    ).toBe(refused);
    expect(
      await sqlStateOf(
        stores.db.query('DELETE FROM pp_plus_request_event WHERE request_id = $1', [input.id]),
      ),
    ).toBe(refused);
    expect(await sqlStateOf(stores.db.exec('TRUNCATE pp_plus_request_event'))).toBe(refused);
    expect((await stores.ppPlusRequests.get(input.id))?.requestedPence).toBe(50_000);
  });
});
