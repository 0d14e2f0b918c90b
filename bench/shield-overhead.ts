/**
 * What graphql-shield costs the social care subgraph on a page of children.
 *
 * One seeded world (seed 1, 50,000 children, as of 2026-02-10) served by the real
 * simulators, and the social care subgraph built five ways against the same simulators, each
 * by the production factory, `createSocialCareSubgraph` (same client, loaders, scope, context
 * and resolvers), differing only in its `permissions` option:
 *
 *   - permissions: none given, so its own (graphql-shield, and any middleware applied with
 *     it, such as audit recording), as shipped;
 *   - shield: `applyPermissions(socialCarePermissions)`, graphql-shield alone;
 *   - none: `(schema) => schema`, no middleware at all;
 *   - asyncRules: `socialCarePermissions.asyncRules`, the same rules on the ruled fields only,
 *     each with graphql-shield's own async middleware (how the shield was applied before our
 *     synchronous rules were evaluated without promises: lib/authz/synchronous-rules.ts);
 *   - everyField: `socialCarePermissions.everyField`, the same rules applied by graphql-shield's
 *     own generator, which wraps every field of every type (how the shield was applied before
 *     only ruled fields were wrapped: lib/authz/rule-coverage.ts), for before and after in one run.
 *
 * Each is called directly over loopback HTTP with a token signed as the gateway signs it
 * (caller: virtual-school-head, who reads every category, so all of them answer the same data;
 * the bench checks that, and that only `none` lets a finance officer read a placement). For
 * `first` = 500 (the page the question is about), and 100 to show how it scales:
 * 3 warm-ups each, then 20 measured rounds; each round calls every variant, rotating which
 * goes first. Wall time is per request, client side (send to body read). Tokens are minted
 * before the timer starts.
 *
 * Writes `bench/results/shield-overhead.json`.
 */
import { memoryPepHistory } from '../tests/support/pep-history';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import type { Role } from '../identity/caller';
import { applyPermissions } from '../lib/authz/rules';
import { listen, type RunningServer } from '../lib/http/http-server';
import type { SimulatorStats } from '../simulators/contracts/common';
import { generateWorld } from '../simulators/seed/generate';
import { startSimulators, type SimulatorName } from '../simulators/start-all';
import { bindToBody, caller, createTestIdentity } from '../system/direct-identity';
import type { PermissionLayer } from '../subgraphs/descriptor';
import { loadSocialCareConfig } from '../subgraphs/social-care/config';
import { socialCarePermissions } from '../subgraphs/social-care/permissions';
import { createSocialCareSubgraph } from '../subgraphs/social-care/subgraph';
import {
  machine,
  out,
  quietLogs,
  round,
  runMain,
  summarise,
  table,
  trackGc,
  writeResults,
  type Summary,
} from './support';

const SEED = 1;
/** The world's size; `SHIELD_BENCH_CHILDREN` overrides it (e.g. 5000, to see the effect of a smaller heap). */
const CHILDREN = Number(process.env.SHIELD_BENCH_CHILDREN ?? 50_000);
if (!Number.isInteger(CHILDREN) || CHILDREN < 500 || CHILDREN > 50_000) {
  throw new Error('SHIELD_BENCH_CHILDREN must be a whole number from 500 to 50000');
}
const AS_OF = '2026-02-10';
/** 250 was dropped with the `everyField` variant, to keep the bench inside its 3 minutes on 2 shared cores. */
const PAGE_SIZES = [100, 500];
const WARM_UPS = 3;
const RUNS = 20;
const ROLE: Role = 'virtual-school-head';
const AUDIENCE = 'social-care';

const QUERY = `query ShieldBench($first: Int!) {
  children(first: $first) {
    edges {
      node {
        id
        name { displayName }
        upn
        dateOfBirth
        age
        gender
        careStatus { legalStatus { code label } }
        placement { type { code } }
        pep { status }
      }
    }
  }
}`;

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; path?: unknown[] }> };
  ms: number;
  from: number;
  to: number;
}

async function post(url: string, token: string, variables: Record<string, unknown>, query = QUERY) {
  const requestBody = JSON.stringify({ query, variables });
  // Subgraphs take a token once, for the body it was signed over (system/direct-identity.ts).
  const bound = await bindToBody(token, requestBody);
  const t0 = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bound}` },
    body: requestBody,
  });
  const text = await response.text();
  const t1 = performance.now();
  const body = JSON.parse(text) as Answer['body'];
  return { status: response.status, body, ms: t1 - t0, from: t0, to: t1 } as Answer;
}

function expectClean(answer: Answer, label: string): void {
  if (answer.status !== 200 || answer.body.errors?.length || !answer.body.data) {
    const first = answer.body.errors?.[0];
    throw new Error(
      `${label}: ${answer.status}, ${answer.body.errors?.length ?? 0} error(s); first: ` +
        `${first?.message ?? 'none'} at ${JSON.stringify(first?.path ?? null)}`,
    );
  }
}

/** The builds of the social care subgraph compared. */
const VARIANTS = {
  permissions: 'production factory createSocialCareSubgraph: its own permissions, as shipped',
  shield:
    'the same factory, permissions: applyPermissions(socialCarePermissions), graphql-shield alone',
  none: 'the same factory, permissions: (schema) => schema, no middleware',
  asyncRules:
    'the same factory, permissions: socialCarePermissions.asyncRules, the same rules on the ' +
    'ruled fields only with graphql-shield’s own async middleware (as before synchronous ' +
    'rules were evaluated without promises)',
  everyField:
    'the same factory, permissions: socialCarePermissions.everyField, the same rules with ' +
    'graphql-shield wrapping every field (as before only ruled fields were wrapped)',
} as const;
type Variant = keyof typeof VARIANTS;
const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

interface VariantResult {
  wallMs: Summary;
  /** Garbage-collection pause inside each measured request (this process: client, subgraph and simulators). */
  gcMs: Summary;
  upstreamRequests: Record<SimulatorName, number>;
  /** Against `none`: median / median and p95 / p95. */
  ratioToNone: { median: number; p95: number };
  /** Median minus `none`'s median, in all and per child returned. */
  overheadMs: { median: number; perChild: number };
}

interface SizeResult {
  first: number;
  children: number;
  variants: Record<Variant, VariantResult>;
}

async function main(): Promise<void> {
  quietLogs();
  const gc = trackGc();
  const t0 = performance.now();
  const world = generateWorld({ seed: SEED, children: CHILDREN, asOf: AS_OF });
  const generateMs = performance.now() - t0;
  const keys = {
    socialCare: 'bench-social-care-key-0123456789',
    education: 'bench-education-key-0123456789',
    finance: 'bench-finance-key-0123456789',
  };
  const simulators = await startSimulators({ world, keys });
  const closers: Array<() => Promise<void>> = [() => simulators.close()];
  try {
    const config = loadSocialCareConfig({
      NODE_ENV: 'development',
      AS_OF,
      LA_CODE: world.la.code,
      LA_NAME: world.la.name,
      SOCIAL_CARE_URL: simulators.urls.socialCare,
      SOCIAL_CARE_API_KEY: keys.socialCare,
      EDUCATION_URL: simulators.urls.education,
      EDUCATION_API_KEY: keys.education,
    });
    const identity = await createTestIdentity();

    /** The production factory; `permissions` in place of its own when given. */
    const start = async (permissions?: PermissionLayer): Promise<string> => {
      const subgraph = await createSocialCareSubgraph(config, {
        ...identity.security(AUDIENCE),
        permissions,
        stores: { pepHistory: memoryPepHistory() },
      });
      const running: RunningServer = await listen(subgraph.app, 0);
      closers.push(async () => {
        await running.close(1_000);
        await subgraph.stop();
      });
      return `${running.url}/graphql`;
    };
    const urls: Record<Variant, string> = {
      permissions: await start(),
      shield: await start(applyPermissions(socialCarePermissions)),
      none: await start((schema) => schema),
      asyncRules: await start(applyPermissions(socialCarePermissions.asyncRules)),
      everyField: await start(applyPermissions(socialCarePermissions.everyField)),
    };
    const tokenAs = (roles: Role[]) => identity.tokenFor(caller(roles), AUDIENCE);

    const systems = ['socialCare', 'education', 'finance'] as const;
    const simulatorCall = (name: SimulatorName, method: string, route: string) =>
      fetch(`${simulators.urls[name]}${route}`, {
        method,
        headers: { Authorization: `Bearer ${keys[name]}` },
      });
    const stats = async () => {
      const entries = await Promise.all(
        systems.map(async (name) => {
          const response = await simulatorCall(name, 'GET', '/_sim/stats');
          return [name, ((await response.json()) as SimulatorStats).requests] as const;
        }),
      );
      return Object.fromEntries(entries) as Record<SimulatorName, number>;
    };
    const resetStats = () =>
      Promise.all(systems.map((name) => simulatorCall(name, 'POST', '/_sim/stats/reset')));

    // The variants must be what they say: a finance officer may not read a placement, and
    // only the shield says so.
    const placementQuery =
      '{ children(first: 1) { edges { node { id placement { type { code } } } } } }';
    for (const variant of VARIANT_NAMES) {
      const answer = await post(
        urls[variant],
        await tokenAs(['finance-officer']),
        {},
        placementQuery,
      );
      const code = (answer.body.errors?.[0] as { extensions?: { code?: string } } | undefined)
        ?.extensions?.code;
      const expected = variant === 'none' ? undefined : 'FORBIDDEN';
      if (code !== expected) {
        throw new Error(
          `variant ${variant}: a finance officer's placement gave ${code ?? 'no error'}, ` +
            `expected ${expected ?? 'no error'}`,
        );
      }
    }

    const results: SizeResult[] = [];
    for (const first of PAGE_SIZES) {
      const variables = { first };
      // One checked call each: the same data from every variant, and what it costs upstream.
      const upstream = {} as Record<Variant, Record<SimulatorName, number>>;
      const answers = {} as Record<Variant, Answer>;
      for (const variant of VARIANT_NAMES) {
        await resetStats();
        answers[variant] = await post(urls[variant], await tokenAs([ROLE]), variables);
        expectClean(answers[variant], `${variant}, first: ${first}`);
        upstream[variant] = await stats();
      }
      for (const variant of VARIANT_NAMES) {
        if (!isDeepStrictEqual(answers[variant].body.data, answers.none.body.data)) {
          throw new Error(`first: ${first}: ${variant} and none answered different data`);
        }
      }
      const children = (answers.none.body.data as { children: { edges: unknown[] } }).children.edges
        .length;

      for (let i = 0; i < WARM_UPS; i++) {
        for (const variant of VARIANT_NAMES) {
          await post(urls[variant], await tokenAs([ROLE]), variables);
        }
      }
      const samples: Record<Variant, number[]> = {
        permissions: [],
        shield: [],
        none: [],
        asyncRules: [],
        everyField: [],
      };
      const windows: Record<Variant, Array<[number, number]>> = {
        permissions: [],
        shield: [],
        none: [],
        asyncRules: [],
        everyField: [],
      };
      for (let i = 0; i < RUNS; i++) {
        // Rotate the order so no variant always goes first (or last) in a round.
        const order = VARIANT_NAMES.map((_, k) => VARIANT_NAMES[(i + k) % VARIANT_NAMES.length]!);
        for (const variant of order) {
          const token = await tokenAs([ROLE]);
          const answer = await post(urls[variant], token, variables);
          expectClean(answer, `${variant}, first: ${first}, run ${i + 1}`);
          samples[variant].push(answer.ms);
          windows[variant].push([answer.from, answer.to]);
        }
      }
      await gc.flush();
      const none = summarise(samples.none);
      const variants = Object.fromEntries(
        VARIANT_NAMES.map((variant) => {
          const wallMs = summarise(samples[variant]);
          const overhead = wallMs.median - none.median;
          const result: VariantResult = {
            wallMs,
            gcMs: summarise(windows[variant].map(([from, to]) => gc.between(from, to))),
            upstreamRequests: upstream[variant],
            ratioToNone: {
              median: round(wallMs.median / none.median, 3),
              p95: round(wallMs.p95 / none.p95, 3),
            },
            overheadMs: { median: round(overhead), perChild: round(overhead / children, 4) },
          };
          return [variant, result];
        }),
      ) as Record<Variant, VariantResult>;
      results.push({ first, children, variants });
      out(
        `  first: ${first}: ` +
          VARIANT_NAMES.map((v) => `${v} ${variants[v].wallMs.median} ms`).join(', ') +
          ` (medians)`,
      );
    }

    const report = {
      bench: 'shield-overhead',
      generatedAt: new Date().toISOString(),
      machine: machine(),
      world: { seed: SEED, children: CHILDREN, asOf: AS_OF, generateMs: round(generateMs) },
      method: {
        subgraph: 'social-care, called directly over loopback HTTP with a gateway-signed token',
        caller: ROLE,
        query: QUERY.replace(/\s+/g, ' ').trim(),
        variants: VARIANTS,
        warmUps: WARM_UPS,
        measuredRuns: RUNS,
        order: 'each round calls every variant, rotating which goes first',
        wallTime: 'client side, request sent to body read; p95 nearest-rank',
        gc: 'GC pause of the whole bench process inside each measured request (median)',
        checks: [
          'every variant answers identical data',
          'permissions and shield refuse a finance officer the placement (FORBIDDEN), none does not',
        ],
      },
      sizes: results,
    };
    const file = await writeResults('shield-overhead', report);

    out();
    out(
      `graphql-shield overhead, social care subgraph called directly, ${ROLE} ` +
        `(world of ${CHILDREN.toLocaleString('en-GB')}; ${RUNS} runs after ${WARM_UPS} warm-ups)`,
    );
    out();
    out(
      table(
        [
          'first',
          'variant',
          'median ms',
          'p95 ms',
          'x none (median)',
          'x none (p95)',
          '+ms',
          'ms/child',
          'gc ms',
          'upstream',
        ],
        results.flatMap((r) =>
          VARIANT_NAMES.map((variant) => {
            const v = r.variants[variant];
            return [
              String(r.first),
              variant,
              v.wallMs.median,
              v.wallMs.p95,
              v.ratioToNone.median,
              v.ratioToNone.p95,
              v.overheadMs.median,
              v.overheadMs.perChild,
              v.gcMs.median,
              Object.values(v.upstreamRequests).reduce((a, b) => a + b, 0),
            ];
          }),
        ),
        2,
      ),
    );
    out();
    for (const variant of VARIANT_NAMES) out(`  ${variant}: ${VARIANTS[variant]}`);
    out(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    gc.stop();
    for (const close of closers.reverse()) await close();
  }
}

if (require.main === module) runMain(main);
