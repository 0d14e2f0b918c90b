import { z } from 'zod';
import { loadExchangeSettings, partnerIssuersSetting } from './config';

describe('loadExchangeSettings', () => {
  it('has no partners and no client unless configured; a daily sync', () => {
    expect(loadExchangeSettings({})).toEqual({
      partners: [],
      client: null,
      syncIntervalMs: 86_400_000,
      timeoutMs: 10_000,
    });
  });

  it('needs our client when there are partners, and HTTPS elsewhere than this machine', () => {
    const partners = JSON.stringify([
      { la: '359', gatewayUrl: 'http://127.0.0.1:4000', audience: 'api://x' },
    ]);
    expect(() => loadExchangeSettings({ EXCHANGE_PARTNERS: partners })).toThrow(
      /EXCHANGE_TOKEN_URL.*\n.*EXCHANGE_CLIENT_ID.*\n.*EXCHANGE_CLIENT_SECRET/,
    );
    expect(() =>
      loadExchangeSettings({
        EXCHANGE_PARTNERS: partners,
        EXCHANGE_TOKEN_URL: 'https://login.example.gov.uk/token',
        EXCHANGE_CLIENT_ID: 'cla-graph-340',
        EXCHANGE_CLIENT_SECRET: 'a-long-enough-test-secret',
      }),
    ).toThrow(/EXCHANGE_PARTNERS/);
    expect(() => loadExchangeSettings({ EXCHANGE_PARTNERS: 'not json' })).toThrow(
      /must be a JSON array/,
    );
    expect(() =>
      loadExchangeSettings({
        EXCHANGE_PARTNERS: JSON.stringify([
          { la: '359', gatewayUrl: 'https://a.example', audience: 'x' },
          { la: '359', gatewayUrl: 'https://b.example', audience: 'y' },
        ]),
      }),
    ).toThrow(/one entry per authority/);
  });
});

describe('PARTNER_ISSUERS', () => {
  const parse = (value: string | undefined, development = false) =>
    z.object({ PARTNER_ISSUERS: partnerIssuersSetting(development) }).safeParse({
      PARTNER_ISSUERS: value,
    });
  const issuer = (la: string, host: string) => ({
    la,
    issuer: `https://${host}/`,
    jwksUrl: `https://${host}/keys`,
  });

  it('is none when unset, and one issuer per authority', () => {
    expect(parse(undefined)).toMatchObject({ success: true, data: { PARTNER_ISSUERS: [] } });
    const two = [issuer('359', 'login.wigan.example'), issuer('341', 'login.liverpool.example')];
    expect(parse(JSON.stringify(two))).toMatchObject({
      success: true,
      data: { PARTNER_ISSUERS: two },
    });
    const twice = [issuer('359', 'a.example'), issuer('359', 'b.example')];
    expect(parse(JSON.stringify(twice)).success).toBe(false);
  });

  it('trusts keys on this machine or over plain HTTP in development only', () => {
    const local = JSON.stringify([
      { la: '359', issuer: 'http://127.0.0.1:4010', jwksUrl: 'http://127.0.0.1:4010/jwks' },
    ]);
    expect(parse(local).success).toBe(false);
    expect(parse(local, true).success).toBe(true);
    expect(
      parse('[{"la":"35","issuer":"https://a.example","jwksUrl":"https://a.example/k"}]').success,
    ).toBe(false);
    expect(parse('{').success).toBe(false);
  });
});
