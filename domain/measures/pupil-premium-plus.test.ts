import type {
  FinAllocation,
  FinClient,
  FinCommitment,
  FinLedgerLine,
} from '../../upstream/finance/contract';
import {
  UNSPENT_RULE,
  pupilPremiumPlusFor,
  spendFrom,
  topSliceSharePence,
  topSliceYearFrom,
  unspentFor,
  type TopSliceYear,
} from './pupil-premium-plus';

const REF = 'CLA/1234567';

function allocation(overrides: Partial<FinAllocation> = {}): FinAllocation {
  return {
    client_ref: REF,
    fy: '2025-26',
    rate_pence: 263000,
    amount_pence: 263000,
    status: 'CONFIRMED',
    cost_centre: 'VS-PPP',
    ...overrides,
  };
}

function line(overrides: Partial<FinLedgerLine> = {}): FinLedgerLine {
  return {
    line_id: 'L1',
    client_ref: REF,
    fy: '2025-26',
    posted_on: '2025-06-01',
    type: 'SPEND',
    urn: '100001',
    item: 'Reading tutor',
    amount_pence: 10000,
    pep_target_id: 'T-1',
    cost_centre: 'VS-PPP',
    ...overrides,
  };
}

function client(allocations: FinAllocation[], ledger: FinLedgerLine[]): FinClient {
  return { client_ref: REF, cost_centre: 'VS-PPP', allocations, ledger };
}

describe('pupilPremiumPlusFor', () => {
  it('sums the year allocations and spend, and derives the balance', () => {
    const ppp = pupilPremiumPlusFor(
      client(
        [
          allocation(),
          allocation({ amount_pence: 50000, status: 'PROVISIONAL' }),
          allocation({ fy: '2024-25' }),
        ],
        [
          line({ line_id: 'L1', amount_pence: 60000 }),
          line({ line_id: 'L2', amount_pence: 45050 }),
          line({ line_id: 'L3', fy: '2024-25', amount_pence: 99999 }),
        ],
      ),
      '2025-26',
    );
    expect(ppp).not.toBeNull();
    expect(ppp?.financialYear).toBe('2025-26');
    expect(ppp?.allocated).toEqual({ pence: 313000, formatted: '£3,130.00' });
    expect(ppp?.spent).toEqual({ pence: 105050, formatted: '£1,050.50' });
    expect(ppp?.balance).toEqual({ pence: 207950, formatted: '£2,079.50' });
    expect(ppp?.allocations).toEqual([
      {
        financialYear: '2025-26',
        rate: { pence: 263000, formatted: '£2,630.00' },
        amount: { pence: 263000, formatted: '£2,630.00' },
        status: 'CONFIRMED',
      },
      {
        financialYear: '2025-26',
        rate: { pence: 263000, formatted: '£2,630.00' },
        amount: { pence: 50000, formatted: '£500.00' },
        status: 'PROVISIONAL',
      },
    ]);
  });

  it('counts ADJUST lines, negative ones too, and leaves top-slices out', () => {
    const ppp = pupilPremiumPlusFor(
      client(
        [allocation()],
        [
          line({ line_id: 'L1', amount_pence: 20000 }),
          line({ line_id: 'L2', type: 'ADJUST', amount_pence: -1250 }),
          line({ line_id: 'L3', type: 'TOPSLICE', client_ref: REF, amount_pence: 500000 }),
        ],
      ),
      '2025-26',
    );
    expect(ppp?.spent).toEqual({ pence: 18750, formatted: '£187.50' });
    expect(ppp?.balance.pence).toBe(263000 - 18750);
    expect(ppp?.spend.map((spend) => spend.id).sort()).toEqual(['L1', 'L2']);
    expect(ppp?.spend.find((spend) => spend.id === 'L2')?.amount).toEqual({
      pence: -1250,
      formatted: '-£12.50',
    });
  });

  it('lists spend newest first, same-day lines in a stable order', () => {
    const ppp = pupilPremiumPlusFor(
      client(
        [allocation()],
        [
          line({ line_id: 'L1', posted_on: '2025-05-01' }),
          line({ line_id: 'L2', posted_on: '2026-01-15' }),
          line({ line_id: 'L3', posted_on: '2025-09-30' }),
          line({ line_id: 'L4', posted_on: '2025-09-30' }),
        ],
      ),
      '2025-26',
    );
    expect(ppp?.spend.map((spend) => spend.id)).toEqual(['L2', 'L4', 'L3', 'L1']);
  });

  it('ignores lines booked to another client reference', () => {
    const ppp = pupilPremiumPlusFor(
      client(
        [allocation(), allocation({ client_ref: 'CLA/7654321' })],
        [line({ client_ref: 'CLA/7654321' })],
      ),
      '2025-26',
    );
    expect(ppp?.allocated.pence).toBe(263000);
    expect(ppp?.spend).toEqual([]);
    expect(ppp?.spent).toEqual({ pence: 0, formatted: '£0.00' });
  });

  it('answers a year with spend but no allocation (a negative balance)', () => {
    const ppp = pupilPremiumPlusFor(
      client([], [line({ type: 'ADJUST', amount_pence: 15000 })]),
      '2025-26',
    );
    expect(ppp?.allocations).toEqual([]);
    expect(ppp?.allocated.pence).toBe(0);
    expect(ppp?.balance).toEqual({ pence: -15000, formatted: '-£150.00' });
  });

  it('is null when the year holds neither an allocation nor a spend line', () => {
    const record = client([allocation({ fy: '2024-25' })], [line({ fy: '2024-25' })]);
    expect(pupilPremiumPlusFor(record, '2025-26')).toBeNull();
    expect(pupilPremiumPlusFor(client([], [line({ type: 'TOPSLICE' })]), '2025-26')).toBeNull();
    expect(pupilPremiumPlusFor(null, '2025-26')).toBeNull();
  });

  it('treats absent parts of the record as empty', () => {
    expect(pupilPremiumPlusFor({ client_ref: REF, cost_centre: 'VS-PPP' }, '2025-26')).toBeNull();
  });
});

describe('pupilPremiumPlusFor, limited to some schools’ spend', () => {
  const record = client(
    [allocation()],
    [
      line({ line_id: 'L1', urn: '100001', amount_pence: 60000 }),
      line({ line_id: 'L2', urn: '100002', amount_pence: 30000 }),
      line({ line_id: 'L3', urn: null, type: 'ADJUST', amount_pence: 5000 }),
    ],
  );

  it('keeps only those schools’ lines, and counts spent and balance from them', () => {
    const ppp = pupilPremiumPlusFor(record, '2025-26', ['100001']);
    expect(ppp?.spend.map((spend) => spend.id)).toEqual(['L1']);
    expect(ppp?.allocated.pence).toBe(263000);
    expect(ppp?.spent.pence).toBe(60000);
    expect(ppp?.balance.pence).toBe(203000);
  });

  it('hides lines booked to no school, and shows nothing with no schools', () => {
    expect(pupilPremiumPlusFor(record, '2025-26', [])?.spend).toEqual([]);
    expect(pupilPremiumPlusFor(record, '2025-26', [])?.spent.pence).toBe(0);
    // No allocation and no visible line: as if the finance system held nothing.
    expect(pupilPremiumPlusFor(client([], record.ledger ?? []), '2025-26', ['100003'])).toBeNull();
  });

  it('shows every line without a limit', () => {
    expect(pupilPremiumPlusFor(record, '2025-26', null)?.spent.pence).toBe(95000);
  });
});

function commitment(overrides: Partial<FinCommitment> = {}): FinCommitment {
  return {
    commitment_id: 'C1',
    commitment_ref: 'R1',
    client_ref: REF,
    fy: '2025-26',
    amount_pence: 30000,
    paid_pence: 0,
    pep_target_id: 'T-1',
    urn: '100001',
    status: 'OPEN',
    created_on: '2025-09-01',
    ...overrides,
  };
}

describe('committed PP+ (approved requests not yet paid)', () => {
  const YEAR: TopSliceYear = {
    financialYear: '2025-26',
    allocatedPence: 1_000_000,
    topSlicedPence: 0,
  };
  const withCommitments = (commitments: FinCommitment[], ledger: FinLedgerLine[] = []) => ({
    ...client([allocation()], ledger),
    commitments,
  });

  it('counts the unpaid part of the year’s open commitments, and takes it off unspent', () => {
    const ppp = pupilPremiumPlusFor(
      withCommitments([
        commitment({ amount_pence: 30000, paid_pence: 10000 }),
        commitment({ commitment_id: 'C2', amount_pence: 5000 }),
        // Paid in full, cancelled, another year, another child: none counts.
        commitment({ commitment_id: 'C3', status: 'PAID', paid_pence: 30000 }),
        commitment({ commitment_id: 'C4', status: 'CANCELLED' }),
        commitment({ commitment_id: 'C5', fy: '2024-25' }),
        commitment({ commitment_id: 'C6', client_ref: 'CLA/7654321' }),
      ]),
      '2025-26',
    )!;
    expect(ppp.committed).toEqual({ pence: 25000, formatted: '£250.00' });
    expect(ppp.balance.pence).toBe(263000);
    expect(unspentFor(ppp, YEAR)?.unspent.pence).toBe(263000 - 25000);
  });

  it('has nothing committed without commitments, and a year of commitments only is shown', () => {
    expect(pupilPremiumPlusFor(client([allocation()], []), '2025-26')!.committed.pence).toBe(0);
    const onlyCommitted = pupilPremiumPlusFor(
      { client_ref: REF, cost_centre: 'VS-PPP', commitments: [commitment()] },
      '2025-26',
    );
    expect(onlyCommitted?.committed.pence).toBe(30000);
  });

  it('shows a designated teacher their own school’s commitments only', () => {
    const ppp = pupilPremiumPlusFor(
      withCommitments([commitment(), commitment({ commitment_id: 'C2', urn: '100002' })]),
      '2025-26',
      ['100001'],
    )!;
    expect(ppp.committed.pence).toBe(30000);
  });
});

describe('spendFrom', () => {
  it('maps a line, with the school as a reference by URN', () => {
    expect(
      spendFrom(line({ line_id: 'L9', posted_on: '2025-10-20', pep_target_id: 'T-3' })),
    ).toEqual({
      id: 'L9',
      postedOn: '2025-10-20',
      school: { urn: '100001' },
      item: 'Reading tutor',
      amount: { pence: 10000, formatted: '£100.00' },
      pepTargetId: 'T-3',
    });
  });

  it('has no school and no PEP target when the line names none', () => {
    const spend = spendFrom(line({ urn: null, pep_target_id: null }));
    expect(spend.school).toBeNull();
    expect(spend.pepTargetId).toBeNull();
  });
});

describe('unspentFor: allocated minus spent minus the child’s share of the year’s top-slices', () => {
  /** 2025-26: £100,000 allocated to all children, £25,000 of it top-sliced (a quarter). */
  const YEAR: TopSliceYear = {
    financialYear: '2025-26',
    allocatedPence: 10_000_000,
    topSlicedPence: 2_500_000,
  };

  it.each<[string, FinAllocation[], FinLedgerLine[], TopSliceYear, number, number]>([
    // [case, allocations, ledger, year, share, unspent]
    [
      'a full-year child carries a quarter of their allocation',
      [allocation()],
      [line({ amount_pence: 60000 })],
      YEAR,
      65750, // 2,500,000 × 263,000 / 10,000,000
      263000 - 60000 - 65750,
    ],
    [
      'a part-year allocation carries a part share',
      [allocation({ amount_pence: 131500 })],
      [],
      YEAR,
      32875,
      131500 - 32875,
    ],
    [
      'no allocation: no share, so unspent is minus the spend',
      [],
      [line({ type: 'ADJUST', amount_pence: 15000 })],
      YEAR,
      0,
      -15000,
    ],
    [
      'ADJUST lines count as spend, reversals too; a top-slice line never does',
      [allocation()],
      [
        line({ line_id: 'L1', amount_pence: 20000 }),
        line({ line_id: 'L2', type: 'ADJUST', amount_pence: -1250 }),
        line({ line_id: 'L3', type: 'TOPSLICE', amount_pence: 500000 }),
      ],
      YEAR,
      65750,
      263000 - 18750 - 65750,
    ],
    [
      'a year with no top-slices: unspent is the balance',
      [allocation()],
      [line({ amount_pence: 60000 })],
      { ...YEAR, topSlicedPence: 0 },
      0,
      203000,
    ],
    [
      'two allocations of the year (a provisional one topped up) share as one',
      [allocation({ amount_pence: 200000 }), allocation({ amount_pence: 63000 })],
      [],
      YEAR,
      65750,
      263000 - 65750,
    ],
    [
      'the share is rounded to the nearest penny',
      [allocation({ amount_pence: 100000 })],
      [],
      { financialYear: '2025-26', allocatedPence: 300000, topSlicedPence: 100001 },
      33334, // 33,333.67
      100000 - 33334,
    ],
  ])('%s', (_case, allocations, ledger, year, share, unspent) => {
    const ppp = pupilPremiumPlusFor(client(allocations, ledger), '2025-26')!;
    expect(unspentFor(ppp, year)).toEqual({
      topSliceShare: { pence: share, formatted: expect.any(String) },
      unspent: { pence: unspent, formatted: expect.any(String) },
      rule: UNSPENT_RULE,
    });
  });

  it('says which rule it used, in the words of the domain reference', () => {
    expect(UNSPENT_RULE).toMatch(
      /allocated minus spent minus committed .* minus the child’s share/,
    );
    expect(UNSPENT_RULE).toMatch(/nearest penny/);
  });

  it('gives no unspent figure for a view of some schools’ spend only (a designated teacher’s)', () => {
    const ppp = pupilPremiumPlusFor(client([allocation()], [line()]), '2025-26', ['100001'])!;
    expect(ppp.allSpendShown).toBe(false);
    expect(unspentFor(ppp, YEAR)).toBeNull();
  });

  it('refuses the top-slices of another year', () => {
    const ppp = pupilPremiumPlusFor(client([allocation()], []), '2025-26')!;
    expect(() => unspentFor(ppp, { ...YEAR, financialYear: '2024-25' })).toThrow(/2024-25/);
  });
});

describe('topSliceSharePence', () => {
  it.each<[string, number, TopSliceYear, number]>([
    ['half a penny rounds up', 1, { financialYear: 'x', allocatedPence: 2, topSlicedPence: 1 }, 1],
    [
      'half a penny of a negative correction rounds away from zero',
      1,
      { financialYear: 'x', allocatedPence: 2, topSlicedPence: -1 },
      -1,
    ],
    [
      'just under half a penny rounds down',
      1,
      { financialYear: 'x', allocatedPence: 3, topSlicedPence: 1 },
      0,
    ],
    [
      'nothing is shared over a year with no allocations',
      263000,
      { financialYear: 'x', allocatedPence: 0, topSlicedPence: 500000 },
      0,
    ],
    [
      'exact beyond 2^53 (a large authority’s sums multiplied)',
      263_000,
      { financialYear: 'x', allocatedPence: 160_000_000_000, topSlicedPence: 40_000_000_003 },
      65750, // 65,750.0000049…
    ],
  ])('%s', (_case, childPence, year, share) => {
    expect(topSliceSharePence(childPence, year)).toBe(share);
  });

  it('shares add up to the top-slices, to within a penny a child', () => {
    const children = [263000, 131500, 100, 263000, 7];
    const year = {
      financialYear: '2025-26',
      allocatedPence: children.reduce((a, b) => a + b, 0),
      topSlicedPence: 123_457,
    };
    const shared = children.reduce((sum, pence) => sum + topSliceSharePence(pence, year), 0);
    expect(Math.abs(shared - year.topSlicedPence)).toBeLessThanOrEqual(children.length);
  });
});

describe('topSliceYearFrom', () => {
  it('adds up the year’s TOPSLICE lines itself, over the year’s allocations', () => {
    const topSlice = (id: string, amount: number, overrides: Partial<FinLedgerLine> = {}) =>
      line({
        line_id: id,
        client_ref: null,
        urn: null,
        type: 'TOPSLICE',
        amount_pence: amount,
        ...overrides,
      });
    expect(
      topSliceYearFrom({
        data: [
          topSlice('T1', 500000),
          topSlice('T2', -20000), // a correction
          topSlice('T3', 999, { fy: '2024-25' }),
          topSlice('T4', 777, { type: 'SPEND' }),
        ],
        meta: { fy: '2025-26', allocated_pence: 1_000_000, top_sliced_pence: 0 },
      }),
    ).toEqual({ financialYear: '2025-26', allocatedPence: 1_000_000, topSlicedPence: 480000 });
  });
});
