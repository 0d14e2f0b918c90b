/**
 * The development OIDC issuer: publishes its discovery document and JWKS as a real provider
 * does, so the gateway verifies development tokens exactly as it will Entra ID's. It exists
 * only outside production; it has no endpoint that hands out tokens (use `npm run token`).
 */
import express from 'express';
import type { DevIssuerKey } from './signing-key';

export function createDevIssuerApp(key: DevIssuerKey, issuerUrl: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: issuerUrl,
      jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['ES256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    });
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ keys: [key.publicJwk] });
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return app;
}
