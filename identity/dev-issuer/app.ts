/**
 * The development OIDC issuer: publishes its discovery document and JWKS as a real provider
 * does, so the gateway verifies development tokens exactly as it will Entra ID's. It exists
 * only outside production. Given the seeded personas, it also hands out their tokens, as
 * `npm run token` does, to the gateway's development explorer (`gateway/explorer/`); without
 * them it has no endpoint that hands out tokens.
 */
import express from 'express';
import type { Persona } from '../personas';
import { clientCredentialsRoutes, type CredentialsClient } from './client-credentials';
import type { DevIssuerKey } from './signing-key';
import { mintPersonaToken } from './tokens';

/** The personas whose tokens the issuer hands out, and the audience it mints them for. */
export interface PersonaTokens {
  personas: readonly Persona[];
  audience: string;
}

export function createDevIssuerApp(
  key: DevIssuerKey,
  issuerUrl: string,
  personaTokens?: PersonaTokens,
  /** Systems that may ask for client-credentials tokens (`POST /oauth2/token`); none when absent. */
  credentialsClients?: readonly CredentialsClient[],
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: issuerUrl,
      jwks_uri: `${issuerUrl}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['ES256'],
      response_types_supported: ['token'],
      ...(credentialsClients && credentialsClients.length > 0
        ? {
            token_endpoint: `${issuerUrl}/oauth2/token`,
            grant_types_supported: ['client_credentials'],
          }
        : {}),
      subject_types_supported: ['public'],
    });
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ keys: [key.publicJwk] });
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  if (personaTokens) personaTokenRoutes(app, key, issuerUrl, personaTokens);
  if (credentialsClients && credentialsClients.length > 0) {
    clientCredentialsRoutes(app, key, issuerUrl, credentialsClients);
  }
  return app;
}

/**
 * `GET /personas` (who they are) and `POST /personas/<name>/token` (a token valid 8 hours,
 * as `npm run token` prints). No CORS headers: a page on another origin cannot read them.
 */
function personaTokenRoutes(
  app: express.Express,
  key: DevIssuerKey,
  issuerUrl: string,
  { personas, audience }: PersonaTokens,
): void {
  app.get('/personas', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      personas: personas.map(({ name, description, roles }) => ({ name, description, roles })),
    });
  });
  app.post('/personas/:name/token', async (req, res) => {
    const persona = personas.find((candidate) => candidate.name === req.params.name);
    if (!persona) {
      res.status(404).json({ error: 'no such persona' });
      return;
    }
    const token = await mintPersonaToken(key, persona, {
      issuer: issuerUrl,
      audience,
      expiresIn: '8h',
    });
    res.set('Cache-Control', 'no-store').json({ token });
  });
}
