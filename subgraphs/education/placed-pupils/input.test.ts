import { PublicError } from '../../../lib/errors';
import { parsePlacedPupilInput, type RawPlacedPupilInput } from './input';

const good: RawPlacedPupilInput = {
  urn: '100001',
  upn: 'z359400117005',
  legalStatus: ' c2 ',
  parentalResponsibility: ' Wigan Council ',
  delegatedAuthority: '  ',
  socialWorkerName: 'Dana Whitfield',
  socialWorkerEmail: null,
  socialWorkerPhone: '01632 960 123',
  lastPepDate: '2025-11-03',
  nextPepDate: '',
  placingAuthorityConsent: false,
};

const problemsOf = (raw: RawPlacedPupilInput): string => {
  try {
    parsePlacedPupilInput(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(PublicError);
    return (error as PublicError).message;
  }
  throw new Error('accepted');
};

describe('parsePlacedPupilInput', () => {
  it('trims, upper-cases codes and treats blanks as not given', () => {
    expect(parsePlacedPupilInput(good)).toEqual({
      urn: '100001',
      upn: 'Z359400117005',
      legalStatus: 'C2',
      parentalResponsibility: 'Wigan Council',
      delegatedAuthority: null,
      socialWorkerName: 'Dana Whitfield',
      socialWorkerEmail: null,
      socialWorkerPhone: '01632 960 123',
      lastPepDate: '2025-11-03',
      nextPepDate: null,
      placingAuthorityConsent: false,
    });
  });

  it('names every bad field in one error, never echoing a value', () => {
    const message = problemsOf({
      urn: 'x',
      upn: 'secret-upn',
      legalStatus: 'P1',
      parentalResponsibility: '',
      delegatedAuthority: 'x'.repeat(2001),
      socialWorkerName: '\u0007',
      socialWorkerEmail: 'nobody',
      socialWorkerPhone: '12',
      lastPepDate: '2025-02-29',
      nextPepDate: '2025/03/01',
      placingAuthorityConsent: 'yes',
    });
    for (const field of [
      'urn',
      'upn',
      'legalStatus',
      'parentalResponsibility',
      'delegatedAuthority',
      'socialWorkerName',
      'socialWorkerEmail',
      'socialWorkerPhone',
      'lastPepDate',
      'nextPepDate',
      'placingAuthorityConsent',
    ]) {
      expect(message).toContain(`\`${field}\``);
    }
    expect(message).not.toContain('secret-upn');
    expect(message).not.toContain('nobody');
  });

  it('wants a work contact, and the next PEP after the last', () => {
    expect(problemsOf({ ...good, socialWorkerPhone: null })).toContain('`socialWorkerEmail` or');
    expect(problemsOf({ ...good, nextPepDate: '2025-11-03' })).toBe(
      '`nextPepDate` must come after `lastPepDate`.',
    );
  });
});
