import { isOfPepAge, pepTimeliness } from './pep';

const AS_OF = '2025-11-14';

describe('PEP timeliness', () => {
  it('is in date within the current term or the previous 20 school days, overdue before', () => {
    // 20 school days before 14 Nov 2025 (half-term in between) is 10 Oct 2025.
    expect(pepTimeliness(true, true, '2025-09-01', AS_OF)).toBe('IN_DATE');
    expect(pepTimeliness(true, true, '2025-08-31', AS_OF)).toBe('OVERDUE');
    // Early in a term the 20 school days reach back over the summer holiday.
    expect(pepTimeliness(true, true, '2025-07-03', '2025-09-10')).toBe('IN_DATE');
    expect(pepTimeliness(true, true, '2025-07-02', '2025-09-10')).toBe('OVERDUE');
    expect(pepTimeliness(true, true, null, AS_OF)).toBe('NONE');
    expect(pepTimeliness(false, true, '2025-10-01', AS_OF)).toBe('NOT_REQUIRED');
    expect(pepTimeliness(true, false, null, AS_OF)).toBe('NOT_REQUIRED');
  });

  it('is required from the third birthday to the end of Year 13', () => {
    expect(isOfPepAge('2022-11-14', AS_OF)).toBe(true);
    expect(isOfPepAge('2022-11-15', AS_OF)).toBe(false);
    // Year 13 this year (17 on the 31 August before it began), though now 18.
    expect(isOfPepAge('2007-09-01', AS_OF)).toBe(true);
    expect(isOfPepAge('2007-08-31', AS_OF)).toBe(false);
  });
});
