/**
 * Reading a bulk export (`UpstreamClient.streamRecords`, `exportRecords`): records one at a
 * time across chunk boundaries, a record cut short or a record without its key failing the
 * read as the system being unavailable, and a failed start retried like any read.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamUnavailableError } from '../../lib/errors';
import { exportRecords } from './exports';
import { UpstreamClient } from './http-client';

let server: http.Server;
let baseUrl: string;
/** What the test server answers next: chunks of body text, or a status. */
let answer: { status: number; chunks: string[] };
let starts = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    starts += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(answer.status, { 'Content-Type': 'application/x-ndjson' });
      const [first, ...rest] = answer.chunks;
      // Each chunk a moment apart, so the client sees them as separate reads.
      const send = (chunks: string[]): void => {
        if (chunks.length === 0) {
          response.end();
          return;
        }
        response.write(chunks[0]);
        setTimeout(() => send(chunks.slice(1)), 5);
      };
      send(first === undefined ? [] : [first, ...rest]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  starts = 0;
});

const client = (retries = 0) =>
  new UpstreamClient({
    system: 'social care',
    baseUrl,
    apiKey: 'test-key-0123456789',
    timeoutMs: 2_000,
    deadlineMs: 5_000,
    retries,
  });

async function read(upstream: UpstreamClient): Promise<Array<{ id: string }>> {
  const records: Array<{ id: string }> = [];
  const target = { system: 'social care', route: 'POST /export', path: '/export' };
  for await (const record of exportRecords<{ id: string }>(upstream, target, {}, 'id')) {
    records.push(record);
  }
  return records;
}

describe('reading a bulk export', () => {
  it('hands on each record, whole, however the chunks split the lines', async () => {
    answer = { status: 200, chunks: ['{"id":"1"}\n{"id', '":"2","n', '":1}\n', '{"id":"3"}\n'] };
    const upstream = client();
    try {
      expect(await read(upstream)).toEqual([{ id: '1' }, { id: '2', n: 1 }, { id: '3' }]);
    } finally {
      upstream.close();
    }
  });

  it('fails on a record cut short (no final newline)', async () => {
    answer = { status: 200, chunks: ['{"id":"1"}\n{"id":"2"'] };
    const upstream = client();
    try {
      await expect(read(upstream)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    } finally {
      upstream.close();
    }
  });

  it('fails on a record without its key, or that is not JSON', async () => {
    const upstream = client();
    try {
      answer = { status: 200, chunks: ['{"other":"1"}\n'] };
      await expect(read(upstream)).rejects.toBeInstanceOf(UpstreamUnavailableError);
      answer = { status: 200, chunks: ['not json\n'] };
      await expect(read(upstream)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    } finally {
      upstream.close();
    }
  });

  it('retries a failed start, like any read, then fails as the system unavailable', async () => {
    answer = { status: 503, chunks: [] };
    const upstream = client(2);
    try {
      await expect(read(upstream)).rejects.toBeInstanceOf(UpstreamUnavailableError);
      expect(starts).toBe(3);
    } finally {
      upstream.close();
    }
  });
});
