import type { Role } from '../../identity/caller';
import { caller } from '../../tests/support/identity';
import { spendSchoolsFor } from './funding-scope';

describe('spendSchoolsFor', () => {
  const urns = ['100001', '100002'];
  const limitFor = (roles: Role[]) => spendSchoolsFor(caller(roles, { urns }));

  it('limits a designated teacher to their own schools', () => {
    expect(limitFor(['designated-teacher'])).toEqual(urns);
    // Roles that read no funding at all do not widen it.
    expect(limitFor(['designated-teacher', 'teacher', 'governor'])).toEqual(urns);
  });

  it.each<Role>([
    'virtual-school-head',
    'virtual-school-officer',
    'social-worker',
    'finance-officer',
  ])('shows every line to a DT who is also a %s', (role) => {
    expect(limitFor(['designated-teacher', role])).toBeNull();
    expect(limitFor([role])).toBeNull();
  });

  it('counts only the roles whose scope holds the child (roles pair with their own scope)', () => {
    const dtAndWorker = caller(['designated-teacher', 'social-worker'], { urns });
    // A child on the DT's roll but not allocated to them as a social worker: own school only.
    expect(spendSchoolsFor(dtAndWorker, ['designated-teacher'])).toEqual(urns);
    // A child allocated to them: every line.
    expect(spendSchoolsFor(dtAndWorker, ['designated-teacher', 'social-worker'])).toBeNull();
    expect(spendSchoolsFor(dtAndWorker, [])).toEqual([]);
  });

  it('shows nothing to no caller, or to one with no role that reads funding', () => {
    expect(spendSchoolsFor(null)).toEqual([]);
    expect(limitFor(['teacher', 'governor'])).toEqual([]);
  });
});
