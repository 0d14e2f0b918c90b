import type { Caller, Role } from '../../identity/caller';
import { CHANGEABLE, mayChange, rolesMayChange } from './changes';

const caller = (...roles: Role[]): Caller => ({
  sub: 'S1',
  roles,
  la: '340',
  urns: [],
  clientId: null,
});

describe('CHANGEABLE (access.md, "may change")', () => {
  it('grants exactly the column of access.md', () => {
    expect(CHANGEABLE).toEqual({
      'virtual-school-head': ['DT_REGISTER', 'PEP_STATUS', 'FUNDING_ALLOCATION', 'VS_DIRECTORY'],
      'virtual-school-officer': ['PEP'],
      'social-worker': [],
      'designated-teacher': ['NTK', 'DT_REGISTER', 'PLACED_PUPIL_INFORMATION'],
      teacher: [],
      governor: [],
      analyst: [],
      'finance-officer': ['FUNDING_TRANSACTION'],
      'placing-authority': [],
      auditor: [],
    });
  });

  it('answers for any of the caller’s roles, and nothing for no caller', () => {
    expect(mayChange(caller('virtual-school-officer'), 'PEP')).toBe(true);
    expect(mayChange(caller('virtual-school-head'), 'PEP')).toBe(false);
    expect(mayChange(caller('virtual-school-head'), 'PEP', 'PEP_STATUS')).toBe(true);
    expect(mayChange(caller('teacher', 'designated-teacher'), 'PEP', 'PEP_STATUS')).toBe(false);
    expect(mayChange(null, 'PEP')).toBe(false);
  });

  it('pairs roles with their own scope: only the roles holding the child count', () => {
    // A designated teacher who is also an officer, for a child on roll but not on the caseload.
    expect(rolesMayChange(['designated-teacher'], 'PEP')).toBe(false);
    expect(rolesMayChange(['designated-teacher', 'virtual-school-officer'], 'PEP')).toBe(true);
    expect(rolesMayChange([], 'PEP', 'PEP_STATUS')).toBe(false);
  });
});
