/**
 * The finance system's refusals of a PP+ commitment or payment, told apart from its failures,
 * against the real (tiny) finance simulator over HTTP. Through the gateway the graph's own
 * check refuses an over-allocation first (it also counts the top-slice share), so the finance
 * system's 422 is reached only in a race; its meaning is pinned here.
 */
import { randomUUID } from 'node:crypto';
import { UpstreamUnavailableError } from '../../../lib/errors';
import { startTinySimulators, type TestSimulators } from '../../../tests/support/subgraph-harness';
import { FinanceClient } from '../../../upstream/finance/client';
import { commitToFinance, payToFinance } from './finance-writes';

let simulators: TestSimulators;
let client: FinanceClient;

beforeAll(async () => {
  simulators = await startTinySimulators();
  client = FinanceClient.fromConfig({
    baseUrl: simulators.urls.finance,
    apiKey: simulators.keys.finance,
    timeoutMs: 1_000,
    deadlineMs: 2_000,
    retries: 0,
  });
});

afterAll(async () => {
  client?.close();
  await simulators?.close();
});

const commitment = (amount: number, ref = randomUUID()) => ({
  commitment_ref: ref,
  client_ref: 'CLA/1000002',
  fy: '2025-26',
  amount_pence: amount,
  pep_target_id: 'T-0009',
  urn: '100001',
});

describe('commitToFinance and payToFinance', () => {
  it('commits up to what remains, refuses more naming what remains, and pays once per ref', async () => {
    const over = await commitToFinance(client, commitment(1_000_000));
    expect(over).toEqual({ kind: 'over-allocation', remainingPence: expect.any(Number) });
    const remaining = (over as { remainingPence: number }).remainingPence;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(263_000);

    const ref = randomUUID();
    const made = await commitToFinance(client, commitment(remaining, ref));
    expect(made).toMatchObject({
      kind: 'committed',
      commitment: { commitment_ref: ref, amount_pence: remaining, status: 'OPEN' },
    });
    // The same reference again: the same commitment, not a second one.
    const again = await commitToFinance(client, commitment(remaining, ref));
    expect(again).toEqual(made);
    expect(await commitToFinance(client, commitment(1))).toEqual({
      kind: 'over-allocation',
      remainingPence: 0,
    });

    const id = (made as { commitment: { commitment_id: string } }).commitment.commitment_id;
    const payment = { payment_ref: 'P-1', paid_on: '2025-11-01', amount_pence: 100, item: 'Books' };
    expect(await payToFinance(client, id, { ...payment, amount_pence: remaining + 1 })).toEqual({
      kind: 'refused',
      why: 'over-payment',
    });
    const paid = await payToFinance(client, id, payment);
    expect(paid).toMatchObject({ kind: 'paid', commitment: { paid_pence: 100 } });
    expect(await payToFinance(client, id, payment)).toEqual(paid);
  });

  it('reports a finance system that cannot be reached as unavailable, not as a refusal', async () => {
    await simulators.setFaults('finance', { errorRate: 1 });
    try {
      await expect(commitToFinance(client, commitment(100))).rejects.toBeInstanceOf(
        UpstreamUnavailableError,
      );
    } finally {
      await simulators.setFaults('finance', { errorRate: 0 });
    }
  });
});
