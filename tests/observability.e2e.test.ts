/**
 * Operating the service (issue 12, points 4 and 5), through the whole system in-process:
 *
 * - logs: a child's whole profile read as the Virtual School Head writes not one of the child's
 *   name, date of birth, UPN or address, and every line written while answering it carries the
 *   request's id (the one the caller sent, followed into the subgraphs);
 * - metrics: after a request, the gateway's metrics port serves every series the README's
 *   metrics table names (read from the README, so the documentation and the code cannot drift),
 *   and the public port serves no `/metrics`;
 * - readiness: a council system made to fail (the simulator's fault injection) shows as down,
 *   the others up, with breaker states and no URL.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { RunningSystem } from '../system/start-system';
import { readmeMetricNames } from './support/readme-metrics';
import { graphql, setFaults, startTestSystem } from './support/system';

const ROOT = path.resolve(__dirname, '..');
const PROFILE = readFileSync(path.join(ROOT, 'examples/child-profile.graphql'), 'utf8');
const PROFILE_VARIABLES = JSON.parse(
  readFileSync(path.join(ROOT, 'examples/child-profile.variables.json'), 'utf8'),
) as { id: string };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let system: RunningSystem;
let metricsPort: number;
let gatewayBase: string;

beforeAll(async () => {
  metricsPort = await freePort();
  system = await startTestSystem({ gatewayEnv: { METRICS_PORT: String(metricsPort) } });
  gatewayBase = system.urls.gateway.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await system?.close();
});

describe('logs', () => {
  const previousLevel = process.env.LOG_LEVEL;
  afterEach(() => {
    if (previousLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = previousLevel;
  });

  it("hold none of the child's personal data, and every line the request id", async () => {
    const child = system.world.socialCare.children.find((c) => c.CHILD === PROFILE_VARIABLES.id);
    const placement = system.world.socialCare.placements.find(
      (p) => p.CHILD === PROFILE_VARIABLES.id,
    );
    expect(child).toBeDefined();
    expect(placement).toBeDefined();
    const personal = {
      forename: child!.FORENAME,
      surname: child!.SURNAME,
      dateOfBirth: child!.DOB,
      upn: child!.UPN,
      addressLine1: placement!.ADDRESS_LINE1,
      postcode: placement!.POSTCODE,
    };

    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    process.env.LOG_LEVEL = 'debug';
    // A caller's own id is not taken: the gateway's id is the access log's (see request-context).
    const callersId = 'e2e-profile-read-0001';
    let result: Awaited<ReturnType<typeof graphql>>;
    try {
      result = await graphql(
        system.urls.gateway,
        await system.tokenFor('vsh'),
        PROFILE,
        PROFILE_VARIABLES,
        {
          'X-Request-Id': callersId,
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
      );
    } finally {
      spy.mockRestore();
    }

    // The data really went through: the response holds what the logs must not.
    expect(result.status).toBe(200);
    const answer = JSON.stringify(result.data);
    expect(answer).toContain(personal.surname);
    expect(answer).toContain(personal.dateOfBirth);
    expect(answer).toContain(personal.upn);
    const requestId = result.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId).not.toBe(callersId);

    const lines = written.join('').split('\n').filter(Boolean);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // The gateway, each subgraph and each council-system call wrote something.
    const completed = entries.find((entry) => entry.message === 'request completed');
    expect(completed).toMatchObject({ operation: 'ChildProfile', status: 200 });
    // The trace id: the active span's when tracing is on, else the caller's traceparent's.
    expect(completed?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(entries.filter((entry) => entry.message === 'subgraph request').length).toBeGreaterThan(
      1,
    );
    expect(entries.some((entry) => entry.message === 'upstream call')).toBe(true);
    for (const entry of entries) expect(entry.requestId).toBe(requestId);
    const everything = lines.join('\n');
    for (const [what, value] of Object.entries(personal)) {
      expect({ what, found: everything.includes(value) }).toEqual({ what, found: false });
    }
  });
});

describe('metrics', () => {
  it('serves every series the README names on the metrics port, after a request', async () => {
    const result = await graphql(
      system.urls.gateway,
      await system.tokenFor('vsh'),
      PROFILE,
      PROFILE_VARIABLES,
    );
    expect(result.status).toBe(200);
    const names = readmeMetricNames();
    expect(names.length).toBeGreaterThanOrEqual(10);

    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    const exposition = await response.text();
    const missing = names.filter((name) => !exposition.includes(`# TYPE ${name} `));
    expect(missing).toEqual([]);
    // The request itself was counted, under its operation name.
    expect(exposition).toMatch(
      /cla_graph_gateway_requests_total\{operation="ChildProfile"\} [1-9]/,
    );
    expect(exposition).toMatch(
      /cla_graph_subgraph_fetch_duration_seconds_count\{subgraph="social-care"\} [1-9]/,
    );
    expect(exposition).toMatch(
      /cla_graph_upstream_request_duration_seconds_count\{system="finance",method="[A-Z]+"\} [1-9]/,
    );
    // No personal data in any label: no child id, name, date or URL.
    const labels = [...exposition.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]).join('\n');
    expect(labels).toContain('operation="ChildProfile"');
    const child = system.world.socialCare.children.find((c) => c.CHILD === PROFILE_VARIABLES.id)!;
    for (const value of [child.CHILD, child.SURNAME, child.DOB, child.UPN, '127.0.0.1', 'http']) {
      expect({ value, inLabels: labels.includes(value) }).toEqual({ value, inLabels: false });
    }
  });

  it('are not served on the public port', async () => {
    const response = await fetch(`${gatewayBase}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('cla_graph_');
  });
});

type Readiness = {
  status: string;
  subgraphs: Record<string, { state: string }>;
  systems: Record<string, { state: string; breaker: string }>;
};

async function readiness(): Promise<{ status: number; body: Readiness; text: string }> {
  const response = await fetch(`${gatewayBase}/health/ready`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Readiness, text };
}

describe('readiness', () => {
  it('reports every subgraph and council system up while all are', async () => {
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(Object.keys(body.subgraphs).sort()).toEqual(Object.keys(system.urls.subgraphs).sort());
    expect(body.systems).toEqual({
      education: { state: 'up', breaker: 'closed' },
      finance: { state: 'up', breaker: 'closed' },
      'social care': { state: 'up', breaker: 'closed' },
    });
  });

  // Last: the finance clients' breakers may stay open for a while after it.
  it('shows a failing council system down and the others up, still serving', async () => {
    await setFaults(system, 'finance', { errorRate: 1 });
    try {
      const token = await system.tokenFor('vsh');
      let last: Awaited<ReturnType<typeof readiness>> | undefined;
      // Readiness is shared for 2 s; a few reads make the failures plain.
      for (let attempt = 0; attempt < 20; attempt += 1) {
        await graphql(system.urls.gateway, token, PROFILE, PROFILE_VARIABLES);
        last = await readiness();
        if (last.body.systems.finance?.state === 'down') break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(last!.body.systems.finance?.state).toBe('down');
      expect(last!.body.systems['social care']).toEqual({ state: 'up', breaker: 'closed' });
      expect(last!.body.systems.education).toEqual({ state: 'up', breaker: 'closed' });
      // It can still serve everything else: 200, degraded; every subgraph answers.
      expect(last!.status).toBe(200);
      expect(last!.body.status).toBe('degraded');
      for (const subgraph of Object.values(last!.body.subgraphs))
        expect(subgraph.state).not.toBe('down');
      expect(last!.text).not.toMatch(/127\.0\.0\.1|localhost|http:|\d{7}/);
    } finally {
      await setFaults(system, 'finance', { errorRate: 0 });
    }
  });
});
