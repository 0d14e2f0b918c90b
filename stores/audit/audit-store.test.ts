import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { countingDatabase, testDatabases } from '../testing/databases';
import { AuditStore, type AuditEvent, type AuditEventInput } from './audit-store';

describe.each(testDatabases)('AuditStore on $name', (target) => {
  let stores: Stores;
  let audit: AuditStore;
  // One database per file: each test reads its own children and actors.
  let next = 4_000_000;
  const child = (): string => String((next += 1));
  const actor = (): string => `user-${(next += 1)}@council.example`;

  beforeAll(async () => {
    stores = await target.openStores();
    audit = stores.audit;
  });
  afterAll(() => stores?.close());

  const event = (overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
    requestId: 'req-1',
    actorSub: 'E900001',
    actorRoles: ['designated-teacher'],
    actorLa: '340',
    childId: '1000001',
    categories: ['ID', 'EDU'],
    operationName: 'ChildOverview',
    operationType: 'query',
    outcome: 'ALLOWED',
    ...overrides,
  });

  const readAll = async (filter: { childId?: string; actorSub?: string }, first: number) => {
    const pages = [];
    let after: string | null = null;
    do {
      const page = await audit.query({ ...filter, first, after });
      pages.push(page);
      after = page.hasNextPage ? page.endCursor : null;
    } while (after);
    return pages;
  };

  it('appends a whole batch in one INSERT, and an empty batch in none', async () => {
    const id = child();
    const counting = countingDatabase(stores.db);
    const store = new AuditStore(counting.db);
    await store.append(
      Array.from({ length: 250 }, (_, i) => event({ childId: id, requestId: `batch-${i}` })),
    );
    expect(counting.statements).toHaveLength(1);
    expect(counting.statements[0]).toMatch(/^\s*INSERT INTO access_audit_event/);

    await store.append([]);
    expect(counting.statements).toHaveLength(1);
    expect((await audit.query({ childId: id, first: 1 })).totalCount).toBe(250);
  });

  it('keeps every field, and stamps the time when none is given', async () => {
    const id = child();
    await audit.append([
      event({
        childId: id,
        requestId: 'req-fields',
        actorRoles: ['virtual-school-head', 'auditor'],
        clientId: 'cla-web',
        categories: ['ID', 'CARE', 'ADDRESS'],
        purpose: 'PEP review',
      }),
    ]);
    const { events } = await audit.query({ childId: id, first: 5 });
    expect(events).toEqual<AuditEvent[]>([
      {
        id: expect.stringMatching(/^\d+$/),
        requestId: 'req-fields',
        occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        actorSub: 'E900001',
        actorRoles: ['virtual-school-head', 'auditor'],
        actorLa: '340',
        clientId: 'cla-web',
        childId: id,
        subjectUpn: null,
        categories: ['ID', 'CARE', 'ADDRESS'],
        operationName: 'ChildOverview',
        operationType: 'query',
        purpose: 'PEP review',
        cohortFilter: null,
        outcome: 'ALLOWED',
      },
    ]);
    expect(Math.abs(Date.parse(events[0].occurredAt) - Date.now())).toBeLessThan(60_000);
  });

  it("records a read of another authority's pupil by UPN, and finds it by UPN", async () => {
    const upn = `K${String(Date.now()).slice(-11).padStart(11, '0')}A`;
    await audit.append([event({ childId: null, subjectUpn: upn, categories: ['ID', 'EDU'] })]);
    const { events } = await audit.query({ subjectUpn: upn, first: 5 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ childId: null, subjectUpn: upn, categories: ['ID', 'EDU'] });
    await expect(audit.append([event({ subjectUpn: 'not-a-upn' })])).rejects.toThrow();
  });

  it('records an aggregate event with no child and its cohort filter', async () => {
    const sub = actor();
    const cohortFilter = { urn: '100001', yearGroups: ['10', '11'], uasc: null, minAge: 14 };
    await audit.append([
      event({ actorSub: sub, childId: null, categories: [], cohortFilter, operationName: null }),
    ]);
    const { events } = await audit.query({ actorSub: sub, first: 5 });
    expect(events).toMatchObject([{ childId: null, cohortFilter, operationName: null }]);
  });

  it("pages a child's events newest first, exactly, even within one millisecond", async () => {
    const id = child();
    const times = [
      '2025-03-01T09:00:00.000Z',
      '2025-03-02T09:00:00.000Z',
      '2025-03-03T09:00:00.000000Z',
      '2025-03-03T09:00:00.000000Z', // same instant: the id breaks the tie
      '2025-03-04T09:00:00.000100Z',
      '2025-03-04T09:00:00.000900Z', // same millisecond, later microsecond
      '2025-03-05T10:00:00+01:00',
    ];
    await audit.append(
      times.map((occurredAt, i) => event({ childId: id, occurredAt, requestId: `p${i}` })),
    );
    await audit.append([event({ childId: child(), requestId: 'someone else' })]);

    // Pages of two put a page break inside the tie (p3 | p2) and inside the millisecond
    // (p5 | p4): a cursor that lost the id or the microseconds would skip or repeat one.
    const pages = await readAll({ childId: id }, 2);
    expect(pages.map((p) => [p.events.length, p.hasNextPage, p.totalCount])).toEqual([
      [2, true, 7],
      [2, true, 7],
      [2, true, 7],
      [1, false, 7],
    ]);
    expect(pages.flatMap((p) => p.events.map((e) => e.requestId))).toEqual([
      'p6',
      'p5',
      'p4',
      'p3',
      'p2',
      'p1',
      'p0',
    ]);
    expect(pages[3].events[0].occurredAt).toBe('2025-03-01T09:00:00.000Z');
    expect(pages[0].events[0].occurredAt).toBe('2025-03-05T09:00:00.000Z');
  });

  it('filters by actor and by time, from inclusive and to exclusive', async () => {
    const sub = actor();
    await audit.append(
      ['2025-04-01', '2025-04-02', '2025-04-03', '2025-04-04'].map((day) =>
        event({ actorSub: sub, occurredAt: `${day}T12:00:00Z`, requestId: day }),
      ),
    );
    await audit.append([event({ actorSub: actor(), occurredAt: '2025-04-02T12:00:00Z' })]);

    const page = await audit.query({
      actorSub: sub,
      from: '2025-04-02T12:00:00Z',
      to: '2025-04-04T12:00:00Z',
      first: 10,
    });
    expect(page.events.map((e) => e.requestId)).toEqual(['2025-04-03', '2025-04-02']);
    expect(page).toMatchObject({ totalCount: 2, hasNextPage: false });

    const pages = await readAll({ actorSub: sub }, 1);
    expect(pages.map((p) => p.events[0].requestId)).toEqual([
      '2025-04-04',
      '2025-04-03',
      '2025-04-02',
      '2025-04-01',
    ]);
  });

  it('answers an empty page with no cursor', async () => {
    expect(await audit.query({ childId: child(), first: 10 })).toEqual({
      events: [],
      hasNextPage: false,
      endCursor: null,
      totalCount: 0,
    });
  });

  it('refuses a cursor it did not make, and a page size out of range', async () => {
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = [
      forge(["2025-01-01' OR 1=1", '1']),
      forge(['2025-02-30T00:00:00.000000Z', '1']),
      forge(['2025-01-01T00:00:00.000000Z', '9999999999999999999']),
    ];
    for (const after of ['not-a-cursor', ...forged]) {
      await expect(audit.query({ first: 10, after })).rejects.toThrow(
        'Invalid audit query: after.',
      );
    }
    await expect(audit.query({ first: 0 })).rejects.toThrow('Invalid audit query: first.');
    await expect(audit.query({ first: 501 })).rejects.toThrow(StoreValidationError);
  });

  it('refuses a batch with one bad event and writes none of it', async () => {
    const id = child();
    const batch = [
      event({ childId: id }),
      event({ childId: id, categories: ['ID', 'SECRETS' as never] }),
      event({ childId: id, actorLa: 'Knowsley' }),
    ];
    await expect(audit.append(batch)).rejects.toMatchObject({
      fields: ['1.categories.1', '2.actorLa'],
      message: 'Invalid audit events: 1.categories.1, 2.actorLa.',
    });
    expect((await audit.query({ childId: id, first: 1 })).totalCount).toBe(0);
  });
});
