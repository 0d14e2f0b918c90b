/**
 * The system under attack, reached only over HTTP as a client would: the whole system started
 * as the end-to-end tests start it (on a smaller world), tokens minted with the development
 * issuer's key for any claims, and the access log read back as this authority's auditor.
 */
import { mintPersonaToken } from '../../identity/dev-issuer/tokens';
import type { RunningSystem } from '../../system/start-system';
import { startTestSystem } from '../support/system';
import { WORLD_CHILDREN } from './config';
import type { Caller, NtkGrant } from './oracle';
import { Oracle } from './oracle';

export interface HttpAnswer {
  status: number;
  /** Parsed JSON when the body is JSON, else null. */
  json: unknown;
  text: string;
  requestId: string | null;
}

export interface Harness {
  system: RunningSystem;
  oracle: Oracle;
  gateway: string;
  base: string;
  tokenFor(caller: Caller): Promise<string>;
  graphql(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<HttpAnswer>;
  get(caller: Caller, path: string): Promise<HttpAnswer>;
  /** Events of the access log for one child (or UPN), as this authority's auditor reads them. */
  auditEvents(filter: { childId?: string; upn?: string }, from: string): Promise<AuditEvent[]>;
}

export interface AuditEvent {
  requestId: string;
  childId: string | null;
  subjectUpn: string | null;
  categories: string[];
  actor: { sub: string; roles: string[]; la: string };
}

const tokens = new Map<string, string>();

export async function startHarness(): Promise<Harness> {
  const system = await startTestSystem({
    children: WORLD_CHILDREN,
    // Many callers share one sub (the auditor reading back the log): no rate limit in the way.
    gatewayEnv: { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_BURST: '1000000' },
  });
  // Alerts to attack: the daily sweep over the world (PEP deadlines, no school place, attendance
  // over recent weeks, schools without a designated teacher), routed by the product's rules.
  await system.alerts.worker.runOnce(new Date(`${system.world.asOf}T07:00:00Z`));
  const oracle = new Oracle(system.world);
  const gateway = system.urls.gateway;
  const base = gateway.replace(/\/graphql$/, '');

  const tokenFor = async (caller: Caller): Promise<string> => {
    const key = JSON.stringify(caller);
    const cached = tokens.get(key);
    if (cached) return cached;
    const token = await mintPersonaToken(
      system.devIssuer.key,
      {
        name: 'vsh',
        sub: caller.sub,
        displayName: 'Adversarial Caller',
        roles: caller.roles,
        la: caller.la,
        urns: caller.urns,
        description: 'generated',
      },
      { issuer: system.devIssuer.issuer, audience: system.devIssuer.audience },
    );
    tokens.set(key, token);
    return token;
  };

  const answer = async (response: Response): Promise<HttpAnswer> => {
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, json, text, requestId: response.headers.get('x-request-id') };
  };

  const graphql: Harness['graphql'] = async (caller, query, variables) =>
    answer(
      await fetch(gateway, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${await tokenFor(caller)}`,
        },
        body: JSON.stringify({ query, variables }),
      }),
    );

  const get: Harness['get'] = async (caller, path) =>
    answer(
      await fetch(`${base}${path}`, {
        headers: { Authorization: `Bearer ${await tokenFor(caller)}` },
      }),
    );

  const auditor: Caller = {
    sub: 'AU-ADVERSARIAL',
    roles: ['auditor'],
    la: oracle.homeLa,
    urns: [],
  };
  const auditEvents: Harness['auditEvents'] = async (filter, from) => {
    const result = await graphql(
      auditor,
      /* GraphQL */ `
        query AdversarialAuditReadBack($filter: AccessLogFilter) {
          accessLog(filter: $filter, first: 500) {
            edges {
              node {
                requestId
                childId
                subjectUpn
                categories
                actor {
                  sub
                  roles
                  la
                }
              }
            }
          }
        }
      `,
      { filter: { ...filter, from } },
    );
    const body = result.json as {
      data?: { accessLog?: { edges: Array<{ node: AuditEvent }> } } | null;
    } | null;
    const edges = body?.data?.accessLog?.edges;
    if (!edges)
      throw new Error(`audit read-back failed: ${result.status} ${result.text.slice(0, 300)}`);
    return edges.map((e) => e.node);
  };

  return { system, oracle, gateway, base, tokenFor, graphql, get, auditEvents };
}

/**
 * Need-to-know grants made through the graph, as each school's designated teacher (an
 * arbitrary-claims token: their staff id, their school's URN), so some teachers are named on
 * lists the seed did not make. Returns the grants that were made.
 */
export async function grantSomeNeedToKnow(h: Harness, howMany: number): Promise<NtkGrant[]> {
  const world = h.system.world;
  const made: NtkGrant[] = [];
  const dtBySchool = new Map(
    world.education.designatedTeachers
      .filter((d) => d.staff_id !== null)
      .map((d) => [d.urn, d.staff_id!]),
  );
  for (const child of h.oracle.children) {
    if (made.length >= howMany) break;
    if (!child.current || child.restricted || !child.censusLookedAfter) continue;
    const urn = child.rollUrns.find((u) => dtBySchool.has(u));
    if (!urn) continue;
    const teacher = world.education.staff.find(
      (s) =>
        s.urn === urn &&
        s.role === 'TEACHER' &&
        !world.needToKnow.some((g) => g.staffId === s.staff_id) &&
        !made.some((g) => g.staffId === s.staff_id),
    );
    if (!teacher) continue;
    const dt: Caller = {
      sub: dtBySchool.get(urn)!,
      roles: ['designated-teacher'],
      la: h.oracle.homeLa,
      urns: [urn],
    };
    const result = await h.graphql(
      dt,
      /* GraphQL */ `
        mutation AdversarialGrant($input: GrantNeedToKnowInput!) {
          grantNeedToKnow(input: $input) {
            changed
          }
        }
      `,
      {
        input: { childId: child.id, staffId: teacher.staff_id, reason: 'Adversarial suite setup' },
      },
    );
    const body = result.json as { data?: { grantNeedToKnow?: { changed: boolean } } } | null;
    if (body?.data?.grantNeedToKnow?.changed) {
      const grant = { childId: child.id, staffId: teacher.staff_id, urn };
      made.push(grant);
      h.oracle.addGrant(grant);
    }
  }
  return made;
}

/**
 * Need-to-know grants by UPN (issue 15) made through the graph, as each school's designated
 * teacher, for pupils other authorities look after on that school's roll: so some teachers
 * are named on those lists and the oracle checks what they then see. Returns the grants made.
 */
export async function grantSomeNeedToKnowByUpn(h: Harness, howMany: number): Promise<NtkGrant[]> {
  const world = h.system.world;
  const made: NtkGrant[] = [];
  const dtBySchool = new Map(
    world.education.designatedTeachers
      .filter((d) => d.staff_id !== null)
      .map((d) => [d.urn, d.staff_id!]),
  );
  for (const pupil of h.oracle.cola) {
    if (made.length >= howMany) break;
    const urn = pupil.rollUrns.find((u) => dtBySchool.has(u));
    if (!urn) continue;
    const teacher = world.education.staff.find(
      (s) =>
        s.urn === urn &&
        s.role === 'TEACHER' &&
        !world.needToKnow.some((g) => g.staffId === s.staff_id) &&
        !made.some((g) => g.staffId === s.staff_id),
    );
    if (!teacher) continue;
    const dt: Caller = {
      sub: dtBySchool.get(urn)!,
      roles: ['designated-teacher'],
      la: h.oracle.homeLa,
      urns: [urn],
    };
    const result = await h.graphql(
      dt,
      /* GraphQL */ `
        mutation AdversarialGrantByUpn($input: GrantNeedToKnowByUpnInput!) {
          grantNeedToKnowByUpn(input: $input) {
            changed
          }
        }
      `,
      { input: { upn: pupil.upn, staffId: teacher.staff_id, reason: 'Adversarial suite setup' } },
    );
    const body = result.json as { data?: { grantNeedToKnowByUpn?: { changed: boolean } } } | null;
    if (body?.data?.grantNeedToKnowByUpn?.changed) {
      const grant = { upn: pupil.upn, staffId: teacher.staff_id, urn };
      made.push(grant);
      h.oracle.addGrant(grant);
    }
  }
  return made;
}
