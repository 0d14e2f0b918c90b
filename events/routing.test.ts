import { READABLE_CATEGORIES } from '../lib/authz/categories';
import { ROLES } from '../identity/caller';
import { audienceForChild, audienceForSchool, RECIPIENT_ROLES, type RoutingFacts } from './routing';
import { audiencesOf, EVENT_TYPES } from './types';

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  la: '340',
  restricted: false,
  socialWorkerId: 'SW1',
  caseworkerId: 'VSO1',
  schoolUrns: ['100001'],
  ...over,
});

describe('who hears of an event about a child', () => {
  it.each(['EDU', 'PEP', 'CARE', 'PLACEMENT'] as const)(
    'a %s event reaches the head, the social worker, the officer and the DT of the school',
    (category) => {
      expect(audienceForChild(category, facts())).toEqual([
        'virtual-school-head@340',
        'social-worker:SW1',
        'virtual-school-officer:VSO1',
        'designated-teacher@100001',
      ]);
    },
  );

  it('a restricted child is heard of by the head and the allocated social worker only', () => {
    expect(audienceForChild('EDU', facts({ restricted: true }))).toEqual([
      'virtual-school-head@340',
      'social-worker:SW1',
    ]);
  });

  it('a child with no social worker, officer or school reaches the head alone', () => {
    expect(
      audienceForChild('PEP', facts({ socialWorkerId: null, caseworkerId: null, schoolUrns: [] })),
    ).toEqual(['virtual-school-head@340']);
  });

  it('a dual-registered child reaches the DT of each school, once each', () => {
    expect(
      audienceForChild('EDU', facts({ schoolUrns: ['100002', '100001', '100002'] })).filter((a) =>
        a.startsWith('designated-teacher'),
      ),
    ).toEqual(['designated-teacher@100001', 'designated-teacher@100002']);
  });

  it('an ADDRESS event (none exists today) would never reach an officer or a DT', () => {
    expect(audienceForChild('ADDRESS', facts())).toEqual([
      'virtual-school-head@340',
      'social-worker:SW1',
    ]);
  });

  it('no event type is of a category a recipient role cannot read', () => {
    for (const category of Object.values(EVENT_TYPES)) {
      for (const role of RECIPIENT_ROLES) expect(READABLE_CATEGORIES[role]).toContain(category);
    }
  });

  it('a teacher, governor, analyst, finance officer, placing authority or auditor is never an audience', () => {
    const others = ROLES.filter((role) => !(RECIPIENT_ROLES as readonly string[]).includes(role));
    for (const role of others) {
      expect(audiencesOf({ sub: 'X1', roles: [role], la: '340', urns: ['100001'] })).toEqual([]);
    }
  });

  it('a caller is named by each of their recipient roles', () => {
    expect(
      audiencesOf({
        sub: 'P1',
        roles: ['designated-teacher', 'social-worker', 'teacher'],
        la: '340',
        urns: ['100001', '100002'],
      }),
    ).toEqual(['designated-teacher@100001', 'designated-teacher@100002', 'social-worker:P1']);
  });

  it('an event about a school reaches the head and its link officer', () => {
    expect(audienceForSchool('340', ['VSO2'])).toEqual([
      'virtual-school-head@340',
      'virtual-school-officer:VSO2',
    ]);
  });
});
