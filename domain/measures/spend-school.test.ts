/** The school a PP+ spend line names, with and without the finance system's school names. */
import type { FinLedgerLine } from '../../upstream/finance/contract';
import { spendFrom } from './pupil-premium-plus';

const LINE: FinLedgerLine = {
  line_id: 'L1',
  client_ref: 'CLA/1000001',
  fy: '2025-26',
  posted_on: '2025-06-01',
  type: 'SPEND',
  urn: '100001',
  item: 'Tutoring',
  amount_pence: 10000,
  pep_target_id: null,
  cost_centre: 'VS-PPP',
};

describe('spendFrom: the school', () => {
  it('is the URN alone when the names were not asked for', () => {
    expect(spendFrom(LINE).school).toEqual({ urn: '100001' });
  });

  it('carries the name the finance system gives', () => {
    const line = { ...LINE, school_name: 'Brookfield Primary School' };
    expect(spendFrom(line).school).toEqual({ urn: '100001', name: 'Brookfield Primary School' });
  });

  it('is none for a school the finance system has no name for, or no school', () => {
    expect(spendFrom({ ...LINE, school_name: null }).school).toBeNull();
    expect(spendFrom({ ...LINE, urn: null, school_name: null }).school).toBeNull();
    expect(spendFrom({ ...LINE, urn: null }).school).toBeNull();
  });
});
