/**
 * A cohort report and the profiles of the same children agree on every measure a profile
 * shows: the virtual school head reads every child's profile through the gateway (PEP status,
 * education with its data source, Pupil Premium Plus) and the 2025/26 report of the seeded
 * authority, and the report's numerators and denominators are worked out again from the
 * profiles alone. One rule per measure, in one place (domain/), is what makes them agree; this
 * test is what shows it.
 */
import type { RunningSystem } from '../system/start-system';
import { TEST_AS_OF, clientFor, startTestSystem, type GraphQLResult } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

interface Profile {
  id: string;
  careStatus: { legalStatus: { code: string } } | null;
  pep: { status: string } | null;
  education: {
    enrolments: Array<{ entryDate: string; leavingDate: string | null; registration: string }>;
    attendance: {
      academicYear: string;
      possibleSessions: number;
      attendedSessions: number;
      persistentAbsence: boolean;
      severeAbsence: boolean;
    } | null;
    exclusions: Array<{ kind: string; startDate: string }> | null;
    sen: { status: string };
    attainment: {
      ks2Results: Array<{ academicYear: string | null; expectedStandardRwm: boolean }>;
      ks4Results: Array<{
        academicYear: string | null;
        attainment8: number | null;
        englishAndMaths4Plus: boolean;
        englishAndMaths5Plus: boolean;
      }>;
    };
    dataSource: { source: string; missing: string[] };
  } | null;
  pupilPremiumPlus: {
    allocated: { pence: number };
    spent: { pence: number };
    unspent: { pence: number } | null;
  } | null;
}

const PROFILES = /* GraphQL */ `
  query Profiles($after: String) {
    children(first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          careStatus {
            legalStatus {
              code
            }
          }
          pep {
            status
          }
          education {
            enrolments {
              entryDate
              leavingDate
              registration
            }
            attendance {
              academicYear
              possibleSessions
              attendedSessions
              persistentAbsence
              severeAbsence
            }
            exclusions {
              kind
              startDate
            }
            sen {
              status
            }
            attainment {
              ks2Results {
                academicYear
                expectedStandardRwm
              }
              ks4Results {
                academicYear
                attainment8
                englishAndMaths4Plus
                englishAndMaths5Plus
              }
            }
            dataSource {
              source
              missing
            }
          }
          pupilPremiumPlus(financialYear: "2025-26") {
            allocated {
              pence
            }
            spent {
              pence
            }
            unspent {
              pence
            }
          }
        }
      }
    }
  }
`;

interface Figure {
  status: string;
  numerator: number | null;
  denominator: number | null;
}

const REPORT = /* GraphQL */ `
  query Report {
    cohortReport(filter: { academicYear: "2025/26" }) {
      referenceDate
      total {
        children {
          status
          numerator
          denominator
        }
        measures {
          measure
          lookedAfter {
            status
            numerator
            denominator
          }
        }
      }
    }
  }
`;

const FROM = '2025-09-01';

interface ProfilePage {
  children: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: Profile }>;
  };
}

/** Every current child's profile, 50 a page. */
async function profiles(): Promise<Profile[]> {
  const ask = await clientFor(system, 'vsh');
  const all: Profile[] = [];
  let after: string | null = null;
  for (;;) {
    const page: GraphQLResult<ProfilePage> = await ask<ProfilePage>(PROFILES, {
      after,
    });
    expect(page.errors).toBeUndefined();
    all.push(...page.data!.children.edges.map((e) => e.node));
    if (!page.data!.children.pageInfo.hasNextPage) return all;
    after = page.data!.children.pageInfo.endCursor;
  }
}

/** The report's figures worked out from profiles only. */
function fromProfiles(children: readonly Profile[]): Record<string, [number, number]> {
  const f: Record<string, [number, number]> = {};
  const add = (key: string, numerator: number, denominator: number) => {
    const t = (f[key] ??= [0, 0]);
    t[0] += numerator;
    t[1] += denominator;
  };
  const inPeriod = (date: string) => date >= FROM && date <= TEST_AS_OF;
  for (const child of children) {
    // Short breaks (V3, V4) are not looked after for the report's cohort.
    if (['V3', 'V4'].includes(child.careStatus?.legalStatus.code ?? '')) continue;
    add('CHILDREN', 1, 1);
    if (child.pep && child.pep.status !== 'NOT_REQUIRED') {
      add('PEP_IN_DATE', ['CURRENT', 'DUE'].includes(child.pep.status) ? 1 : 0, 1);
    }
    const pp = child.pupilPremiumPlus;
    if (pp) {
      add('PUPIL_PREMIUM_PLUS_ALLOCATED', pp.allocated.pence, 1);
      add('PUPIL_PREMIUM_PLUS_SPENT', pp.spent.pence, 1);
      if (pp.unspent) add('PUPIL_PREMIUM_PLUS_UNSPENT', pp.unspent.pence, 1);
    }
    const education = child.education;
    if (!education) continue;
    const onRoll = education.enrolments.some(
      (e) =>
        e.registration !== 'DUAL_SUBSIDIARY' &&
        e.entryDate <= TEST_AS_OF &&
        (e.leavingDate === null || e.leavingDate >= FROM),
    );
    if (onRoll) {
      add('SEN_EHC_PLAN', education.sen.status === 'EHC_PLAN' ? 1 : 0, 1);
      add('SEN_SUPPORT', education.sen.status === 'SEN_SUPPORT' ? 1 : 0, 1);
      const a = education.attendance;
      if (a && a.academicYear === '2025/26' && a.possibleSessions > 0) {
        add('ATTENDANCE_RATE', a.attendedSessions, a.possibleSessions);
        add('PERSISTENT_ABSENCE', a.persistentAbsence ? 1 : 0, 1);
        add('SEVERE_ABSENCE', a.severeAbsence ? 1 : 0, 1);
      }
      if (education.exclusions !== null) {
        const suspensions = education.exclusions.filter(
          (x) => x.kind === 'SUSPENSION' && inPeriod(x.startDate),
        ).length;
        add('ONE_OR_MORE_SUSPENSIONS', suspensions > 0 ? 1 : 0, 1);
        add('SUSPENSION_RATE', suspensions, 1);
        const permanent = education.exclusions.some(
          (x) => x.kind === 'PERMANENT_EXCLUSION' && inPeriod(x.startDate),
        );
        add('PERMANENT_EXCLUSIONS', permanent ? 1 : 0, 1);
      } else {
        expect(education.dataSource.missing).toContain('EXCLUSIONS');
      }
    }
    const ks2 = education.attainment.ks2Results.filter((r) => r.academicYear === '2025/26').pop();
    if (ks2) add('KS2_RWM_EXPECTED', ks2.expectedStandardRwm ? 1 : 0, 1);
    const ks4 = education.attainment.ks4Results.filter((r) => r.academicYear === '2025/26').pop();
    if (ks4) {
      if (ks4.attainment8 !== null) add('KS4_ATTAINMENT_8', ks4.attainment8, 1);
      add('KS4_ENGLISH_MATHS_4_PLUS', ks4.englishAndMaths4Plus ? 1 : 0, 1);
      add('KS4_ENGLISH_MATHS_5_PLUS', ks4.englishAndMaths5Plus ? 1 : 0, 1);
    }
  }
  return f;
}

describe('a cohort report and the profiles of the same children', () => {
  it('agree on every measure a profile shows', async () => {
    const ask = await clientFor(system, 'vsh');
    const [children, result] = await Promise.all([
      profiles(),
      ask<{
        cohortReport: {
          referenceDate: string;
          total: {
            children: Figure;
            measures: Array<{ measure: string; lookedAfter: Figure }>;
          };
        };
      }>(REPORT),
    ]);
    expect(result.errors).toBeUndefined();
    const report = result.data!.cohortReport;
    expect(report.referenceDate).toBe(TEST_AS_OF);
    const expected = fromProfiles(children);
    const published: Record<string, Figure> = { CHILDREN: report.total.children };
    for (const m of report.total.measures) published[m.measure] = m.lookedAfter;

    const pounds = (key: string, pence: number) =>
      key.startsWith('PUPIL_PREMIUM_PLUS') ? Math.round(pence) / 100 : pence;
    const compared: string[] = [];
    for (const [key, [numerator, denominator]] of Object.entries(expected)) {
      const figure = published[key];
      expect(figure).toBeDefined();
      if (figure!.status !== 'VALUE' && figure!.status !== 'ROUNDS_TO_ZERO') {
        // Withheld only where disclosure control must: from fewer than 6 children, or 1 to 5.
        expect([key, figure!.status]).toEqual([key, 'SUPPRESSED']);
        continue;
      }
      expect({ key, numerator: figure!.numerator, denominator: figure!.denominator }).toEqual({
        key,
        numerator: Math.round(pounds(key, numerator) * 100) / 100,
        denominator,
      });
      compared.push(key);
    }
    expect(compared).toEqual(
      expect.arrayContaining([
        'CHILDREN',
        'ATTENDANCE_RATE',
        'PERSISTENT_ABSENCE',
        'ONE_OR_MORE_SUSPENSIONS',
        'SUSPENSION_RATE',
        'PEP_IN_DATE',
        'SEN_EHC_PLAN',
        'PUPIL_PREMIUM_PLUS_ALLOCATED',
        'PUPIL_PREMIUM_PLUS_UNSPENT',
      ]),
    );
  });
});
