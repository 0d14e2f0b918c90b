/**
 * The generative adversarial suite (issue 9): random callers (1 to 3 roles, this authority or
 * another, real and unknown staff ids, own and other schools' URNs, with and without
 * need-to-know grants) send random operations built from the schema through the real gateway
 * over HTTP, and an independent oracle (./oracle.ts, from the seeded world and access.md)
 * checks what comes back. A failure prints the shrunk caller and operation: the token's
 * claims, the query text and its variables.
 *
 * Fixed seed and few runs in `npm test`; `npm run test:adversarial:long` runs many more with a
 * random seed (ADVERSARIAL_RUNS, ADVERSARIAL_SEED=<n>|random).
 */
import fc from 'fast-check';
import { Checker, type PropertyClass } from './checks';
import { RUNS, SEED, TIME_LIMIT_MS, fcParameters } from './config';
import {
  alertsOpArb,
  callerArb,
  childOpArb,
  childrenOpArb,
  entryPointGroups,
  entryPointOpArb,
  ntkByUpnOpArb,
  ntkOpArb,
  ntkPupilsOpArb,
  poolsFrom,
  render,
  schoolOpArb,
  type Operation,
  type Pools,
} from './generators';
import {
  grantSomeNeedToKnow,
  grantSomeNeedToKnowByUpn,
  startHarness,
  type Harness,
} from './harness';
import type { Caller } from './oracle';

const JEST_TIMEOUT_MS = TIME_LIMIT_MS * 3 + 60_000;

let h: Harness;
let pools: Pools;

beforeAll(async () => {
  h = await startHarness();
  await grantSomeNeedToKnow(h, 4);
  // Some teachers named on other authorities' pupils' lists (by UPN), or nothing tests them.
  expect((await grantSomeNeedToKnowByUpn(h, 4)).length).toBeGreaterThan(0);
  pools = poolsFrom(h.system.world, h.oracle);
}, 120_000);

afterAll(async () => {
  await h?.system.close();
});

function explain(caller: Caller, op: Operation, messages: string[]): string {
  const { query, variables } = render(op);
  return [
    `policy violated (fast-check seed ${SEED}):`,
    ...messages.map((m) => `  - ${m}`),
    `token claims: ${JSON.stringify({ sub: caller.sub, roles: caller.roles, la: caller.la, urn: caller.urns })}`,
    `operation: ${query}`,
    `variables: ${JSON.stringify(variables)}`,
  ].join('\n');
}

async function holds(
  classes: PropertyClass[],
  ops: (p: Pools) => fc.Arbitrary<Operation>,
  runs?: number,
): Promise<number> {
  const checker = new Checker(h, new Set(classes));
  await fc.assert(
    fc.asyncProperty(callerArb(pools, h.oracle.homeLa), ops(pools), async (caller, op) => {
      const violations = await checker.run(caller, op);
      if (violations.length > 0)
        throw new Error(
          explain(
            caller,
            op,
            violations.map((v) => `[${v.property}] ${v.message}`),
          ),
        );
    }),
    fcParameters(runs),
  );
  return checker.recordsChecked;
}

const childReads = (p: Pools) =>
  fc.oneof(childOpArb(p), childrenOpArb(p), schoolOpArb(p, h.oracle), ntkPupilsOpArb());

describe('adversarial: every channel under the policy (access.md)', () => {
  /** `reads`: the runs must have checked some child records, or the property proved nothing. */
  const property = (
    name: string,
    classes: PropertyClass[],
    ops: (p: Pools) => fc.Arbitrary<Operation>,
    reads = false,
    /** Runs, as a multiple of ADVERSARIAL_RUNS (cheap properties that need more combinations). */
    factor = 1,
  ) =>
    it(
      name,
      async () => {
        const checked = await holds(classes, ops, RUNS * factor);
        if (reads) expect(checked).toBeGreaterThan(0);
      },
      JEST_TIMEOUT_MS,
    );

  property(
    "no child outside the caller's per-role scope appears in any form (id, name, UPN)",
    ['scope'],
    (p) =>
      fc.oneof(
        childOpArb(p),
        childrenOpArb(p),
        schoolOpArb(p, h.oracle),
        ntkOpArb(p),
        ntkByUpnOpArb(p, h.oracle),
        ntkPupilsOpArb(),
        entryPointOpArb(p, h.oracle),
        alertsOpArb(p),
      ),
    true,
  );
  property(
    'no value of a category the caller may not read for that child (roles paired with their own scope); a child in scope is there',
    ['categories', 'visible'],
    childReads,
    true,
    3,
  );
  property(
    'filters are reads: a filter never selects children by a category the caller may not read for them',
    ['filters'],
    (p) => childrenOpArb(p, 'always'),
    true,
  );
  property(
    'filters are reads: a filter on a category no effective role may read is refused (FORBIDDEN, no data)',
    ['filter-refusal'],
    (p) => childrenOpArb(p, 'always'),
  );
  property(
    'counts are reads: totalCount counts only children the caller could list with that filter',
    ['counts'],
    (p) => childrenOpArb(p),
    true,
  );
  property(
    'out of scope answers exactly as a child that does not exist (child(id:), need-to-know mutations by child id and by UPN)',
    ['existence'],
    (p) => fc.oneof(childOpArb(p), ntkOpArb(p), ntkByUpnOpArb(p, h.oracle)),
  );
  property(
    'every child-level read is in the access log with the categories used (returned and filtered on)',
    ['audit'],
    childReads,
    true,
  );
  property(
    "authority first at the access log: this authority's auditors and head only; the head not about other authorities' pupils (GraphQL and CSV)",
    ['entry-points'],
    (p) => entryPointGroups(p, h.oracle).accessLog,
  );
  property(
    'authority first at reports: analysts, the head, governors of their own school; published snapshots; no cell of 1 to 5 (GraphQL and exports)',
    ['entry-points'],
    (p) => entryPointGroups(p, h.oracle).reports,
  );
  property(
    'alerts reach only their recipients: about a child in scope of a role that reads its category; none for other roles',
    ['entry-points'],
    (p) => alertsOpArb(p),
    true,
    2,
  );
  property(
    "authority first at the register: its readers only; out-of-authority schools and history for the head (and the school's DT); updates by the head or the school's DT (GraphQL and exports)",
    ['entry-points'],
    (p) => entryPointGroups(p, h.oracle).register,
  );
});
