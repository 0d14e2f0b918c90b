import { loadSocialCareConfig } from './config';

const KEY = 'social-care-key-for-tests-only';
/** The education credential, for school-roll scope look-ups. */
const EDUCATION_KEY = 'education-key-for-tests-only';

describe('loadSocialCareConfig', () => {
  it('gives development defaults for everything but the API key', () => {
    expect(
      loadSocialCareConfig({
        SOCIAL_CARE_API_KEY: KEY,
        EDUCATION_API_KEY: EDUCATION_KEY,
        LA_CODE: '340',
      }),
    ).toEqual({
      port: 4001,
      host: '127.0.0.1',
      socialCare: {
        baseUrl: 'http://127.0.0.1:4101',
        apiKey: KEY,
        timeoutMs: 2000,
        deadlineMs: 5000,
        retries: 2,
      },
      la: { code: '340', name: 'Knowsley' },
      asOf: undefined,
      production: false,
      scope: {
        homeLa: '340',
        socialCare: { baseUrl: 'http://127.0.0.1:4101', apiKey: KEY },
        education: { baseUrl: 'http://127.0.0.1:4102', apiKey: EDUCATION_KEY },
        timeoutMs: 2000,
        deadlineMs: 5000,
        // None by default: a subgraph on its own must be told (requireStandaloneIdentity).
        gatewayJwksUrl: undefined,
        seenTokens: { redisUrl: undefined, keyPrefix: 'cla-graph:seen-jti:' },
      },
    });
  });

  it('reads every variable', () => {
    const config = loadSocialCareConfig({
      PORT: '5001',
      SOCIAL_CARE_URL: 'https://social-care.example.test',
      SOCIAL_CARE_API_KEY: KEY,
      EDUCATION_API_KEY: EDUCATION_KEY,
      SOCIAL_CARE_TIMEOUT_MS: '900',
      SOCIAL_CARE_DEADLINE_MS: '3000',
      SOCIAL_CARE_RETRIES: '0',
      LA_CODE: '359',
      LA_NAME: 'Wigan',
      AS_OF: '2025-11-14',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      port: 5001,
      socialCare: {
        baseUrl: 'https://social-care.example.test',
        apiKey: KEY,
        timeoutMs: 900,
        deadlineMs: 3000,
        retries: 0,
      },
      la: { code: '359', name: 'Wigan' },
      asOf: '2025-11-14',
      production: true,
    });
    expect(config.scope.homeLa).toBe('359');
    expect(config.scope.socialCare.baseUrl).toBe('https://social-care.example.test');
  });

  it('requires the API key, and says so without echoing values', () => {
    expect(() => loadSocialCareConfig({})).toThrow(/SOCIAL_CARE_API_KEY/);
    expect(() => loadSocialCareConfig({ SOCIAL_CARE_API_KEY: 'short' })).toThrow(
      /SOCIAL_CARE_API_KEY: must be at least 16/,
    );
    expect(() => loadSocialCareConfig({ SOCIAL_CARE_API_KEY: 'short' })).not.toThrow(/short/);
  });

  it('rejects a malformed LA code, AS_OF or URL', () => {
    const base = { SOCIAL_CARE_API_KEY: KEY, EDUCATION_API_KEY: EDUCATION_KEY, LA_CODE: '340' };
    expect(() => loadSocialCareConfig({ ...base, LA_CODE: '34' })).toThrow(/LA_CODE/);
    expect(() => loadSocialCareConfig({ ...base, AS_OF: '14/11/2025' })).toThrow(/AS_OF/);
    expect(() => loadSocialCareConfig({ ...base, SOCIAL_CARE_URL: 'not a url' })).toThrow(
      /SOCIAL_CARE_URL/,
    );
  });

  it('has no default authority, and trusts gateway keys only over HTTPS off this machine', () => {
    const base = { SOCIAL_CARE_API_KEY: KEY, EDUCATION_API_KEY: EDUCATION_KEY };
    expect(() => loadSocialCareConfig(base)).toThrow(/LA_CODE: required/);
    for (const url of [
      'http://gateway.example.test/.well-known/jwks.json',
      'https://localhost:4000/.well-known/jwks.json',
      'https://127.0.0.1/.well-known/jwks.json',
    ]) {
      const env = { ...base, LA_CODE: '359', GATEWAY_JWKS_URL: url };
      // NODE_ENV unset is not development.
      expect(() => loadSocialCareConfig(env)).toThrow(/GATEWAY_JWKS_URL: must/);
      expect(() => loadSocialCareConfig({ ...env, NODE_ENV: 'production' })).toThrow(
        /GATEWAY_JWKS_URL/,
      );
      expect(loadSocialCareConfig({ ...env, NODE_ENV: 'development' }).scope.gatewayJwksUrl).toBe(
        url,
      );
    }
  });
});
