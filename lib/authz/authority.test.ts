import { caller } from '../../tests/support/identity';
import { asSeenByThisAuthority } from './authority';

describe('asSeenByThisAuthority: authority first', () => {
  it('keeps this authority’s callers as they are', () => {
    const head = caller(['virtual-school-head'], { la: '340' });
    expect(asSeenByThisAuthority(head, '340')).toBe(head);
  });

  it('makes any other authority’s token a placing authority, whatever roles it claims', () => {
    const claimed = caller(['virtual-school-head', 'auditor', 'designated-teacher'], {
      la: '999',
      urns: ['100001'],
    });
    expect(asSeenByThisAuthority(claimed, '340')).toEqual({
      ...claimed,
      roles: ['placing-authority'],
      urns: [],
    });
  });

  it('gives another authority’s token with no role nothing', () => {
    expect(asSeenByThisAuthority(caller([], { la: '359' }), '340')?.roles).toEqual([]);
    expect(asSeenByThisAuthority(null, '340')).toBeNull();
  });
});
