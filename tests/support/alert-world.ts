/**
 * Helpers for the alert tests: a child with everyone an alert should reach (allocated social
 * worker, Virtual School officer, a current school in the authority with a designated teacher),
 * tokens for any of them, the council systems' write clients (to make things happen upstream),
 * and a webhook receiver that verifies what it gets as a receiver would.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintPersonaToken } from '../../identity/dev-issuer/tokens';
import type { Persona } from '../../identity/personas';
import { enrolmentsOpenOn } from '../../domain/measures/school-roll';
import type { RunningSystem } from '../../system/start-system';
import type { ScChild } from '../../upstream/social-care/contract';
import type { StudentFull } from '../../simulators/seed/world';
import { graphql } from './system';

export interface AlertChild {
  child: ScChild;
  student: StudentFull;
  urn: string;
}

/**
 * Our current, unrestricted children with a social worker and an officer, on roll (single
 * registration) at one school of ours that has a designated teacher and feeds the LA's system.
 */
export function alertChildren(system: RunningSystem): AlertChild[] {
  const world = system.world;
  const students = new Map(world.education.students.map((s) => [s.upn, s]));
  const withDt = new Set(world.education.designatedTeachers.map((dt) => dt.urn));
  const current = new Set(
    world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD),
  );
  const out: AlertChild[] = [];
  for (const child of world.socialCare.children) {
    if (child.RESTRICTED || !child.SW_ID || !child.VS_CASEWORKER_ID || !current.has(child.CHILD))
      continue;
    const student = students.get(child.UPN);
    if (!student || student.coverage.source !== 'LA_FEED') continue;
    const enrolments = enrolmentsOpenOn(student.enrolments, world.asOf);
    if (enrolments.length !== 1 || !withDt.has(enrolments[0]!.urn)) continue;
    out.push({ child, student, urn: enrolments[0]!.urn });
  }
  return out;
}

/** A token for anyone: a role, a directory id, the authority, school URNs. */
export async function tokenAs(
  system: RunningSystem,
  who: { sub: string; roles: string[]; urns?: string[]; la?: string },
): Promise<string> {
  const persona: Persona = {
    name: 'vsh',
    sub: who.sub,
    displayName: 'Test caller',
    roles: who.roles,
    la: who.la ?? system.world.la.code,
    urns: who.urns ?? [],
    description: 'test',
  };
  return mintPersonaToken(system.devIssuer.key, persona, system.devIssuer);
}

export interface AlertNode {
  id: string;
  type: string;
  category: string;
  child: { id: string } | null;
  school: { urn: string } | null;
  facts: { name: string; value: string | null }[];
  acknowledgement: { by: string; at: string } | null;
}

export const ALERTS_QUERY = /* GraphQL */ `
  query Alerts($first: Int, $after: String, $filter: AlertFilter) {
    alerts(first: $first, after: $after, filter: $filter) {
      edges {
        node {
          id
          type
          category
          child {
            id
          }
          school {
            urn
          }
          facts {
            name
            value
          }
          acknowledgement {
            by
            at
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export async function alertsOf(
  system: RunningSystem,
  token: string,
  filter: Record<string, unknown> = {},
): Promise<{ alerts: AlertNode[]; errors: { extensions?: { code?: string }; message: string }[] }> {
  const result = await graphql<{ alerts: { edges: { node: AlertNode }[] } | null }>(
    system.urls.gateway,
    token,
    ALERTS_QUERY,
    { first: 500, filter },
  );
  return {
    alerts: result.data?.alerts?.edges.map((edge) => edge.node) ?? [],
    errors: (result.errors ?? []) as { extensions?: { code?: string }; message: string }[],
  };
}

export interface Receipt {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request, answering `status()` (503 while "down"). */
export async function startReceiver(): Promise<{
  url: string;
  receipts: Receipt[];
  setStatus(status: number): void;
  close(): Promise<void>;
}> {
  const receipts: Receipt[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (status < 300)
        receipts.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cla`,
    receipts,
    setStatus: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
