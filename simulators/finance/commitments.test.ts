/**
 * The finance simulator's PP+ commitments and payments over real HTTP, and FinanceClient
 * against them: a commitment held against the allocation, paid in parts into SPEND lines,
 * the same reference twice is one commitment or payment, a refusal (400 naming the fields,
 * 404, 422 with what remains) changes nothing, the client search includes commitments, and
 * `/_sim/faults` makes the new routes fail like the others. One server per describe.
 */
import type { AxiosInstance } from 'axios';
import { UpstreamUnavailableError } from '../../lib/errors';
import { UpstreamRejectedError } from '../../upstream/common/http-client';
import { FinanceClient } from '../../upstream/finance/client';
import type { FinClient, FinCommitment, FinLedgerLine } from '../../upstream/finance/contract';
import { startServer, type RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createFinanceSimulator } from './app';

const KEY = 'fin-commit-key';
const AVA = 'CLA/1000001'; // 2025-26: 263,000p allocated, 60,000p spent
const FY = '2025-26';
const REMAINING = 263_000 - 60_000;
const P = '/api/finance/v1';

function useServer(): () => { api: AxiosInstance; url: string } {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer(createFinanceSimulator({ world: tinyWorld(), apiKey: KEY }));
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => ({ api: httpClient(server!.url, KEY), url: server!.url });
}

const commitment = (ref: string, amount: number) => ({
  commitment_ref: ref,
  client_ref: AVA,
  fy: FY,
  amount_pence: amount,
  pep_target_id: 'T-0003',
  urn: '100001',
});

/** Everything a write could change for the child: commitments, ledger, the year's ledger. */
async function state(api: AxiosInstance) {
  const client: FinClient = (
    await api.post(`${P}/clients/search`, {
      client_refs: [AVA],
      fy: FY,
      include: ['allocations', 'ledger', 'commitments'],
    })
  ).data.data[0];
  const ledger: FinLedgerLine[] = (await api.get(`${P}/ledger?fy=${FY}&per_page=500`)).data.data;
  return { client, ledger };
}

describe('finance commitments and payments', () => {
  const sim = useServer();
  let made: FinCommitment;

  it('commits (201), lists it and includes it in the client search', async () => {
    const { api } = sim();
    const res = await api.post(`${P}/commitments`, commitment('REQ-1', 50_000));
    expect(res.status).toBe(201);
    made = res.data.data;
    expect(res.data).toEqual({
      data: {
        commitment_id: made.commitment_id,
        commitment_ref: 'REQ-1',
        client_ref: AVA,
        fy: FY,
        amount_pence: 50_000,
        paid_pence: 0,
        pep_target_id: 'T-0003',
        urn: '100001',
        status: 'OPEN',
        created_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
      meta: { created: true },
    });
    const listed = await api.get(`${P}/commitments?client_ref=${encodeURIComponent(AVA)}&fy=${FY}`);
    expect(listed.data).toEqual({ data: [made] });
    expect((await state(api)).client.commitments).toEqual([made]);
    // Another year's search holds none of it.
    const other = await api.post(`${P}/clients/search`, {
      client_refs: [AVA],
      fy: '2024-25',
      include: ['commitments'],
    });
    expect(other.data.data[0].commitments).toEqual([]);
  });

  it('the same commitment_ref again is 200, the same commitment, created false', async () => {
    const { api } = sim();
    const before = await state(api);
    const again = await api.post(`${P}/commitments`, commitment('REQ-1', 50_000));
    expect(again.status).toBe(200);
    expect(again.data).toEqual({ data: made, meta: { created: false } });
    expect(await state(api)).toEqual(before);
  });

  it('refuses more than remains (allocated - spent - open) with 422 and what remains', async () => {
    const { api } = sim();
    const before = await state(api);
    const left = REMAINING - 50_000;
    const res = await api.post(`${P}/commitments`, commitment('REQ-2', left + 1));
    expect(res.status).toBe(422);
    expect(res.data.error).toMatchObject({ code: 'OVER_ALLOCATION', remaining_pence: left });
    expect(await state(api)).toEqual(before);
    // Exactly what remains is taken.
    const exact = await api.post(`${P}/commitments`, commitment('REQ-2', left));
    expect(exact.status).toBe(201);
  });

  it('pays in parts into SPEND lines on the target and school; PAID when paid in full', async () => {
    const { api } = sim();
    const pay = (ref: string, amount: number) =>
      api.post(`${P}/commitments/${made.commitment_id}/payments`, {
        payment_ref: ref,
        paid_on: '2025-11-03',
        amount_pence: amount,
        item: `Tutor ${ref}`,
      });
    const first = await pay('INV-1', 20_000);
    expect(first.status).toBe(201);
    expect(first.data.data.commitment).toMatchObject({ paid_pence: 20_000, status: 'OPEN' });
    expect(first.data.data.line).toMatchObject({
      client_ref: AVA,
      fy: FY,
      posted_on: '2025-11-03',
      type: 'SPEND',
      urn: '100001',
      item: 'Tutor INV-1',
      amount_pence: 20_000,
      pep_target_id: 'T-0003',
    });
    // The same payment again: no second line.
    const before = await state(api);
    const again = await pay('INV-1', 20_000);
    expect(again.status).toBe(200);
    expect(again.data.meta).toEqual({ created: false });
    expect(await state(api)).toEqual(before);
    // More than is unpaid: 422 with what is, nothing changed.
    const over = await pay('INV-2', 30_001);
    expect(over.status).toBe(422);
    expect(over.data.error).toMatchObject({ code: 'OVER_PAYMENT', remaining_pence: 30_000 });
    expect(await state(api)).toEqual(before);

    const rest = await pay('INV-2', 30_000);
    expect(rest.data.data.commitment).toMatchObject({ paid_pence: 50_000, status: 'PAID' });
    const after = await state(api);
    const lines = after.client.ledger!.filter((l) => l.pep_target_id === 'T-0003' && l.fy === FY);
    expect(lines.map((l) => [l.type, l.amount_pence, l.urn])).toEqual(
      expect.arrayContaining([
        ['SPEND', 20_000, '100001'],
        ['SPEND', 30_000, '100001'],
      ]),
    );
    expect(after.ledger.filter((l) => l.item.startsWith('Tutor INV'))).toHaveLength(2);
    // Paid: nothing more is taken, and a PAID commitment holds nothing back.
    const closed = await pay('INV-3', 1);
    expect(closed.data.error.code).toBe('NOT_OPEN');
  });

  it('names every bad field (400) and 404s an unknown commitment, changing nothing', async () => {
    const { api } = sim();
    const before = await state(api);
    const bad = await api.post(`${P}/commitments`, {
      commitment_ref: '',
      client_ref: 'child-1',
      fy: '2025-27',
      amount_pence: 1.5,
      pep_target_id: null,
      urn: '12',
    });
    expect(bad.status).toBe(400);
    expect([...bad.data.error.fields].sort()).toEqual(
      ['amount_pence', 'client_ref', 'commitment_ref', 'fy', 'urn'].sort(),
    );
    const badPay = await api.post(`${P}/commitments/${made.commitment_id}/payments`, {
      payment_ref: 'X',
      paid_on: '2025-13-01',
      amount_pence: 0,
      item: ' ',
      extra: true,
    });
    expect(badPay.status).toBe(400);
    expect(badPay.data.error.fields).toEqual(
      expect.arrayContaining(['paid_on', 'amount_pence', 'item']),
    );
    const unknown = await api.post(`${P}/commitments/CMT-999999/payments`, {
      payment_ref: 'Y',
      paid_on: '2025-11-03',
      amount_pence: 1,
      item: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(await state(api)).toEqual(before);
  });
});

describe('FinanceClient commitments and payments', () => {
  const sim = useServer();
  let client: FinanceClient;
  beforeAll(() => {
    client = FinanceClient.fromConfig({
      baseUrl: sim().url,
      apiKey: KEY,
      timeoutMs: 2000,
      deadlineMs: 5000,
      retries: 2,
    });
  });
  afterAll(() => client.close());
  afterEach(async () => {
    await sim().api.put('/_sim/faults', { errorRate: 0 });
  });
  const hits = async (route: string): Promise<number> =>
    (await sim().api.get('/_sim/stats')).data.byRoute[route] ?? 0;

  it('commits, pays and reads back; the client search carries the commitments', async () => {
    const made = await client.createCommitment(commitment('C-1', 10_000));
    expect(made.meta.created).toBe(true);
    expect((await client.createCommitment(commitment('C-1', 10_000))).meta.created).toBe(false);
    const paid = await client.recordPayment(made.data.commitment_id, {
      payment_ref: 'P-1',
      paid_on: '2025-11-03',
      amount_pence: 10_000,
      item: 'Trip',
    });
    expect(paid.data.commitment.status).toBe('PAID');
    expect(await client.commitments(AVA, FY)).toEqual([paid.data.commitment]);
    const [found] = (await client.clientsByRef([AVA], ['commitments'], FY)).clients;
    expect(found?.commitments).toEqual([paid.data.commitment]);
  });

  it('a refusal is an UpstreamRejectedError (422 with remaining_pence), sent once', async () => {
    const route = `POST ${P}/commitments`;
    const before = await hits(route);
    const refused = await client
      .createCommitment(commitment('C-2', 10_000_000))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamRejectedError);
    expect(refused).toMatchObject({
      status: 422,
      code: 'OVER_ALLOCATION',
      details: { remaining_pence: REMAINING - 10_000 },
    });
    const unknown = await client
      .recordPayment('CMT-999999', {
        payment_ref: 'P-9',
        paid_on: '2025-11-03',
        amount_pence: 1,
        item: 'x',
      })
      .catch((error: unknown) => error);
    expect(unknown).toMatchObject({ status: 404 });
    expect(await hits(route)).toBe(before + 1);
  });

  it('under /_sim/faults the new routes fail; writes are not retried, nothing is changed', async () => {
    const { api } = sim();
    const route = `POST ${P}/commitments`;
    const before = await hits(route);
    const start = await client.commitments(AVA, FY);
    await api.put('/_sim/faults', { errorRate: 1 });
    const failed = await client
      .createCommitment(commitment('C-3', 1_000))
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(UpstreamUnavailableError);
    expect(await hits(route)).toBe(before + 1);
    const listed = await api.get(`${P}/commitments?client_ref=${encodeURIComponent(AVA)}`);
    expect(listed.status).toBe(503);
    await api.put('/_sim/faults', { errorRate: 0 });
    expect(await client.commitments(AVA, FY)).toEqual(start);
  });
});
