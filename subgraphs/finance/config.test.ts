import { loadFinanceConfig } from './config';

const KEY = 'finance-key-for-tests-only';
/** The credentials scope look-ups need: social care facts and school rolls. */
const SCOPE_KEYS = {
  SOCIAL_CARE_API_KEY: 'social-care-key-for-tests-only',
  EDUCATION_API_KEY: 'education-key-for-tests-only',
};

describe('loadFinanceConfig', () => {
  it('gives development defaults for everything but the API keys and the authority', () => {
    expect(loadFinanceConfig({ FINANCE_API_KEY: KEY, ...SCOPE_KEYS, LA_CODE: '340' })).toEqual({
      port: 4003,
      host: '127.0.0.1',
      finance: {
        baseUrl: 'http://127.0.0.1:4103',
        apiKey: KEY,
        timeoutMs: 2000,
        deadlineMs: 5000,
        retries: 2,
      },
      asOf: undefined,
      production: false,
      scope: {
        homeLa: '340',
        socialCare: {
          baseUrl: 'http://127.0.0.1:4101',
          apiKey: SCOPE_KEYS.SOCIAL_CARE_API_KEY,
        },
        education: { baseUrl: 'http://127.0.0.1:4102', apiKey: SCOPE_KEYS.EDUCATION_API_KEY },
        timeoutMs: 2000,
        deadlineMs: 5000,
        // None by default: a subgraph on its own must be told (requireStandaloneIdentity).
        gatewayJwksUrl: undefined,
        seenTokens: { redisUrl: undefined, keyPrefix: 'cla-graph:seen-jti:' },
      },
    });
  });

  it('reads every variable', () => {
    const config = loadFinanceConfig({
      ...SCOPE_KEYS,
      PORT: '5003',
      FINANCE_URL: 'https://finance.example.test',
      FINANCE_API_KEY: KEY,
      FINANCE_TIMEOUT_MS: '900',
      FINANCE_DEADLINE_MS: '3000',
      FINANCE_RETRIES: '0',
      AS_OF: '2025-11-14',
      NODE_ENV: 'production',
      SOCIAL_CARE_URL: 'https://social-care.example.test',
      LA_CODE: '359',
      GATEWAY_JWKS_URL: 'https://gateway.example.test/.well-known/jwks.json',
    });
    expect(config.port).toBe(5003);
    expect(config.finance).toEqual({
      baseUrl: 'https://finance.example.test',
      apiKey: KEY,
      timeoutMs: 900,
      deadlineMs: 3000,
      retries: 0,
    });
    expect(config.asOf).toBe('2025-11-14');
    expect(config.production).toBe(true);
    expect(config.scope).toMatchObject({
      homeLa: '359',
      socialCare: { baseUrl: 'https://social-care.example.test' },
      gatewayJwksUrl: 'https://gateway.example.test/.well-known/jwks.json',
    });
  });

  it('requires the API keys, and says so without echoing values', () => {
    expect(() => loadFinanceConfig({ ...SCOPE_KEYS })).toThrow(/FINANCE_API_KEY/);
    expect(() => loadFinanceConfig({ ...SCOPE_KEYS, FINANCE_API_KEY: 'short' })).toThrow(
      /FINANCE_API_KEY: must be at least 16/,
    );
    expect(() => loadFinanceConfig({ ...SCOPE_KEYS, FINANCE_API_KEY: 'short' })).not.toThrow(
      /short/,
    );
    // Scope cannot be enforced without social care's facts.
    expect(() =>
      loadFinanceConfig({ FINANCE_API_KEY: KEY, EDUCATION_API_KEY: SCOPE_KEYS.EDUCATION_API_KEY }),
    ).toThrow(/SOCIAL_CARE_API_KEY/);
  });

  it('rejects a malformed AS_OF or URL', () => {
    const base = { FINANCE_API_KEY: KEY, ...SCOPE_KEYS, LA_CODE: '340' };
    expect(() => loadFinanceConfig({ ...base, AS_OF: '14/11/2025' })).toThrow(/AS_OF/);
    expect(() => loadFinanceConfig({ ...base, FINANCE_URL: 'not a url' })).toThrow(/FINANCE_URL/);
    expect(() => loadFinanceConfig({ ...base, GATEWAY_JWKS_URL: 'not a url' })).toThrow(
      /GATEWAY_JWKS_URL/,
    );
  });

  it('has no default authority, and trusts gateway keys only over HTTPS off this machine', () => {
    const base = { FINANCE_API_KEY: KEY, ...SCOPE_KEYS };
    expect(() => loadFinanceConfig(base)).toThrow(/LA_CODE: required/);
    for (const url of [
      'http://gateway.example.test/.well-known/jwks.json',
      'https://localhost:4000/.well-known/jwks.json',
      'https://127.0.0.1/.well-known/jwks.json',
    ]) {
      const env = { ...base, LA_CODE: '359', GATEWAY_JWKS_URL: url };
      // NODE_ENV unset is not development.
      expect(() => loadFinanceConfig(env)).toThrow(/GATEWAY_JWKS_URL: must/);
      expect(() => loadFinanceConfig({ ...env, NODE_ENV: 'production' })).toThrow(
        /GATEWAY_JWKS_URL/,
      );
      expect(loadFinanceConfig({ ...env, NODE_ENV: 'development' }).scope.gatewayJwksUrl).toBe(url);
    }
  });
});
