import type { Role } from '../../identity/caller';
import { caller } from '../../tests/support/identity';
import { ChildScope, type ChildFacts, type ScopeSources } from './scope';

const HOME = '340';

/** A child we look after: allocated to SW1, on VSO1's caseload, on roll at 100001. */
const AVA: ChildFacts = {
  id: '1000001',
  upn: 'A340200118001',
  lookedAfterBy: HOME,
  restricted: false,
  socialWorkerId: 'SW1',
  caseworkerId: 'VSO1',
};
const RESTRICTED: ChildFacts = { ...AVA, id: '1000004', upn: 'A340200118004', restricted: true };
/** Another authority's pupil on roll at 100001. */
const COLA: ChildFacts = { ...AVA, id: null, upn: 'Z359400117005', lookedAfterBy: '359' };

function sources(calls: string[] = []): ScopeSources {
  return {
    rollUpns: async (urns) => {
      calls.push(`roll:${urns.join(',')}`);
      return new Set(urns.includes('100001') ? [AVA.upn!, RESTRICTED.upn!, COLA.upn!] : []);
    },
    needToKnowChildIds: async (staffId) => {
      calls.push(`ntk:${staffId}`);
      return new Set(staffId === 'T1' ? ['1000001'] : []);
    },
    // T1 is named on the COLA pupil's list (by UPN); T3's UPN grants name one of our children's
    // UPNs, which must not let them see that child (our children's lists are by child id).
    needToKnowUpns: async (staffId) => {
      calls.push(`ntk-upn:${staffId}`);
      if (staffId === 'T1') return new Set([COLA.upn!]);
      return new Set(staffId === 'T3' ? [AVA.upn!, COLA.upn!] : []);
    },
  };
}

const scopeOf = (roles: Role[], overrides = {}, calls: string[] = []) =>
  new ChildScope(caller(roles, overrides), HOME, sources(calls));

describe('ChildScope: roles pair with their own scope', () => {
  it('gives each role its categories only for the children in that role’s scope', async () => {
    // A finance officer who is also a teacher with no need-to-know grant: finance's scope
    // (every unrestricted child of ours) with finance's categories; the teacher adds nothing.
    const scope = scopeOf(['finance-officer', 'teacher'], { sub: 'T9', urns: ['100001'] });
    expect([...(await scope.readable(AVA))].sort()).toEqual(['FUNDING', 'ID_BASIC']);
    expect(await scope.includes(AVA)).toBe(true);
    expect(scope.mayRead({ childId: AVA.id! }, 'ID')).toBe(false);
    expect(scope.mayRead({ childId: AVA.id! }, 'CLASSROOM')).toBe(false);
    expect(scope.mayRead({ childId: AVA.id! }, 'FUNDING')).toBe(true);
  });

  it('adds a second role’s categories where its scope holds the child', async () => {
    const scope = scopeOf(['finance-officer', 'teacher'], { sub: 'T1', urns: ['100001'] });
    expect([...(await scope.readable(AVA))].sort()).toEqual([
      'CLASSROOM',
      'FUNDING',
      'ID',
      'ID_BASIC',
    ]);
  });

  it('never lends one role’s categories to another role’s scope', async () => {
    // A social worker (reads everything of their own allocation) who is also a finance officer
    // (every child, id and name only): a child allocated to someone else is finance's only.
    const scope = scopeOf(['social-worker', 'finance-officer'], { sub: 'SW2' });
    expect(await scope.includes(AVA, ['CARE'])).toBe(false);
    expect(await scope.includes(AVA)).toBe(true);
    expect(scope.mayRead({ childId: AVA.id! }, 'CARE')).toBe(false);
    const own = scopeOf(['social-worker', 'finance-officer'], { sub: 'SW1' });
    expect(await own.includes(AVA, ['CARE'])).toBe(true);
    expect(own.mayRead({ childId: AVA.id! }, 'ADDRESS')).toBe(true);
  });

  it('reads nothing of a child that was never admitted in this request', async () => {
    const scope = scopeOf(['virtual-school-head']);
    expect(scope.mayRead({ childId: AVA.id! }, 'ID_BASIC')).toBe(false);
    await scope.includes(AVA);
    expect(scope.mayRead({ childId: AVA.id! }, 'ADDRESS')).toBe(true);
    expect(scope.mayRead({ childId: '1000009' }, 'ID_BASIC')).toBe(false);
  });

  it('keys other authorities’ pupils by UPN', async () => {
    const scope = scopeOf(['designated-teacher'], { urns: ['100001'] });
    expect(await scope.includes(COLA)).toBe(true);
    expect(scope.mayRead({ upn: COLA.upn! }, 'EDU')).toBe(true);
    expect(scope.mayRead({ upn: COLA.upn! }, 'ADDRESS')).toBe(false);
  });
});

describe('ChildScope: per-role scope', () => {
  it.each<[Role, Record<string, unknown>, ChildFacts, boolean]>([
    ['virtual-school-head', {}, RESTRICTED, true],
    ['virtual-school-head', {}, COLA, false],
    ['virtual-school-officer', { sub: 'VSO1' }, AVA, true],
    ['virtual-school-officer', { sub: 'VSO2' }, AVA, false],
    ['virtual-school-officer', { sub: 'VSO1' }, RESTRICTED, false],
    ['social-worker', { sub: 'SW1' }, RESTRICTED, true],
    ['social-worker', { sub: 'SW2' }, AVA, false],
    ['designated-teacher', { urns: ['100001'] }, AVA, true],
    ['designated-teacher', { urns: ['100001'] }, RESTRICTED, false],
    ['designated-teacher', { urns: ['100002'] }, AVA, false],
    ['teacher', { sub: 'T1', urns: ['100001'] }, AVA, true],
    ['teacher', { sub: 'T2', urns: ['100001'] }, AVA, false],
    // Another authority's pupil, named on a need-to-know grant by UPN (issue 15).
    ['teacher', { sub: 'T1', urns: ['100001'] }, COLA, true],
    ['teacher', { sub: 'T2', urns: ['100001'] }, COLA, false],
    ['teacher', { sub: 'T1', urns: ['100002'] }, COLA, false],
    ['teacher', { sub: 'T1', urns: ['100001'], la: '359' }, COLA, false],
    ['teacher', { sub: 'T3', urns: ['100001'] }, AVA, false],
    ['teacher', { sub: 'T3', urns: ['100001'] }, { ...COLA, lookedAfterBy: HOME }, false],
    ['finance-officer', {}, AVA, true],
    ['finance-officer', {}, RESTRICTED, false],
    ['governor', { urns: ['100001'] }, AVA, false],
    ['analyst', {}, AVA, false],
    ['placing-authority', {}, AVA, false],
    ['auditor', {}, AVA, false],
  ])('%s %j sees the child: %s', async (role, overrides, facts, expected) => {
    expect(await scopeOf([role], overrides).includes(facts)).toBe(expected);
  });
});

describe('ChildScope: one timing class', () => {
  it('makes the same look-ups for a child in scope, out of scope, restricted or not there', async () => {
    const classes: Array<ChildFacts | null> = [
      AVA,
      { ...AVA, upn: 'A340200118999' },
      RESTRICTED,
      null,
    ];
    const made = [];
    for (const facts of classes) {
      const calls: string[] = [];
      await scopeOf(
        ['teacher', 'designated-teacher'],
        { sub: 'T1', urns: ['100001'] },
        calls,
      ).includes(facts);
      made.push(calls.sort());
    }
    expect(made).toEqual(classes.map(() => ['ntk-upn:T1', 'ntk:T1', 'roll:100001']));
  });
});
