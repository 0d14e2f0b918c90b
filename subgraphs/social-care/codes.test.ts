/** The shared code lists and money formatting this subgraph relies on. */
import { localAuthority, localAuthorityName } from '../../domain/codes/local-authorities';
import {
  LEGAL_STATUS,
  PLACEMENT_TYPE,
  REASON_EPISODE_CEASED,
  codedValue,
  delegatedAuthorityLabel,
  isKnownCode,
  labelFor,
} from '../../domain/codes/ssda903';
import { formatPence, money } from '../../domain/money';

describe('SSDA903 code lists', () => {
  it('label known codes, and unknown ones without throwing', () => {
    expect(codedValue(LEGAL_STATUS, 'C2')).toEqual({ code: 'C2', label: 'Full care order' });
    expect(labelFor(LEGAL_STATUS, 'XX')).toBe('Unknown code (XX)');
    expect(labelFor(LEGAL_STATUS, 'constructor')).toBe('Unknown code (constructor)');
    expect(isKnownCode(LEGAL_STATUS, 'hasOwnProperty')).toBe(false);
  });

  it('hold the 2025-26 placement types and the historic H5, P2 and Z1', () => {
    for (const code of ['A3', 'K3', 'T0', 'U6', 'Z11', 'Z14', 'H5', 'P2', 'Z1']) {
      expect(isKnownCode(PLACEMENT_TYPE, code)).toBe(true);
    }
    expect(isKnownCode(PLACEMENT_TYPE, 'R4')).toBe(false);
  });

  it('hold every reason an episode ceases', () => {
    for (const code of [
      'E11',
      'E17',
      'E2',
      'E3',
      'E4A',
      'E4B',
      'E41',
      'E45',
      'E48',
      'E5',
      'E9',
      'X1',
    ]) {
      expect(isKnownCode(REASON_EPISODE_CEASED, code)).toBe(true);
    }
  });

  it('word delegated authority, unknown items from the code itself', () => {
    expect(delegatedAuthorityLabel('SCHOOL_TRIPS')).toBe('School trips and activities');
    expect(delegatedAuthorityLabel('CHESS-CLUB')).toBe('Chess club');
    expect(delegatedAuthorityLabel('  ')).toBe('Unknown code (  )');
  });
});

describe('local authorities', () => {
  it('name the neighbours and give unknown codes a neutral name', () => {
    expect(localAuthority('359')).toEqual({ code: '359', name: 'Wigan' });
    expect(localAuthorityName('341')).toBe('Liverpool');
    expect(localAuthorityName('123')).toBe('Local authority 123');
  });
});

describe('money', () => {
  it('formats pence as pounds with separators', () => {
    expect(money(263000)).toEqual({ pence: 263000, formatted: '£2,630.00' });
    expect(formatPence(0)).toBe('£0.00');
    expect(formatPence(5)).toBe('£0.05');
    expect(formatPence(123456789)).toBe('£1,234,567.89');
    expect(formatPence(-1250)).toBe('-£12.50');
    expect(() => formatPence(1.5)).toThrow(RangeError);
  });
});
