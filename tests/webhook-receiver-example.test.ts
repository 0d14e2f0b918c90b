/**
 * The receiver the README documents (`examples/webhook-receiver.ts`) against signatures made by
 * CLA Graph's own signer: a genuine delivery is stored once, and a forged, altered, replayed
 * or unsigned one is refused.
 */
import { isGenuine, receive } from '../examples/webhook-receiver';
import { signPayload, subscriptionSecret } from '../events/webhooks/signature';

const secret = subscriptionSecret('a-master-key-of-at-least-32-characters!', 'sub-1');
const body = JSON.stringify({ id: 'evt_7', type: 'SUSPENSION', child: { id: '1000001' } });
const now = Date.parse('2026-02-10T09:31:00Z');
const t = Math.floor(now / 1000);
const headers = (signature: string) => ({
  'x-cla-signature': signature,
  'x-cla-idempotency-key': 'evt_7',
});

describe('the documented webhook receiver', () => {
  it('stores a genuine delivery once, and acknowledges its redelivery without storing it', () => {
    const seen = new Set<string>();
    const signed = signPayload(secret, body, t);
    expect(receive(secret, body, headers(signed), seen, now)).toBe('stored');
    expect(receive(secret, body, headers(signPayload(secret, body, t + 60)), seen, now)).toBe(
      'repeat',
    );
    expect(seen).toEqual(new Set(['evt_7']));
  });

  it('refuses a forged signature, an altered body, another subscription’s secret and no signature', () => {
    const signed = signPayload(secret, body, t);
    expect(isGenuine(secret, body, signPayload('a guess at the secret', body, t), now)).toBe(false);
    expect(isGenuine(secret, body.replace('1000001', '1000002'), signed, now)).toBe(false);
    const other = subscriptionSecret('a-master-key-of-at-least-32-characters!', 'sub-2');
    expect(isGenuine(other, body, signed, now)).toBe(false);
    expect(isGenuine(secret, body, undefined, now)).toBe(false);
    expect(isGenuine(secret, body, 't=abc,v1=zz', now)).toBe(false);
    expect(receive(secret, body, { 'x-cla-idempotency-key': 'evt_7' }, new Set(), now)).toBe(
      'refused',
    );
  });

  it('refuses a genuine delivery replayed after five minutes', () => {
    const signed = signPayload(secret, body, t);
    expect(isGenuine(secret, body, signed, now + 300_000)).toBe(true);
    expect(isGenuine(secret, body, signed, now + 301_000)).toBe(false);
    expect(receive(secret, body, headers(signed), new Set(), now + 3_600_000)).toBe('refused');
  });
});
