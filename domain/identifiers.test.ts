import { isChildId, isLaCode, isUpn, isUrn } from './identifiers';

describe('identifiers', () => {
  it.each([
    [isChildId, '1000001', ['100000', '10000001', 'a000001', ' 1000001', 1000001]],
    [isUpn, 'A340200118001', ['UN1', 'a340200118001', 'A34020011800', 'A3402001180011']],
    [isUpn, 'Z35940011700A', ['Z35940011700a']],
    [isUrn, '100001', ['10000', '1000001', 'URN001']],
    [isLaCode, '340', ['34', '3400', 'KNO']],
  ] as const)('%p accepts %s and refuses the malformed', (check, good, bad) => {
    expect(check(good)).toBe(true);
    for (const value of bad) expect(check(value)).toBe(false);
  });
});
