import { approvedAmount, parseDecisionInput, parsePaymentInput, parseRequestInput } from './input';

const UUID = '6f1d2c3b-8a4e-4b7a-9c1d-2e3f4a5b6c7d';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('parseRequestInput', () => {
  it('trims and keeps a good request', () => {
    expect(
      parseRequestInput({
        childId: 1000001,
        pepTargetId: ' PEP0000001-T1 ',
        amountPence: 2500,
        rationale: '  Tutor ',
        requestId: UUID.toUpperCase(),
      }),
    ).toEqual({
      childId: '1000001',
      pepTargetId: 'PEP0000001-T1',
      amountPence: 2500,
      rationale: 'Tutor',
      requestId: UUID,
    });
  });

  it('names every bad field, never the value sent', () => {
    const message = messageOf(() =>
      parseRequestInput({
        childId: 'Ava Smith',
        pepTargetId: '',
        amountPence: 1.5,
        rationale: 'x'.repeat(2001),
        requestId: 'not-a-uuid',
      }),
    );
    for (const field of ['childId', 'pepTargetId', 'amountPence', 'rationale', 'requestId']) {
      expect(message).toContain(`\`${field}\``);
    }
    expect(message).not.toContain('Ava Smith');
  });
});

describe('parseDecisionInput and approvedAmount', () => {
  const decision = (overrides: Record<string, unknown>) =>
    parseDecisionInput({ id: UUID, decision: 'APPROVE', reason: 'Yes', ...overrides });

  it('approves the amount asked, part-approves less, declines nothing', () => {
    expect(approvedAmount(decision({}), 5000)).toBe(5000);
    expect(approvedAmount(decision({ approvedPence: 5000 }), 5000)).toBe(5000);
    expect(approvedAmount(decision({ decision: 'PART_APPROVE', approvedPence: 4000 }), 5000)).toBe(
      4000,
    );
    expect(approvedAmount(decision({ decision: 'DECLINE' }), 5000)).toBeNull();
  });

  it('refuses a part-approval of everything or more, and an approval of another amount', () => {
    expect(
      messageOf(() =>
        approvedAmount(decision({ decision: 'PART_APPROVE', approvedPence: 5000 }), 5000),
      ),
    ).toMatch(/less than the amount asked/);
    expect(messageOf(() => approvedAmount(decision({ approvedPence: 4000 }), 5000))).toMatch(
      /PART_APPROVE/,
    );
  });

  it('names every bad field', () => {
    const message = messageOf(() =>
      parseDecisionInput({ id: 'x', decision: 'PART_APPROVE', reason: ' ' }),
    );
    for (const field of ['id', 'approvedPence', 'reason'])
      expect(message).toContain(`\`${field}\``);
    expect(messageOf(() => decision({ decision: 'DECLINE', approvedPence: 1 }))).toContain(
      '`approvedPence`',
    );
    expect(messageOf(() => decision({ decision: 'MAYBE' }))).toContain('`decision`');
  });
});

describe('parsePaymentInput', () => {
  const good = {
    id: UUID,
    paidOn: '2026-02-10',
    amountPence: 1000,
    item: 'Tutor',
    paymentRef: 'INV-1',
  };

  it('keeps a good payment', () => {
    expect(parsePaymentInput(good, '2026-02-10')).toEqual(good);
  });

  it('names every bad field: a date after today or not a date, no amount, no item, a ref with spaces', () => {
    const message = messageOf(() =>
      parsePaymentInput(
        { id: '1', paidOn: '2026-02-11', amountPence: 0, item: '', paymentRef: 'a b' },
        '2026-02-10',
      ),
    );
    for (const field of ['id', 'paidOn', 'amountPence', 'item', 'paymentRef']) {
      expect(message).toContain(`\`${field}\``);
    }
    expect(
      messageOf(() => parsePaymentInput({ ...good, paidOn: '2026-02-30' }, '2026-03-01')),
    ).toContain('`paidOn`');
  });
});
