import { loadEducationConfig } from './config';

const KEY = 'education-key-for-tests-only';
/** Scope facts come from social care. */
const SOCIAL_CARE_KEY = 'social-care-key-for-tests-only';

describe('loadEducationConfig', () => {
  it('gives development defaults for everything but the API keys', () => {
    expect(
      loadEducationConfig({ EDUCATION_API_KEY: KEY, SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY }),
    ).toEqual({
      port: 4002,
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
        gatewayJwksUrl: 'http://127.0.0.1:4000/.well-known/jwks.json',
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
    expect(() => loadEducationConfig({ EDUCATION_API_KEY: KEY })).toThrow(/SOCIAL_CARE_API_KEY/);
    expect(() =>
      loadEducationConfig({ EDUCATION_API_KEY: 'short', SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY }),
    ).toThrow(/EDUCATION_API_KEY: must be at least 16/);
    expect(() =>
      loadEducationConfig({ EDUCATION_API_KEY: 'short', SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY }),
    ).not.toThrow(/short/);
  });

  it('rejects a malformed LA code or URL', () => {
    const base = { EDUCATION_API_KEY: KEY, SOCIAL_CARE_API_KEY: SOCIAL_CARE_KEY };
    expect(() => loadEducationConfig({ ...base, LA_CODE: '34' })).toThrow(/LA_CODE/);
    expect(() => loadEducationConfig({ ...base, SOCIAL_CARE_URL: 'not a url' })).toThrow(
      /SOCIAL_CARE_URL/,
    );
  });
});
