/**
 * Timing is a channel (`shared/spec/access.md`): for a caller, a child out of their scope, a
 * restricted child and an id no child has must do the same work before answering, so that
 * neither the answer nor how long it takes tells them apart.
 *
 * Starts the whole system in-process (seed 1, 600 children, as of 2026-02-10, in-memory
 * store, loopback on free ports) and, as the seeded designated teacher, asks through the
 * gateway about three children:
 *
 *   - out of scope: a current, unrestricted child of this authority not on roll at their school;
 *   - restricted: the restricted child on roll at their school (seed 1 has one);
 *   - non-existent: an id no child has (9999999);
 *
 * with (a) `child(id:) { id name { displayName } }` and (b) `grantNeedToKnow` naming a member of
 * staff at their school. Each class: 5 warm-ups, then 40 measured runs, in rounds that ask every
 * class once, rotating which goes first (so load changes hit all alike). The simulators'
 * counters are reset before each request and read after it, so each class's upstream requests
 * per system (and by route) are exact; wall time is one request, sent to read.
 *
 * Reports the medians, the ratio of each class's median to the fastest (target: all within
 * 1.1x), whether the answers were identical, and the upstream counts. Writes
 * `bench/results/timing-classes.json`.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SimulatorName } from '../simulators/start-all';
import { ANY_FREE_PORTS, startSystem, type RunningSystem } from '../system/start-system';
import {
  graphql,
  resetUpstreamCounters,
  sameTotals,
  SIMULATORS,
  totalsOf,
  upstreamStats,
  type UpstreamTotals,
} from '../system/system-client';
import {
  machine,
  out,
  quietLogs,
  round,
  runMain,
  summarise,
  table,
  writeResults,
  type Summary,
} from './support';

const SEED = 1;
const CHILDREN = 600;
const AS_OF = '2026-02-10';
const PERSONA = 'designated-teacher';
const WARM_UPS = 5;
const RUNS = 40;
const TARGET_RATIO = 1.1;
const NON_EXISTENT = '9999999';
/**
 * One caller sends every request here: the gateway's per-caller rate limit (300 a minute,
 * bursts of 100) would answer 429 part way through, so it is raised. Nothing else is changed.
 */
const GATEWAY_ENV = { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_BURST: '1000000' };

const CLASSES = ['outOfScope', 'restricted', 'nonExistent'] as const;
type ChildClass = (typeof CLASSES)[number];

const CHILD_QUERY = /* GraphQL */ `
  query TimingChild($id: ID!) {
    child(id: $id) {
      id
      name {
        displayName
      }
    }
  }
`;

const GRANT_MUTATION = /* GraphQL */ `
  mutation TimingGrant($input: GrantNeedToKnowInput!) {
    grantNeedToKnow(input: $input) {
      changed
      grant {
        urn
      }
    }
  }
`;

type Counts = UpstreamTotals;

interface Operation {
  name: string;
  description: string;
  variables: (childId: string) => Record<string, unknown>;
  query: string;
}

interface ClassResult {
  childClass: ChildClass;
  childId: string;
  wallMs: Summary;
  /** This class's median over the fastest class's median. */
  ratioToFastest: number;
  upstream: Counts;
  upstreamByRoute: Record<SimulatorName, Record<string, number>>;
  /** True when every measured run cost the same upstream requests. */
  upstreamStable: boolean;
  /** The answer (status, data, errors) of the first measured run. */
  answer: unknown;
}

interface OperationResult {
  operation: string;
  description: string;
  classes: ClassResult[];
  /** Slowest class median over fastest class median. */
  maxRatio: number;
  withinTarget: boolean;
  sameAnswer: boolean;
  sameUpstream: boolean;
}

/** The three children, from the seeded world (never from the code under test). */
function pickChildren(system: RunningSystem): Record<ChildClass, string> {
  const world = system.world;
  const dt = world.personas.find((p) => p.name === PERSONA);
  const urn = dt?.urns[0];
  if (!urn) throw new Error(`no ${PERSONA} persona with a school`);
  const roll = new Set(
    world.education.students
      .filter(
        (s) => s.looked_after && s.enrolments.some((e) => e.urn === urn && e.leaving_date === null),
      )
      .map((s) => s.upn),
  );
  const current = new Set(
    world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD),
  );
  const outOfScope = world.socialCare.children.find(
    (c) => current.has(c.CHILD) && !c.RESTRICTED && c.UPN !== null && !roll.has(c.UPN),
  );
  const restricted = world.socialCare.children.find(
    (c) => c.RESTRICTED && c.UPN !== null && roll.has(c.UPN),
  );
  if (!outOfScope || !restricted) throw new Error('the seeded world lacks a child of each class');
  if (world.socialCare.children.some((c) => c.CHILD === NON_EXISTENT)) {
    throw new Error(`${NON_EXISTENT} is a child in this world`);
  }
  return { outOfScope: outOfScope.CHILD, restricted: restricted.CHILD, nonExistent: NON_EXISTENT };
}

async function measure(
  system: RunningSystem,
  token: string,
  operation: Operation,
  children: Record<ChildClass, string>,
): Promise<OperationResult> {
  const wall: Record<ChildClass, number[]> = { outOfScope: [], restricted: [], nonExistent: [] };
  const perRun: Record<ChildClass, Counts[]> = { outOfScope: [], restricted: [], nonExistent: [] };
  const byRoute: Partial<Record<ChildClass, ClassResult['upstreamByRoute']>> = {};
  const answers: Partial<Record<ChildClass, unknown>> = {};

  for (let round = 0; round < WARM_UPS + RUNS; round += 1) {
    // Rotate which class goes first in each round.
    const order = CLASSES.map((_, i) => CLASSES[(i + round) % CLASSES.length]!);
    for (const childClass of order) {
      await resetUpstreamCounters(system);
      const t0 = performance.now();
      const result = await graphql(
        system.urls.gateway,
        token,
        operation.query,
        operation.variables(children[childClass]),
      );
      const elapsed = performance.now() - t0;
      const stats = await upstreamStats(system);
      if (round < WARM_UPS) continue;
      wall[childClass].push(elapsed);
      perRun[childClass].push(totalsOf(stats));
      byRoute[childClass] ??= Object.fromEntries(
        SIMULATORS.map((name) => [name, stats[name].byRoute]),
      ) as ClassResult['upstreamByRoute'];
      answers[childClass] ??= { status: result.status, data: result.data, errors: result.errors };
    }
  }

  const summaries = Object.fromEntries(
    CLASSES.map((childClass) => [childClass, summarise(wall[childClass])]),
  ) as Record<ChildClass, Summary>;
  const fastest = Math.min(...CLASSES.map((childClass) => summaries[childClass].median));
  const classes: ClassResult[] = CLASSES.map((childClass) => ({
    childClass,
    childId: children[childClass],
    wallMs: summaries[childClass],
    ratioToFastest: round(summaries[childClass].median / fastest, 3),
    upstream: perRun[childClass][0]!,
    upstreamByRoute: byRoute[childClass]!,
    upstreamStable: perRun[childClass].every((counts) =>
      sameTotals(counts, perRun[childClass][0]!),
    ),
    answer: answers[childClass],
  }));
  const maxRatio = Math.max(...classes.map((c) => c.ratioToFastest));
  const first = classes[0]!;
  return {
    operation: operation.name,
    description: operation.description,
    classes,
    maxRatio,
    withinTarget: maxRatio <= TARGET_RATIO,
    sameAnswer: classes.every((c) => JSON.stringify(c.answer) === JSON.stringify(first.answer)),
    sameUpstream: classes.every((c) => c.upstreamStable && sameTotals(c.upstream, first.upstream)),
  };
}

async function main(): Promise<void> {
  quietLogs();
  const started = performance.now();
  const system = await startSystem({
    seed: SEED,
    children: CHILDREN,
    asOf: AS_OF,
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    gatewayEnv: GATEWAY_ENV,
  });
  try {
    const startupMs = performance.now() - started;
    const token = await system.tokenFor(PERSONA);
    const children = pickChildren(system);
    // A member of staff at the designated teacher's school: the grant would be allowed for a
    // child in scope, so the only reason to refuse is the child.
    const staffId = system.world.personas.find((p) => p.name === 'teacher-ntk')?.sub;
    if (!staffId) throw new Error('no teacher-ntk persona');

    const operations: Operation[] = [
      {
        name: 'child(id:)',
        description: 'child(id: $id) { id name { displayName } }',
        query: CHILD_QUERY,
        variables: (id) => ({ id }),
      },
      {
        name: 'grantNeedToKnow',
        description: `grantNeedToKnow(input: { childId: $id, staffId: "${staffId}", reason }) { changed grant { urn } }`,
        query: GRANT_MUTATION,
        variables: (id) => ({
          input: { childId: id, staffId, reason: 'Agreed at the PEP meeting' },
        }),
      },
    ];

    const results: OperationResult[] = [];
    for (const operation of operations) {
      const result = await measure(system, token, operation, children);
      results.push(result);
      out(
        `  ${operation.name}: ${result.classes
          .map((c) => `${c.childClass} ${c.wallMs.median} ms`)
          .join(', ')}; max ratio ${result.maxRatio}`,
      );
    }

    const report = {
      bench: 'timing-classes',
      generatedAt: new Date().toISOString(),
      machine: machine(),
      world: { seed: SEED, children: CHILDREN, asOf: AS_OF },
      method: {
        persona: PERSONA,
        children,
        through: 'the gateway (HTTP, loopback), full system in one process',
        gatewayEnv: GATEWAY_ENV,
        warmUps: WARM_UPS,
        measuredRuns: RUNS,
        order: 'rounds of one request per class, rotating which class goes first',
        upstream: 'simulator request counters reset before each request and read after it',
        targetRatio: TARGET_RATIO,
      },
      startupMs: round(startupMs),
      operations: results,
    };
    const file = await writeResults('timing-classes', report);

    out();
    out(
      `Timing classes as ${PERSONA} (seed ${SEED}, ${CHILDREN} children, as of ${AS_OF}; ` +
        `${RUNS} runs per class after ${WARM_UPS} warm-ups; target: within ${TARGET_RATIO}x)`,
    );
    out();
    out(
      table(
        [
          'operation',
          'class',
          'child',
          'median ms',
          'p95 ms',
          '× fastest',
          'social care',
          'education',
          'finance',
          'stable',
        ],
        results.flatMap((r) =>
          r.classes.map((c) => [
            r.operation,
            c.childClass,
            c.childId,
            c.wallMs.median,
            c.wallMs.p95,
            c.ratioToFastest,
            c.upstream.socialCare,
            c.upstream.education,
            c.upstream.finance,
            c.upstreamStable ? 'yes' : 'NO',
          ]),
        ),
        3,
      ),
    );
    out();
    for (const r of results) {
      out(
        `  ${r.operation}: max ratio ${r.maxRatio} (${r.withinTarget ? 'within' : 'OVER'} ` +
          `${TARGET_RATIO}x); same answer: ${r.sameAnswer ? 'yes' : 'NO'}; same upstream ` +
          `requests: ${r.sameUpstream ? 'yes' : 'NO'}`,
      );
    }
    out();
    out(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    await system.close();
  }
}

if (require.main === module) runMain(main);
