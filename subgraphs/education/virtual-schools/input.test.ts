import { PublicError } from '../../../lib/errors';
import { parseVirtualSchoolInput } from './input';

const good = {
  laCode: '341',
  headName: '  Robin Calder ',
  email: 'virtual.school@liverpool.example.gov.uk',
  phone: '0151 496 0123',
  source: 'Confirmed by phone',
};

function problems(raw: Record<string, unknown>): string {
  try {
    parseVirtualSchoolInput(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(PublicError);
    expect((error as PublicError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('parseVirtualSchoolInput', () => {
  it('trims and accepts a good entry (a number for the code too)', () => {
    expect(parseVirtualSchoolInput(good)).toEqual({ ...good, headName: 'Robin Calder' });
    expect(parseVirtualSchoolInput({ ...good, laCode: 341 }).laCode).toBe('341');
  });

  it('names every bad field in one error, never echoing a value', () => {
    const message = problems({
      laCode: '3410',
      headName: '',
      email: 'secret@',
      phone: '999',
      source: 'x'.repeat(501),
    });
    for (const field of ['laCode', 'headName', 'email', 'phone', 'source']) {
      expect(message).toContain(`\`${field}\``);
    }
    expect(message).not.toContain('secret@');
  });

  it('names only the fields that are wrong', () => {
    const message = problems({ ...good, phone: 'call me' });
    expect(message).toContain('`phone`');
    expect(message).not.toContain('`email`');
  });

  it('treats missing fields as bad', () => {
    expect(problems({})).toMatch(/`laCode`.*`headName`.*`email`.*`phone`.*`source`/);
  });
});
