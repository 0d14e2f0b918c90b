/**
 * The education client's school-level exports (`exportAggregates`, `exportSchools`) over a
 * real HTTP server: the body each sends, the records handed on in order, and a stream cut
 * short or a line that is not a record of the export failing the read as the system being
 * unavailable (a report then shows its school figures as missing, never partial ones).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamUnavailableError } from '../../lib/errors';
import { EducationClient } from './client';

let server: http.Server;
let client: EducationClient;
/** What the test server answers next, and what it was last asked. */
let answer: string;
let asked: { path: string; body: unknown } | null = null;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      asked = { path: request.url ?? '', body: JSON.parse(text) as unknown };
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = EducationClient.fromConfig({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey: 'test-key-0123456789',
    timeoutMs: 2_000,
    deadlineMs: 5_000,
    retries: 0,
  });
});
afterAll(async () => {
  client.close();
  await new Promise((resolve) => server.close(resolve));
});

async function all<T>(records: AsyncIterable<T>): Promise<T[]> {
  const read: T[] = [];
  for await (const record of records) read.push(record);
  return read;
}

describe('EducationClient.exportAggregates', () => {
  it('asks for one year in one request and hands on every row in order', async () => {
    answer = '{"urn":"100001","year_group":"7"}\n{"urn":"100001","year_group":"8"}\n';
    const rows = await all(client.exportAggregates('2025/26'));
    expect(asked).toEqual({ path: '/v1/exports/aggregates', body: { academic_year: '2025/26' } });
    expect(rows.map((row) => row.year_group)).toEqual(['7', '8']);
  });

  it('fails on a stream cut short, or a row without its school', async () => {
    answer = '{"urn":"100001","year_group":"7"}\n{"urn":"1000';
    await expect(all(client.exportAggregates('2025/26'))).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
    answer = '{"year_group":"7"}\n';
    await expect(all(client.exportAggregates('2025/26'))).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});

describe('EducationClient.exportSchools', () => {
  it('sends the list and the fields asked for, and hands on each school', async () => {
    answer = '{"urn":"100002","name":"B"}\n{"urn":"100001","name":"A"}\n';
    const schools = await all(client.exportSchools(['100002', '100001'], ['name']));
    expect(asked).toEqual({
      path: '/v1/exports/schools',
      body: { urns: ['100002', '100001'], fields: ['name'] },
    });
    expect(schools).toEqual([
      { urn: '100002', name: 'B' },
      { urn: '100001', name: 'A' },
    ]);
  });

  it('fails on a line that is not JSON, or a stream cut short', async () => {
    answer = '{"urn":"100002","name":"B"}\n<html>busy</html>\n';
    await expect(all(client.exportSchools(['100002']))).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
    answer = '{"urn":"100002","na';
    await expect(all(client.exportSchools(['100002']))).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});
