/**
 * The PEP workflow when CLA Graph's history cannot be written after the case system accepted
 * a change: the caller is told honestly (the change is in the case system, not in the
 * history), and a new draft's history is written when the same request is sent again. Over
 * real HTTP against the social care simulator serving the tiny world.
 */
import { randomUUID } from 'node:crypto';
import type { SubgraphApp } from '../../../lib/graphql/subgraph-server';
import { listen, type RunningServer } from '../../../lib/http/http-server';
import { caller, createTestIdentity } from '../../../tests/support/identity';
import { memoryPepHistory } from '../../../tests/support/pep-history';
import {
  startTinySimulators,
  subgraphClient,
  type TestSimulators,
} from '../../../tests/support/subgraph-harness';
import { TINY_AS_OF } from '../../../tests/support/tiny-world';
import { createSocialCareSubgraph } from '../subgraph';

let simulators: TestSimulators;
let subgraph: SubgraphApp;
let server: RunningServer;
let token: string;
const history = memoryPepHistory();
/** While set, the history store fails every write (a database outage). */
let historyDown = false;

const { graphql } = subgraphClient(
  () => server.url,
  () => token,
);

beforeAll(async () => {
  simulators = await startTinySimulators();
  const identity = await createTestIdentity();
  // The officer whose caseload holds the tiny world's 1000001 and 1000002.
  token = await identity.tokenFor(
    caller(['virtual-school-officer'], { sub: 'VSO001' }),
    'social-care',
  );
  const upstream = {
    baseUrl: simulators.urls.socialCare,
    apiKey: simulators.keys.socialCare,
    timeoutMs: 1_000,
    deadlineMs: 2_000,
    retries: 1,
  };
  subgraph = await createSocialCareSubgraph(
    {
      port: 0,
      socialCare: upstream,
      la: { code: '340', name: 'Knowsley' },
      asOf: TINY_AS_OF,
      production: false,
      scope: {
        homeLa: '340',
        socialCare: { baseUrl: simulators.urls.socialCare, apiKey: simulators.keys.socialCare },
        // No school rolls are needed for a Virtual School officer.
        education: { baseUrl: simulators.urls.socialCare, apiKey: simulators.keys.socialCare },
        timeoutMs: 1_000,
        deadlineMs: 2_000,
        gatewayJwksUrl: 'http://127.0.0.1:1/unused',
      },
    },
    {
      ...identity.security('social-care'),
      stores: {
        pepHistory: {
          record: async (change) => {
            if (historyDown) throw new Error('connection refused');
            return history.record(change);
          },
          historyFor: (ids) => history.historyFor(ids),
        },
      },
    },
  );
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close(100);
  await subgraph?.stop();
  await simulators?.close();
});

afterEach(() => {
  historyDown = false;
});

const CREATE = /* GraphQL */ `
  mutation ($input: CreatePepDraftInput!) {
    createPepDraft(input: $input) {
      changed
      pep {
        id
        status
        changes {
          action
        }
      }
    }
  }
`;
const COMPLETE = /* GraphQL */ `
  mutation ($input: CompletePepInput!) {
    completePep(input: $input) {
      changed
      pep {
        id
        status
      }
    }
  }
`;

type CreateData = {
  createPepDraft: { changed: boolean; pep: { id: string; status: string; changes: unknown[] } };
};

const draft = (requestId: string) => ({
  requestId,
  childId: '1000001',
  meetingDate: TINY_AS_OF,
  attendees: [{ name: 'Ava', role: 'CHILD' }],
  childViews: 'I like reading.',
  targets: [
    {
      area: 'Reading',
      description: 'Read every day',
      successMeasure: 'Reading record signed five days a week',
      owner: 'Carer',
      reviewDate: '2026-01-30',
    },
  ],
});

it('a draft whose history failed says so, and the same request again writes the history', async () => {
  const requestId = randomUUID();
  historyDown = true;
  const failed = await graphql<CreateData>(CREATE, { input: draft(requestId) });
  expect(failed.data).toBeNull();
  expect(failed.errors?.[0]?.extensions?.code).toBe('HISTORY_UNAVAILABLE');
  expect(failed.errors?.[0]?.message).toMatch(/saved in the case system.*history could not/);
  expect(failed.errors?.[0]?.message).toContain('same request again');
  expect(JSON.stringify(failed.errors)).not.toMatch(/connection refused|stack|http/i);

  historyDown = false;
  const retried = await graphql<CreateData>(CREATE, { input: draft(requestId) });
  expect(retried.errors).toBeUndefined();
  const pep = retried.data!.createPepDraft;
  expect(pep.changed).toBe(false);
  expect(pep.pep.changes).toEqual([{ action: 'CREATE_DRAFT' }]);
  // Sent a third time: still one history row.
  await graphql<CreateData>(CREATE, { input: draft(requestId) });
  expect(history.changes.filter((change) => change.pepId === pep.pep.id)).toHaveLength(1);
});

it('a completion whose history failed is reported as made but unrecorded, not as refused', async () => {
  const created = await graphql<CreateData>(CREATE, { input: draft(randomUUID()) });
  const pepId = created.data!.createPepDraft.pep.id;
  historyDown = true;
  const input = {
    pepId,
    completedOn: TINY_AS_OF,
    signOff: [
      { role: 'DESIGNATED_TEACHER', name: 'Mr T', signedOn: TINY_AS_OF },
      { role: 'SOCIAL_WORKER', name: 'Ms W', signedOn: TINY_AS_OF },
    ],
  };
  const failed = await graphql(COMPLETE, { input });
  expect(failed.errors?.[0]?.extensions?.code).toBe('HISTORY_UNAVAILABLE');
  expect(failed.errors?.[0]?.message).toMatch(/saved in the case system.*Do not repeat/);
  // The case system did complete it: the history is the part that is missing.
  historyDown = false;
  const again = await graphql<{ completePep: { changed: boolean; pep: { status: string } } }>(
    COMPLETE,
    { input },
  );
  expect(again.data!.completePep).toEqual({
    changed: false,
    pep: { id: pepId, status: 'COMPLETE' },
  });
  expect(history.changes.filter((c) => c.pepId === pepId).map((c) => c.action)).toEqual([
    'CREATE_DRAFT',
  ]);
});
