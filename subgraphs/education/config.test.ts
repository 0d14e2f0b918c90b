import { loadEducationConfig } from './config';

const KEY = 'education-key-for-tests-only';
/** Scope facts come from social care. */
const SOCIAL_CARE_KEY = 'social-care-key-for-tests-only';

describe('loadEducationConfig', () => {
  it('gives development defaults for everything but the API keys and the authority', () => {
    expect(
      loadEducationConfig({
        EDUCATION_API_KEY: KEY,
        SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY,
        LA_CODE: '340',
      }),
    ).toEqual({
      port: 4002,
      host: '127.0.0.1',
      education: {
        baseUrl: 'http://127.0.0.1:4102',
        apiKey: KEY,
        timeoutMs: 2000,
        deadlineMs: 5000,
        retries: 2,
      },
      laCode: '340',
      asOf: undefined,
      production: false,
      scope: {
        homeLa: '340',
        socialCare: { baseUrl: 'http://127.0.0.1:4101', apiKey: SOCIAL_CARE_KEY },
        education: { baseUrl: 'http://127.0.0.1:4102', apiKey: KEY },
        timeoutMs: 2000,
        deadlineMs: 5000,
        // None by default: a subgraph on its own must be told (requireStandaloneIdentity).
        gatewayJwksUrl: undefined,
        seenTokens: { redisUrl: undefined, keyPrefix: 'cla-graph:seen-jti:' },
      },
    });
  });

  it('reads every variable, and scope agrees on the system and the authority', () => {
    const config = loadEducationConfig({
      PORT: '5002',
      EDUCATION_URL: 'https://education.example.test',
      EDUCATION_API_KEY: KEY,
      EDUCATION_TIMEOUT_MS: '900',
      EDUCATION_DEADLINE_MS: '3000',
      EDUCATION_RETRIES: '0',
      LA_CODE: '359',
      AS_OF: '2025-11-14',
      NODE_ENV: 'production',
      SOCIAL_CARE_URL: 'https://social-care.example.test',
      SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY,
      GATEWAY_JWKS_URL: 'https://gateway.example.test/.well-known/jwks.json',
    });
    expect(config).toMatchObject({
      port: 5002,
      education: {
        baseUrl: 'https://education.example.test',
        apiKey: KEY,
        timeoutMs: 900,
        deadlineMs: 3000,
        retries: 0,
      },
      laCode: '359',
      asOf: '2025-11-14',
      production: true,
      scope: {
        homeLa: '359',
        socialCare: { baseUrl: 'https://social-care.example.test', apiKey: SOCIAL_CARE_KEY },
        education: { baseUrl: 'https://education.example.test', apiKey: KEY },
        gatewayJwksUrl: 'https://gateway.example.test/.well-known/jwks.json',
      },
    });
  });

  it('requires both API keys, and says so without echoing values', () => {
    expect(() => loadEducationConfig({ SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY })).toThrow(
      /EDUCATION_API_KEY/,
    );
    expect(() => loadEducationConfig({ EDUCATION_API_KEY: KEY, LA_CODE: '340' })).toThrow(
      /SOCIAL_CARE_API_KEY/,
    );
    expect(() =>
      loadEducationConfig({ EDUCATION_API_KEY: 'short', SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY }),
    ).toThrow(/EDUCATION_API_KEY: must be at least 16/);
    expect(() =>
      loadEducationConfig({ EDUCATION_API_KEY: 'short', SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY }),
    ).not.toThrow(/short/);
  });

  it('rejects a malformed LA code or URL', () => {
    const base = { EDUCATION_API_KEY: KEY, SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY, LA_CODE: '340' };
    expect(() => loadEducationConfig({ ...base, LA_CODE: '34' })).toThrow(/LA_CODE/);
    expect(() => loadEducationConfig({ ...base, SOCIAL_CARE_URL: 'not a url' })).toThrow(
      /SOCIAL_CARE_URL/,
    );
  });

  it('has no default authority, and trusts gateway keys only over HTTPS off this machine', () => {
    const base = { EDUCATION_API_KEY: KEY, SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY };
    expect(() => loadEducationConfig(base)).toThrow(/LA_CODE: required/);
    for (const url of [
      'http://gateway.example.test/.well-known/jwks.json',
      'https://localhost:4000/.well-known/jwks.json',
      'https://127.0.0.1/.well-known/jwks.json',
    ]) {
      const env = { ...base, LA_CODE: '359', GATEWAY_JWKS_URL: url };
      // NODE_ENV unset is not development.
      expect(() => loadEducationConfig(env)).toThrow(/GATEWAY_JWKS_URL: must/);
      expect(() => loadEducationConfig({ ...env, NODE_ENV: 'production' })).toThrow(
        /GATEWAY_JWKS_URL/,
      );
      expect(loadEducationConfig({ ...env, NODE_ENV: 'development' }).scope.gatewayJwksUrl).toBe(
        url,
      );
    }
  });
});
