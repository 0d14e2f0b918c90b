/**
 * The HTTP base client against a tiny real HTTP server on port 0: retries only for reads and
 * only on the fixed statuses and network failures, writes never retried, the circuit breaker,
 * the overall deadline, and errors and logs that carry no URL, header or credential.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { UpstreamClient, UpstreamRejectedError, type UpstreamClientOptions } from './http-client';

type Answer = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const API_KEY = 'test-key-never-logged';
let server: http.Server;
let baseUrl: string;
let answers: Answer[];
let hits: Array<{ method: string; url: string; authorization: string | undefined }>;
const clients: UpstreamClient[] = [];

const json =
  (status: number, body: unknown): Answer =>
  (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
const status = (code: number): Answer => json(code, { error: { code: 'X', message: 'no' } });
const ok = json(200, { data: ['ok'] });

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    });
    request.resume();
    // The last answer repeats once the list runs out.
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answers = [ok];
  hits = [];
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  jest.restoreAllMocks();
});

function client(options: Partial<UpstreamClientOptions> = {}): UpstreamClient {
  const made = new UpstreamClient({
    system: 'test system',
    baseUrl,
    apiKey: API_KEY,
    timeoutMs: 1_000,
    deadlineMs: 5_000,
    retries: 2,
    ...options,
  });
  clients.push(made);
  return made;
}

describe('UpstreamClient', () => {
  it('sends the bearer key and the query, and parses the JSON answer', async () => {
    expect(await client().get('/v1/things', { page: 2, looked_after: true })).toEqual({
      data: ['ok'],
    });
    expect(hits).toEqual([
      {
        method: 'GET',
        url: '/v1/things?page=2&looked_after=true',
        authorization: `Bearer ${API_KEY}`,
      },
    ]);
  });

  it('answers null for a 404, without another try', async () => {
    answers = [status(404)];
    expect(await client().get('/v1/things/1')).toBeNull();
    expect(await client().query('/v1/search', {})).toBeNull();
    expect(hits).toHaveLength(2);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries a read answered %i', async (code) => {
    answers = [status(code), ok];
    expect(await client().get('/v1/things')).toEqual({ data: ['ok'] });
    expect(hits).toHaveLength(2);
  });

  it('retries a read-only POST (a search) like a GET', async () => {
    answers = [status(503), ok];
    expect(await client().query('/v1/search', { ids: ['1'] })).toEqual({ data: ['ok'] });
    expect(hits.map((hit) => hit.method)).toEqual(['POST', 'POST']);
  });

  it.each([400, 401, 403, 409, 501])('does not retry a read answered %i', async (code) => {
    answers = [status(code), ok];
    await expect(client().get('/v1/things')).rejects.toThrow(UpstreamUnavailableError);
    expect(hits).toHaveLength(1);
  });

  it('gives up after its retries', async () => {
    answers = [status(503)];
    await expect(client({ retries: 2 }).get('/v1/things')).rejects.toThrow(
      UpstreamUnavailableError,
    );
    expect(hits).toHaveLength(3);
  });

  it.each(['PUT', 'POST'] as const)('never retries a write (%s), even on 503', async (method) => {
    answers = [status(503), ok];
    await expect(client().write(method, '/v1/things/1', { a: 1 })).rejects.toThrow(
      UpstreamUnavailableError,
    );
    expect(hits).toHaveLength(1);
  });

  it.each([400, 409, 422])(
    'tells a write refused with %i as UpstreamRejectedError, sent once',
    async (code) => {
      answers = [
        json(code, {
          error: {
            code: 'NOT_DRAFT',
            message: 'PEP of Ava Example at http://secret.example/x',
            fields: ['TARGETS.0.AREA', 'bad field; drop'],
            remaining_pence: 1200,
          },
        }),
      ];
      const error: unknown = await client()
        .write('POST', '/v1/things', { a: 1 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpstreamRejectedError);
      expect(error).toMatchObject({
        status: code,
        code: 'NOT_DRAFT',
        fields: ['TARGETS.0.AREA'],
        details: { remaining_pence: 1200 },
      });
      // The system's own message text (which may hold values) and the URL stay behind.
      const told = JSON.stringify([(error as Error).message, Object.entries(error as object)]);
      for (const secret of ['Ava', 'secret.example', baseUrl, '/v1/things']) {
        expect(told).not.toContain(secret);
      }
      expect(hits).toHaveLength(1);
    },
  );

  it('does not open its circuit on refusals, nor turn a refused read into one', async () => {
    answers = [status(409)];
    const refusing = client({ retries: 0, breakerThreshold: 2, breakerResetMs: 60_000 });
    for (let call = 0; call < 3; call += 1) {
      await expect(refusing.write('PUT', '/v1/things/1', {})).rejects.toThrow(
        UpstreamRejectedError,
      );
    }
    answers = [ok];
    await expect(refusing.write('PUT', '/v1/things/1', {})).resolves.toEqual({ data: ['ok'] });
    answers = [status(400)];
    await expect(refusing.get('/v1/things')).rejects.toThrow(UpstreamUnavailableError);
  });

  it('retries a dropped connection', async () => {
    answers = [(request) => request.socket.destroy(), ok];
    expect(await client().get('/v1/things')).toEqual({ data: ['ok'] });
    expect(hits).toHaveLength(2);
  });

  it('retries a body that is not JSON, then fails cleanly', async () => {
    answers = [
      (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end('{"data": [');
      },
    ];
    await expect(client({ retries: 1 }).get('/v1/things')).rejects.toThrow(
      UpstreamUnavailableError,
    );
    expect(hits).toHaveLength(2);
  });

  it('retries an attempt that times out', async () => {
    answers = [() => undefined, ok];
    expect(await client({ timeoutMs: 100 }).get('/v1/things')).toEqual({ data: ['ok'] });
    expect(hits).toHaveLength(2);
  });

  it('stops at the overall deadline, retries included', async () => {
    answers = [() => undefined];
    const started = Date.now();
    await expect(
      client({ timeoutMs: 10_000, deadlineMs: 200, retries: 5 }).get('/v1/things'),
    ).rejects.toThrow(UpstreamUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hits).toHaveLength(1);
  });

  it('opens its circuit after consecutive failures, then fails without calling', async () => {
    answers = [status(503)];
    const breaking = client({ retries: 0, breakerThreshold: 2, breakerResetMs: 60_000 });
    for (let call = 0; call < 2; call += 1) {
      await expect(breaking.get('/v1/things')).rejects.toThrow(UpstreamUnavailableError);
    }
    expect(hits).toHaveLength(2);
    answers = [ok];
    await expect(breaking.get('/v1/things')).rejects.toThrow(UpstreamUnavailableError);
    expect(hits).toHaveLength(2);
  });

  it('fails with an error and a log line that carry no URL, header or key', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    answers = [status(400)];
    const error: unknown = await client()
      .get('/v1/children/1000001', { upn: 'A123' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ system: 'test system' });
    expect(warn).toHaveBeenCalledWith(
      'upstream call failed',
      expect.objectContaining({ system: 'test system', method: 'GET', failure: 'status' }),
    );
    const told = JSON.stringify([
      (error as Error).message,
      Object.entries(error as object),
      (error as Error).cause ?? null,
      warn.mock.calls,
    ]);
    for (const secret of [
      API_KEY,
      'Bearer',
      baseUrl,
      '127.0.0.1',
      '/v1/children',
      '1000001',
      'A123',
    ]) {
      expect(told).not.toContain(secret);
    }
  });
});
