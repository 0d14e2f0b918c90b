/**
 * The gateway trusts no issuer it was not told about: issuer, audience and keys are always
 * explicit, and outside explicit development they are HTTPS and not this machine.
 */
import { loadGatewayConfig } from './config';

const IDENTITY = {
  OIDC_ISSUER: 'https://login.example.test/tenant/v2.0',
  OIDC_AUDIENCE: 'api://cla-graph',
  OIDC_JWKS_URL: 'https://login.example.test/tenant/discovery/v2.0/keys',
};

describe('loadGatewayConfig', () => {
  it('takes the identity settings as given, deriving nothing', () => {
    expect(loadGatewayConfig(IDENTITY).oidc).toEqual({
      issuer: IDENTITY.OIDC_ISSUER,
      audience: IDENTITY.OIDC_AUDIENCE,
      jwksUrl: IDENTITY.OIDC_JWKS_URL,
      publicKeyPem: undefined,
      publicKeyAlgorithm: 'RS256',
    });
    const withKey = loadGatewayConfig({
      OIDC_ISSUER: IDENTITY.OIDC_ISSUER,
      OIDC_AUDIENCE: IDENTITY.OIDC_AUDIENCE,
      OIDC_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----',
    });
    expect(withKey.oidc.jwksUrl).toBeUndefined();
  });

  it('refuses to start without issuer, audience and keys, naming each, in any mode', () => {
    for (const NODE_ENV of [undefined, 'development', 'test', 'production']) {
      const attempt = () => loadGatewayConfig({ NODE_ENV });
      expect(attempt).toThrow(/OIDC_ISSUER: required/);
      expect(attempt).toThrow(/OIDC_AUDIENCE: required/);
      expect(attempt).toThrow(/OIDC_JWKS_URL: required \(or OIDC_PUBLIC_KEY\)/);
    }
    expect(() => loadGatewayConfig({ ...IDENTITY, OIDC_AUDIENCE: undefined })).toThrow(
      /^Invalid configuration:\n {2}OIDC_AUDIENCE: required[^\n]*$/,
    );
  });

  it('never trusts the development issuer on this machine unless explicitly in development', () => {
    const local = {
      OIDC_ISSUER: 'http://127.0.0.1:4010',
      OIDC_AUDIENCE: 'api://cla-graph',
      OIDC_JWKS_URL: 'http://127.0.0.1:4010/.well-known/jwks.json',
    };
    // NODE_ENV unset is not development (issue 9, point 10).
    expect(() => loadGatewayConfig(local)).toThrow(/OIDC_ISSUER: must be https/);
    expect(() => loadGatewayConfig(local)).toThrow(/OIDC_JWKS_URL: must be https/);
    expect(() => loadGatewayConfig({ ...local, NODE_ENV: 'test' })).toThrow(/OIDC_ISSUER/);
    expect(() =>
      loadGatewayConfig({ ...local, NODE_ENV: 'production', GATEWAY_SIGNING_KEY: 'pem' }),
    ).toThrow(/OIDC_JWKS_URL/);
    expect(loadGatewayConfig({ ...local, NODE_ENV: 'development' }).oidc.issuer).toBe(
      'http://127.0.0.1:4010',
    );
    // Only code (a test over the development issuer) can lift it, never the environment.
    expect(
      loadGatewayConfig(
        { ...local, NODE_ENV: 'production', GATEWAY_SIGNING_KEY: 'pem' },
        {
          allowLocalIdentity: true,
        },
      ).production,
    ).toBe(true);
  });

  it.each([
    ['plain HTTP', 'http://login.example.test/keys', /must be https/],
    ['localhost over HTTPS', 'https://localhost/keys', /must not be this machine/],
    ['a loopback address', 'https://127.0.0.2:8443/keys', /must not be this machine/],
    ['IPv6 loopback', 'https://[::1]/keys', /must not be this machine/],
  ])('refuses keys from %s outside development', (_label, url, message) => {
    expect(() => loadGatewayConfig({ ...IDENTITY, OIDC_JWKS_URL: url })).toThrow(message);
    expect(() => loadGatewayConfig({ ...IDENTITY, OIDC_JWKS_URL: url })).toThrow(/OIDC_JWKS_URL/);
  });

  it('still requires the signing key in production', () => {
    expect(() => loadGatewayConfig({ ...IDENTITY, NODE_ENV: 'production' })).toThrow(
      /GATEWAY_SIGNING_KEY: required in production/,
    );
  });
});
