import { financialYearOf, isFinancialYear } from '../../domain/financial-year';
import { isChildId } from './mapping';

describe('isChildId', () => {
  it.each(['1000001', '1234567'])('accepts %s', (id) => expect(isChildId(id)).toBe(true));
  it.each(['', '123456', '12345678', 'CLA/1234567', '12345a7', ' 1234567', 1234567, null])(
    'rejects %p',
    (id) => expect(isChildId(id)).toBe(false),
  );
});

describe('financial years', () => {
  it.each([
    ['2025-04-01', '2025-26'],
    ['2026-03-31', '2025-26'],
    ['2025-11-14', '2025-26'],
    ['2026-01-01', '2025-26'],
    ['2099-12-31', '2099-00'],
  ])('%s falls in %s', (date, year) => expect(financialYearOf(date)).toBe(year));

  it.each(['2025-26', '1999-00', '2099-00'])('accepts %s', (value) =>
    expect(isFinancialYear(value)).toBe(true),
  );
  it.each(['2025-27', '2025-2026', '2025/26', '25-26', '2025-25', '', ' 2025-26'])(
    'rejects %p',
    (value) => expect(isFinancialYear(value)).toBe(false),
  );
});
