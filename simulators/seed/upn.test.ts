import { Rng } from './random';
import { isValidUpn, UpnAllocator, upnCheckLetter, UPN_CHECK_ALPHABET } from './upn';

describe('upnCheckLetter', () => {
  it('matches the DfE worked example', () => {
    // 8x2 + 1x4 + 2x5 + 1x10 + 1x13 = 53; 53 mod 23 = 7 -> 'H'
    expect(upnCheckLetter('801200001001')).toBe('H');
    expect(isValidUpn('H801200001001')).toBe(true);
  });

  it('weights positions 2 to 13 by their position, modulo 23', () => {
    expect(upnCheckLetter('000000000000')).toBe('A');
    expect(upnCheckLetter('100000000000')).toBe('C'); // 1x2 = 2
    expect(upnCheckLetter('000000000001')).toBe('P'); // 1x13 = 13
    expect(upnCheckLetter('999999999999')).toBe(UPN_CHECK_ALPHABET[(9 * 90) % 23]);
  });

  it('counts a temporary UPN final letter as its index in the alphabet', () => {
    // 'B' is 1: 1 x 13 = 13 -> 'P', the same as a final digit 1.
    expect(upnCheckLetter('00000000000B')).toBe('P');
  });

  it('rejects malformed bodies and UPNs', () => {
    expect(() => upnCheckLetter('80120000100')).toThrow(RangeError);
    expect(() => upnCheckLetter('8012000010I1')).toThrow(RangeError);
    expect(isValidUpn('A801200001001')).toBe(false);
    expect(isValidUpn('UN1')).toBe(false);
    expect(isValidUpn('h801200001001')).toBe(false);
  });

  it('never uses I, O or S as a check letter', () => {
    expect(UPN_CHECK_ALPHABET).toHaveLength(23);
    expect(UPN_CHECK_ALPHABET).not.toMatch(/[IOS]/);
  });
});

describe('UpnAllocator', () => {
  it('allocates unique, valid UPNs carrying the school and year', () => {
    const rng = new Rng(7);
    const upns = new UpnAllocator();
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const upn = upns.allocate(rng, '3402001', 2019);
      expect(isValidUpn(upn)).toBe(true);
      expect(seen.has(upn)).toBe(false);
      seen.add(upn);
    }
    const one = [...seen][0]!;
    expect(one.slice(1, 4)).toBe('340');
    expect(one.slice(8, 10)).toBe('19');
  });
});
