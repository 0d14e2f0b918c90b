import { loadNeedToKnowConfig } from './config';

/** The credentials scope look-ups need: social care facts, school rolls and staff. */
const SCOPE_KEYS = {
  SOCIAL_CARE_API_KEY: 'social-care-key-for-tests-only',
  EDUCATION_API_KEY: 'education-key-for-tests-only',
};

describe('loadNeedToKnowConfig', () => {
  it('gives development defaults for everything but the API keys and the authority', () => {
    expect(loadNeedToKnowConfig({ ...SCOPE_KEYS, LA_CODE: '340' })).toEqual({
      port: 4004,
      host: '127.0.0.1',
      production: false,
      scope: {
        homeLa: '340',
        socialCare: { baseUrl: 'http://127.0.0.1:4101', apiKey: SCOPE_KEYS.SOCIAL_CARE_API_KEY },
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
    const config = loadNeedToKnowConfig({
      ...SCOPE_KEYS,
      PORT: '5004',
      NODE_ENV: 'production',
      EDUCATION_URL: 'https://education.example.test',
      LA_CODE: '359',
      GATEWAY_JWKS_URL: 'https://gateway.example.test/.well-known/jwks.json',
    });
    expect(config.port).toBe(5004);
    expect(config.production).toBe(true);
    expect(config.scope).toMatchObject({
      homeLa: '359',
      education: { baseUrl: 'https://education.example.test' },
      gatewayJwksUrl: 'https://gateway.example.test/.well-known/jwks.json',
    });
  });

  it('requires the scope keys, and says so without echoing values', () => {
    expect(() =>
      loadNeedToKnowConfig({ SOCIAL_CARE_API_KEY: SCOPE_KEYS.SOCIAL_CARE_API_KEY }),
    ).toThrow(/EDUCATION_API_KEY/);
    expect(() => loadNeedToKnowConfig({ ...SCOPE_KEYS, SOCIAL_CARE_API_KEY: 'short' })).toThrow(
      /SOCIAL_CARE_API_KEY: must be at least 16/,
    );
    expect(() => loadNeedToKnowConfig({ ...SCOPE_KEYS, SOCIAL_CARE_API_KEY: 'short' })).not.toThrow(
      /short/,
    );
  });

  it('rejects a malformed port or URL', () => {
    const base = { ...SCOPE_KEYS, LA_CODE: '340' };
    expect(() => loadNeedToKnowConfig({ ...base, PORT: 'http' })).toThrow(/PORT/);
    expect(() => loadNeedToKnowConfig({ ...base, GATEWAY_JWKS_URL: 'not a url' })).toThrow(
      /GATEWAY_JWKS_URL/,
    );
  });

  it('has no default authority, and trusts gateway keys only over HTTPS off this machine', () => {
    const base = { ...SCOPE_KEYS };
    expect(() => loadNeedToKnowConfig(base)).toThrow(/LA_CODE: required/);
    for (const url of [
      'http://gateway.example.test/.well-known/jwks.json',
      'https://localhost:4000/.well-known/jwks.json',
      'https://127.0.0.1/.well-known/jwks.json',
    ]) {
      const env = { ...base, LA_CODE: '359', GATEWAY_JWKS_URL: url };
      // NODE_ENV unset is not development.
      expect(() => loadNeedToKnowConfig(env)).toThrow(/GATEWAY_JWKS_URL: must/);
      expect(() => loadNeedToKnowConfig({ ...env, NODE_ENV: 'production' })).toThrow(
        /GATEWAY_JWKS_URL/,
      );
      expect(loadNeedToKnowConfig({ ...env, NODE_ENV: 'development' }).scope.gatewayJwksUrl).toBe(
        url,
      );
    }
  });
});
