/**
 * The alert pipeline's cost and delay (issue 13).
 *
 * 1. Upstream requests of the pipeline at 600 and 50,000 children (ALERT_BENCH_LARGE, default
 *    50000): the whole system in process (seed 1, as of 2026-02-10), the pipeline idle and
 *    driven by hand, the simulators' request counters read around each step:
 *    - an idle poll (no change upstream);
 *    - the morning registers: every pupil of ours on a roll in the LA's system gets an AM mark
 *      (5% unauthorised absences, the rest present, late) through the education system's
 *      write route, then polls read them all;
 *    - the daily sweep over every child.
 *    Requests per minute follow from the default poll (ALERT_POLL_MS, 60 s): an idle minute is
 *    one poll; the registers arrive within a few minutes each morning.
 * 2. End-to-end delay: a webhook receiver registered by a social worker, the pipeline's loops
 *    running (poll every 1 s, dispatcher every 100 ms); an absence is recorded upstream and the
 *    time until the receiver has the signed delivery is measured, 20 times.
 *
 * Writes `bench/results/alerts.json`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { loadAlertSettings } from '../events/config';
import { enrolmentsOpenOn } from '../domain/measures/school-roll';
import { createAlertPipeline } from '../events/pipeline';
import { loadWebhookConfig } from '../events/webhooks/config';
import { IDEMPOTENCY_KEY_HEADER } from '../events/webhooks/signature';
import { audiencesOf } from '../events/types';
import { loadScopeConfig } from '../lib/authz/subgraph-security';
import { readableCategories } from '../lib/authz/categories';
import { ANY_FREE_PORTS, startSystem, type RunningSystem } from '../system/start-system';
import { resetUpstreamCounters, totalsOf, upstreamStats } from '../system/system-client';
import { EducationClient } from '../upstream/education/client';
import { machine, out, quietLogs, round, runMain, summarise, table, writeResults } from './support';

const AS_OF = '2026-02-10';

interface Counts {
  socialCare: number;
  education: number;
  total: number;
}

async function counted(system: RunningSystem, step: () => Promise<unknown>): Promise<Counts> {
  await resetUpstreamCounters(system);
  await step();
  const totals = totalsOf(await upstreamStats(system));
  return { socialCare: totals.socialCare, education: totals.education, total: totals.total };
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function pupilsOnRoll(system: RunningSystem) {
  const ours = new Set(system.world.socialCare.children.map((c) => c.UPN));
  return system.world.education.students
    .filter((s) => ours.has(s.upn) && s.coverage.source === 'LA_FEED')
    .map((s) => ({ upn: s.upn, enrolment: enrolmentsOpenOn(s.enrolments, AS_OF)[0] }))
    .filter((p) => p.enrolment && p.enrolment.enrolment_status !== 'S');
}

async function costAt(children: number) {
  const t0 = performance.now();
  const system = await startSystem({
    seed: 1,
    children,
    asOf: AS_OF,
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    alerts: false,
    env: { ALERT_FEED_PAGE_SIZE: '500' },
  });
  const startedMs = performance.now() - t0;
  const education = EducationClient.fromConfig({
    baseUrl: system.urls.simulators.education,
    apiKey: system.simulatorKeys.education,
    timeoutMs: 30_000,
    deadlineMs: 60_000,
    retries: 0,
  });
  try {
    const worker = system.alerts.worker;
    const idle = await counted(system, () => worker.pollOnce());
    const pupils = pupilsOnRoll(system);
    const markStart = performance.now();
    await inPool(pupils, 16, async (pupil) => {
      const absent = Number(pupil.upn.slice(-3).replace(/\D/g, '0')) % 20 === 0;
      await education.recordSessionMark(pupil.upn, {
        date: AS_OF,
        session: 'AM',
        // The seed already holds today's marks: a present mark sent as L (late, present) is a change
        // the feed carries, as each register taken is in a real MIS feed.
        code: absent ? 'O' : 'L',
        urn: pupil.enrolment!.urn,
      });
    });
    const markMs = performance.now() - markStart;
    let events = 0;
    const pollStart = performance.now();
    const registers = await counted(system, async () => {
      // One poll reads up to 20 pages of 500; the rest the next minute's polls.
      for (;;) {
        const result = await worker.pollOnce();
        events += result.education?.events ?? 0;
        if ((result.education?.changes ?? 0) === 0) break;
      }
    });
    const pollMs = performance.now() - pollStart;
    let swept = 0;
    const sweepStart = performance.now();
    const sweep = await counted(system, async () => {
      swept = (await worker.sweepIfDue(new Date(`${AS_OF}T07:00:00Z`))) ?? 0;
    });
    const sweepMs = performance.now() - sweepStart;
    return {
      children,
      startedMs: round(startedMs),
      idlePoll: idle,
      registers: {
        marks: pupils.length,
        absences: events,
        requests: registers,
        pollMs: round(pollMs),
        recordMs: round(markMs),
      },
      sweep: { events: swept, requests: sweep, ms: round(sweepMs) },
    };
  } finally {
    education.close();
    await system.close();
  }
}

async function delay() {
  const system = await startSystem({
    seed: 1,
    children: 600,
    asOf: AS_OF,
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    alerts: false,
  });
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()] as string;
      if (!arrivals.has(key)) arrivals.set(key, performance.now());
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const env = {
    NODE_ENV: 'development',
    LA_CODE: system.world.la.code,
    SOCIAL_CARE_URL: system.urls.simulators.socialCare,
    SOCIAL_CARE_API_KEY: system.simulatorKeys.socialCare,
    EDUCATION_URL: system.urls.simulators.education,
    EDUCATION_API_KEY: system.simulatorKeys.education,
    ALERT_POLL_MS: '1000',
    WEBHOOK_POLL_MS: '100',
  };
  const pipeline = createAlertPipeline(
    {
      alerts: loadAlertSettings(env),
      webhooks: loadWebhookConfig(env),
      upstream: loadScopeConfig(env),
      asOf: AS_OF,
    },
    system.stores,
  );
  const education = EducationClient.fromConfig({
    baseUrl: system.urls.simulators.education,
    apiKey: system.simulatorKeys.education,
    timeoutMs: 5_000,
    deadlineMs: 10_000,
    retries: 0,
  });
  try {
    const head = {
      sub: 'BENCH-VSH',
      roles: ['virtual-school-head' as const],
      la: system.world.la.code,
      urns: [],
    };
    await system.stores.webhooks.createSubscription({
      ownerSub: head.sub,
      ownerRoles: head.roles,
      ownerLa: head.la,
      ownerUrns: [],
      audience: audiencesOf(head),
      categories: readableCategories({ ...head, clientId: null }),
      url,
      types: ['ABSENT_TODAY'],
      digest: false,
      description: 'bench',
    });
    // The first round sweeps the day (PEPs and the rest): let it finish before measuring.
    await pipeline.worker.sweepIfDue(new Date(`${AS_OF}T07:00:00Z`));
    pipeline.start();
    const pupils = pupilsOnRoll(system).slice(0, 20);
    const samples: number[] = [];
    for (const pupil of pupils) {
      const before = new Set(arrivals.keys());
      const t0 = performance.now();
      await education.recordSessionMark(pupil.upn, {
        date: AS_OF,
        session: 'PM',
        code: 'O',
        urn: pupil.enrolment!.urn,
      });
      const deadline = t0 + 10_000;
      for (;;) {
        const fresh = [...arrivals.entries()].find(([key]) => !before.has(key));
        if (fresh) {
          samples.push(fresh[1] - t0);
          break;
        }
        if (performance.now() > deadline) throw new Error('no delivery within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    return { pollMs: 1000, dispatcherPollMs: 100, deliveryMs: summarise(samples) };
  } finally {
    await pipeline.stop();
    education.close();
    server.closeAllConnections();
    server.close();
    await system.close();
  }
}

async function main(): Promise<void> {
  quietLogs();
  const large = Number(process.env.ALERT_BENCH_LARGE ?? 50_000);
  const sizes = [];
  for (const children of [600, large]) {
    out(`alert pipeline at ${children} children...`);
    sizes.push(await costAt(children));
  }
  out('end-to-end delay...');
  const e2e = await delay();
  const results = { machine: machine(), asOf: AS_OF, sizes, delay: e2e };
  const file = await writeResults('alerts', results);
  out(
    table(
      [
        'children',
        'idle poll',
        'registers: marks',
        'absences',
        'poll requests (sc/ed)',
        'sweep requests (sc/ed)',
        'sweep events',
        'sweep ms',
      ],
      sizes.map((s) => [
        s.children,
        s.idlePoll.total,
        s.registers.marks,
        s.registers.absences,
        `${s.registers.requests.total} (${s.registers.requests.socialCare}/${s.registers.requests.education})`,
        `${s.sweep.requests.total} (${s.sweep.requests.socialCare}/${s.sweep.requests.education})`,
        s.sweep.events,
        s.sweep.ms,
      ]),
    ),
  );
  out(
    `change upstream -> webhook delivered (poll 1 s, dispatcher 100 ms): median ${e2e.deliveryMs.median} ms, ` +
      `p95 ${e2e.deliveryMs.p95} ms, max ${e2e.deliveryMs.max} ms`,
  );
  out(`wrote ${file}`);
}

if (require.main === module) runMain(main, 900_000);
