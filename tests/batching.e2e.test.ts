/**
 * Batching, measured where it matters: at the council systems. Listing children with their
 * education and funding must cost a small, constant number of upstream requests per system,
 * whatever the page size (not one per child). Counts come from the simulators' own counters.
 */
import type { RunningSystem } from '../system/start-system';
import {
  clientFor,
  resetUpstreamCounters,
  startTestSystem,
  upstreamCounts,
} from './support/system';

let system: RunningSystem;
let asVsh: Awaited<ReturnType<typeof clientFor>>;

const PAGE = /* GraphQL */ `
  query ($first: Int) {
    children(first: $first) {
      edges {
        node {
          id
          name {
            displayName
          }
          careStatus {
            legalStatus {
              code
            }
          }
          socialWorker {
            name
          }
          education {
            yearGroup
            currentSchool {
              name
              designatedTeacher {
                name
              }
            }
            enrolments {
              school {
                name
              }
            }
            attendance {
              ratePercent
            }
            exclusions {
              school {
                urn
              }
            }
          }
          pupilPremiumPlus {
            allocated {
              pence
            }
            spend {
              school {
                urn
              }
            }
          }
        }
      }
    }
  }
`;

beforeAll(async () => {
  system = await startTestSystem();
  asVsh = await clientFor(system, 'vsh');
});

afterAll(async () => {
  await system?.close();
});

async function measure(first: number) {
  await resetUpstreamCounters(system);
  const result = await asVsh<{ children: { edges: unknown[] } }>(PAGE, { first });
  expect(result.errors).toBeUndefined();
  expect(result.data?.children.edges).toHaveLength(first);
  return upstreamCounts(system);
}

describe('upstream requests for a page of children with education and funding', () => {
  it('costs the same small number of requests per system for 20 and for 200 children', async () => {
    const small = await measure(20);
    const large = await measure(200);
    expect(large.socialCare).toBe(small.socialCare);
    expect(large.finance).toBe(small.finance);
    expect(large.education).toBe(small.education);
    // Social care: the page, plus the scope facts education and finance each check.
    expect(large.socialCare).toBeLessThanOrEqual(4);
    // Education: one students batch, with the schools the pupils' records name and those
    // schools' designated teachers side-loaded (include=schools,designated_teachers).
    expect(large.education).toBe(1);
    // Finance: every child's allocations and ledger in one search.
    expect(large.finance).toBe(1);
  });
});
