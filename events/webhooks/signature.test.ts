import { createHmac } from 'node:crypto';
import { signPayload, subscriptionSecret, verifySignature, type VerifyOptions } from './signature';

const secret = subscriptionSecret('a-master-key-of-at-least-32-characters!', 'sub-1');
const body = JSON.stringify({ id: 'evt_42', type: 'SUSPENSION', child: { id: '1000001' } });
const sentAt = new Date('2026-03-02T09:30:00Z');
const t = Math.floor(sentAt.getTime() / 1000);

const verify = (overrides: Partial<VerifyOptions> = {}) =>
  verifySignature({
    secret,
    body,
    header: signPayload(secret, body, t),
    now: sentAt,
    ...overrides,
  });

describe('webhook signatures', () => {
  it('accepts a delivery signed with the subscription secret, within the tolerance', () => {
    expect(verify()).toEqual({ ok: true, timestamp: t });
    expect(verify({ now: new Date(sentAt.getTime() + 299_000) })).toEqual({
      ok: true,
      timestamp: t,
    });
    expect(verify({ body: Buffer.from(body) })).toEqual({ ok: true, timestamp: t });
  });

  it('refuses a tampered body', () => {
    const tampered = body.replace('1000001', '1000002');
    expect(verify({ body: tampered })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify({ body: `${body} ` })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it("refuses a signature made with another subscription's secret", () => {
    const other = subscriptionSecret('a-master-key-of-at-least-32-characters!', 'sub-2');
    expect(other).not.toBe(secret);
    expect(verify({ header: signPayload(other, body, t) })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(verify({ secret: other })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a replay: a genuine delivery presented after the tolerance', () => {
    const later = new Date(sentAt.getTime() + 301_000);
    expect(verify({ now: later })).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(verify({ now: later, toleranceSeconds: 600 })).toEqual({ ok: true, timestamp: t });
    // A timestamp far in the future is refused too (a forged clock cannot pre-sign).
    expect(verify({ now: new Date(sentAt.getTime() - 301_000) })).toEqual({
      ok: false,
      reason: 'EXPIRED',
    });
  });

  it('refuses moving the timestamp forward on a captured signature', () => {
    const captured = signPayload(secret, body, t).split(',')[1];
    expect(
      verify({ header: `t=${t + 3600},${captured}`, now: new Date((t + 3600) * 1000) }),
    ).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it.each([
    ['no header', 'MISSING', undefined],
    ['an empty header', 'MISSING', ''],
    ['no timestamp', 'MALFORMED', `v1=${'a'.repeat(64)}`],
    ['no signature', 'MALFORMED', `t=${t}`],
    ['a short signature', 'MALFORMED', `t=${t},v1=abc`],
    ['upper-case hex', 'MALFORMED', `t=${t},v1=${'A'.repeat(64)}`],
    ['a non-numeric timestamp', 'MALFORMED', `t=soon,v1=${'a'.repeat(64)}`],
    ['two timestamps', 'MALFORMED', `t=${t},t=${t},v1=${'a'.repeat(64)}`],
    ['garbage', 'MALFORMED', 'Bearer abc'],
    ['a header sent twice', 'MALFORMED', ['t=1', 't=2']],
    ['a huge header', 'MALFORMED', `t=${t},v1=${'a'.repeat(64)},x=${'y'.repeat(2000)}`],
  ])('refuses %s as %s', (_what, reason, header) => {
    expect(verify({ header })).toEqual({ ok: false, reason });
  });

  it('accepts any one matching v1 among several (key rotation) and ignores unknown schemes', () => {
    const good = signPayload(secret, body, t).split(',')[1];
    expect(verify({ header: `t=${t},v1=${'0'.repeat(64)},${good},v2=whatever` })).toEqual({
      ok: true,
      timestamp: t,
    });
  });

  it('matches an independent implementation of the documented scheme', () => {
    // What a receiver in another language computes from the README's description.
    const master = 'another-master-key-0123456789abcdef';
    const id = '7b1c0d2e-5f9a-4c3b-8e6d-1a2b3c4d5e6f';
    const expectedSecret = createHmac('sha256', master)
      .update('cla-graph-webhook:' + id)
      .digest('base64url');
    expect(subscriptionSecret(master, id)).toBe(expectedSecret);

    const timestamp = 1772443800;
    const v1 = createHmac('sha256', expectedSecret).update(`${timestamp}.${body}`).digest('hex');
    expect(signPayload(expectedSecret, body, timestamp)).toBe(`t=${timestamp},v1=${v1}`);
    expect(
      verifySignature({
        secret: expectedSecret,
        body,
        header: `t=${timestamp}, v1=${v1}`,
        now: new Date(timestamp * 1000 + 1000),
      }),
    ).toEqual({ ok: true, timestamp });
  });

  it('refuses a timestamp that is not whole seconds when signing', () => {
    expect(() => signPayload(secret, body, 1.5)).toThrow(/whole unix seconds/);
  });
});
