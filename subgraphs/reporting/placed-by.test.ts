/**
 * `placedBy` and the PLACING_AUTHORITY dimension as requests: the default is this authority's
 * children (the request every report made before), and only a question about other
 * authorities' pupils extends the universe or adds a condition on whose they are.
 */
import { auditFilter, includesOtherAuthorities, toReportRequest } from './input';
import { constraintsFor } from './report';

const YEAR = { academicYear: '2025/26' };

describe('placedBy', () => {
  it('defaults to this authority’s children, with nothing added to the conditions or the audit', () => {
    const request = toReportRequest({ ...YEAR, schoolUrn: '100001' }, ['KEY_STAGE']);
    expect(request.placedBy).toBe('THIS_AUTHORITY');
    expect(includesOtherAuthorities(request)).toBe(false);
    expect(constraintsFor(request)).toEqual([['SCHOOL', '100001']]);
    expect(auditFilter(request)).toEqual({
      basis: 'LOOKED_AFTER_AT_DATE',
      academicYear: '2025/26',
      schoolUrn: '100001',
      breakdown: ['KEY_STAGE'],
    });
  });

  it('conditions on other authorities’ pupils, or on none for ANY, and says so in the audit', () => {
    const others = toReportRequest({ ...YEAR, placedBy: 'OTHER_AUTHORITIES' }, []);
    expect(includesOtherAuthorities(others)).toBe(true);
    expect(constraintsFor(others)).toEqual([['PLACING_AUTHORITY', 'OTHERS']]);
    expect(auditFilter(others)).toMatchObject({ placedBy: 'OTHER_AUTHORITIES' });
    const any = toReportRequest({ ...YEAR, placedBy: 'ANY' }, []);
    expect(constraintsFor(any)).toEqual([]);
  });

  it('takes a breakdown by placing authority to be about both groups unless the filter says', () => {
    const both = toReportRequest(YEAR, ['PLACING_AUTHORITY']);
    expect(both.placedBy).toBe('ANY');
    expect(constraintsFor(both)).toEqual([]);
    const ours = toReportRequest({ ...YEAR, placedBy: 'THIS_AUTHORITY' }, ['PLACING_AUTHORITY']);
    expect(includesOtherAuthorities(ours)).toBe(true);
    expect(constraintsFor(ours)).toEqual([['PLACING_AUTHORITY', 'OURS']]);
  });
});
