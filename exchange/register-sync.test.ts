/**
 * The register sync against a partner and an issuer that misbehave: every failure is one
 * request, a short reason in the sync state and the log (never a URL), no retry within the
 * run, and the cursor and ETag left where they were. Entries for schools that are not the
 * partner's own are never kept.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { logger } from '../lib/logger';
import { openStores, type Stores } from '../stores/open-stores';
import { loadExchangeSettings } from './config';
import { RegisterSync } from './register-sync';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let stores: Stores;
let server: Server;
let baseUrl: string;
let partnerHandler: Handler;
let tokenHandler: Handler;
const seen: string[] = [];

beforeAll(async () => {
  stores = await openStores({ dataDir: 'memory://' });
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/oauth2/token') tokenHandler(req, res);
    else partnerHandler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await stores.close();
});

beforeEach(() => {
  seen.length = 0;
  tokenHandler = (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ access_token: 'a.b.c', token_type: 'Bearer', expires_in: 300 }));
  };
});

const entry = (urn: string, code: string, updatedAt: string) => ({
  urn,
  schoolName: `School ${urn}`,
  phase: 'PRIMARY',
  localAuthority: { code, name: 'Somewhere' },
  inAuthority: true,
  designatedTeacher: {
    name: 'Ms Ada Example',
    title: 'Ms',
    forename: 'Ada',
    surname: 'Example',
    jobTitle: 'Designated Teacher',
    workEmail: `dt@school-${urn}.sch.example`,
    workPhone: '01632 960001',
    confirmedOn: '2026-01-05',
  },
  namedGovernor: null,
  virtualSchoolContact: null,
  updatedAt,
});

function sync(la: string, timeoutMs = 2_000): RegisterSync {
  const settings = loadExchangeSettings(
    {
      EXCHANGE_PARTNERS: JSON.stringify([{ la, gatewayUrl: baseUrl, audience: 'api://partner' }]),
      EXCHANGE_TOKEN_URL: `${baseUrl}/oauth2/token`,
      EXCHANGE_CLIENT_ID: 'cla-graph-340',
      EXCHANGE_CLIENT_SECRET: 'a-long-enough-test-secret',
      EXCHANGE_TIMEOUT_MS: String(timeoutMs),
    },
    { allowLocal: true },
  );
  return new RegisterSync({ settings, store: stores.partnerRegisters });
}

describe('RegisterSync', () => {
  it('keeps only the partner’s own schools, and sends the ETag of the confirming read next time', async () => {
    partnerHandler = (req, res) => {
      const since = new URL(req.url ?? '/', baseUrl).searchParams.get('changedSince');
      const entries = since
        ? []
        : [
            entry('359101', '359', '2026-01-10T10:00:00.000Z'),
            entry('341101', '341', '2026-01-11T10:00:00.000Z'),
          ];
      if (since && req.headers['if-none-match'] === '"empty"') {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader('ETag', since ? '"empty"' : '"full"');
      res.end(JSON.stringify({ totalCount: entries.length, designatedTeachers: entries }));
    };
    const job = sync('359');
    const [first] = await job.runOnce();
    expect(first).toMatchObject({ outcome: 'ok', requests: 2, entriesReceived: 2, written: 1 });
    expect(seen).toEqual([
      'POST /oauth2/token',
      'GET /register/designated-teachers.json',
      `GET /register/designated-teachers.json?changedSince=${encodeURIComponent('2026-01-11T10:00:00.000Z')}`,
    ]);
    expect((await stores.partnerRegisters.entriesFrom('359')).map((e) => e.urn)).toEqual([
      '359101',
    ]);
    expect((await stores.partnerRegisters.entriesFrom('341')).length).toBe(0);

    seen.length = 0;
    const [second] = await job.runOnce();
    // The token is reused; one conditional request, answered 304.
    expect(second).toMatchObject({ outcome: 'ok', requests: 1, notModified: 1, written: 0 });
    expect(seen).toHaveLength(1);
    expect(job.tokenRequests).toBe(1);
  });

  it.each([
    [
      'a server error',
      'status-500',
      (_req: IncomingMessage, res: ServerResponse) => {
        res.statusCode = 500;
        res.end('stack trace at http://internal.example/secret');
      },
    ],
    [
      'a body that is not JSON',
      'malformed',
      (_req: IncomingMessage, res: ServerResponse) => {
        res.end('<html>');
      },
    ],
    [
      'JSON of another shape',
      'malformed',
      (_req: IncomingMessage, res: ServerResponse) => {
        res.end(JSON.stringify({ designatedTeachers: [{ urn: 1 }] }));
      },
    ],
    [
      'an entry we would not accept',
      'invalid-entries',
      (_req: IncomingMessage, res: ServerResponse) => {
        const bad = { ...entry('342101', '342', '2026-01-10T10:00:00.000Z'), schoolName: '' };
        res.end(JSON.stringify({ designatedTeachers: [bad] }));
      },
    ],
    [
      'a redirect',
      'network',
      (_req: IncomingMessage, res: ServerResponse) => {
        res.statusCode = 302;
        res.setHeader('Location', 'http://elsewhere.example/');
        res.end();
      },
    ],
  ])(
    'on %s: one request, reason %s, cursor kept, nothing logged of the URL',
    async (_what, outcome, handler) => {
      partnerHandler = handler;
      const warn = jest.spyOn(logger, 'warn');
      const [report] = await sync('342').runOnce();
      expect(report).toMatchObject({ la: '342', outcome, requests: 1, written: 0 });
      expect(seen.filter((line) => line.startsWith('GET'))).toHaveLength(1);
      const state = await stores.partnerRegisters.syncState('342');
      expect(state).toMatchObject({ lastOutcome: outcome, changedSince: null, etag: null });
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).not.toContain('127.0.0.1');
      expect(logged).not.toContain('internal.example');
      expect(warn).toHaveBeenCalledWith('partner register sync failed', {
        code: '342',
        failure: outcome,
      });
      warn.mockRestore();
    },
  );

  it('gives up on a partner that does not answer within its deadline', async () => {
    partnerHandler = () => undefined; // never answers
    const [report] = await sync('343', 200).runOnce();
    expect(report).toMatchObject({ outcome: 'timeout', requests: 1 });
  });

  it('asks no partner when our issuer refuses the token', async () => {
    tokenHandler = (_req, res) => {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: 'invalid_client' }));
    };
    partnerHandler = (_req, res) => res.end('{}');
    const [report] = await sync('344').runOnce();
    expect(report).toMatchObject({ outcome: 'token-refused', requests: 0 });
    expect(seen).toEqual(['POST /oauth2/token']);
  });
});
