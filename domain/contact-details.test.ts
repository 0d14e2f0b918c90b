import { isPlainText, isUkPhone, isWorkEmail } from './contact-details';

describe('isUkPhone', () => {
  it.each([
    '0151 496 0123',
    '01514960123',
    '+44 151 496 0123',
    '+44 (0)151 496 0123',
    '(0151) 496-0123',
    '020 7946 0000',
    '07700 900123',
    '01697 73123',
  ])('accepts %j', (phone) => {
    expect(isUkPhone(phone)).toBe(true);
  });

  it.each([
    '',
    '555 1234',
    '0151 496',
    '+1 212 555 0100',
    '00 44 151 496 0123',
    '0051 496 0123',
    '0151 496 0123 ext 2',
    '0151+496 0123',
    '=0151 496 0123',
    `0151 ${'1'.repeat(40)}`,
  ])('refuses %j', (phone) => {
    expect(isUkPhone(phone)).toBe(false);
  });
});

describe('isWorkEmail', () => {
  it.each(['p.shah@hollinvale.example', "o'neil+dt@school.sch.uk", 'A@B.CO'])(
    'accepts %j',
    (email) => {
      expect(isWorkEmail(email)).toBe(true);
    },
  );

  it.each([
    '',
    'p.shah@',
    '@school.sch.uk',
    'no at sign',
    'p shah@school.sch.uk',
    'p.shah@localhost',
    'p.shah@-school.sch.uk',
    `${'a'.repeat(250)}@b.co`,
  ])('refuses %j', (email) => {
    expect(isWorkEmail(email)).toBe(false);
  });
});

describe('isPlainText', () => {
  it('takes trimmed text of 1..max characters without control characters', () => {
    expect(isPlainText('  Ms  ', 2)).toBe(true);
    expect(isPlainText('   ', 10)).toBe(false);
    expect(isPlainText('abc', 2)).toBe(false);
    expect(isPlainText('Ro\u0000sa', 10)).toBe(false);
    expect(isPlainText('two\nlines', 20)).toBe(false);
    expect(isPlainText('Siân Ó Briain', 20)).toBe(true);
  });
});
