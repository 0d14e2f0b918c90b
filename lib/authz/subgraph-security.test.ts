/**
 * A subgraph started on its own is told whose keys to trust and which authority it serves;
 * it assumes neither. Used gateway tokens are remembered in Redis when REDIS_URL is set.
 */
import { loadScopeConfig, requireStandaloneIdentity } from './subgraph-security';

const KEYS = {
  SOCIAL_CARE_API_KEY: 'social-care-key-for-tests-only',
  EDUCATION_API_KEY: 'education-key-for-tests-only',
};

describe('requireStandaloneIdentity', () => {
  it('names every missing identity setting in one message', () => {
    expect(() => requireStandaloneIdentity({})).toThrow(
      /^Missing required settings: GATEWAY_JWKS_URL \(.*\), LA_CODE \(.*\)\. .*`npm start`/,
    );
    expect(() =>
      requireStandaloneIdentity({ GATEWAY_JWKS_URL: 'https://gateway.example.test/jwks' }),
    ).toThrow(/^Missing required settings: LA_CODE \(/);
    expect(() => requireStandaloneIdentity({ LA_CODE: '359', GATEWAY_JWKS_URL: ' ' })).toThrow(
      /GATEWAY_JWKS_URL/,
    );
  });

  it('lets a subgraph start once both are given', () => {
    expect(() =>
      requireStandaloneIdentity({
        LA_CODE: '359',
        GATEWAY_JWKS_URL: 'https://gateway.example.test/.well-known/jwks.json',
      }),
    ).not.toThrow();
  });
});

describe('loadScopeConfig', () => {
  it('has no default authority code', () => {
    expect(() => loadScopeConfig(KEYS)).toThrow(/LA_CODE: required/);
    expect(loadScopeConfig({ ...KEYS, LA_CODE: '359' }).homeLa).toBe('359');
  });

  it('reads where used gateway tokens are remembered', () => {
    expect(loadScopeConfig({ ...KEYS, LA_CODE: '359' }).seenTokens).toEqual({
      redisUrl: undefined,
      keyPrefix: 'cla-graph:seen-jti:',
    });
    expect(
      loadScopeConfig({
        ...KEYS,
        LA_CODE: '359',
        REDIS_URL: 'redis://redis.internal:6379',
        SEEN_TOKEN_KEY_PREFIX: 'wigan:jti:',
      }).seenTokens,
    ).toEqual({ redisUrl: 'redis://redis.internal:6379', keyPrefix: 'wigan:jti:' });
    expect(() => loadScopeConfig({ ...KEYS, LA_CODE: '359', REDIS_URL: 'nope' })).toThrow(
      /REDIS_URL/,
    );
  });

  it('takes the gateway keys over HTTPS off this machine, unless explicitly in development', () => {
    const base = { ...KEYS, LA_CODE: '359' };
    const remote = 'https://gateway.internal.example.test/.well-known/jwks.json';
    expect(loadScopeConfig({ ...base, GATEWAY_JWKS_URL: remote }).gatewayJwksUrl).toBe(remote);
    const local = 'http://127.0.0.1:4000/.well-known/jwks.json';
    expect(() => loadScopeConfig({ ...base, GATEWAY_JWKS_URL: local })).toThrow(
      /GATEWAY_JWKS_URL: must be https/,
    );
    expect(
      loadScopeConfig({ ...base, GATEWAY_JWKS_URL: local, NODE_ENV: 'development' }).gatewayJwksUrl,
    ).toBe(local);
  });
});
