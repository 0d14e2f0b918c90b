/**
 * The development issuer's OAuth 2.0 client-credentials grant (RFC 6749 section 4.4), as Entra
 * ID gives one council system a token for another's API: `POST /oauth2/token` with
 * `grant_type=client_credentials`, the client's id and secret (HTTP Basic or form fields) and
 * `audience` (the partner API's identifier; `resource` is accepted too, RFC 8707). The token
 * names the client (`sub`, `azp`), this authority (`la`) and only the `placing-authority` role,
 * for one of the audiences the client was registered for, valid a few minutes.
 *
 * Errors are RFC 6749 section 5.2's codes and nothing else: which check failed is not said
 * beyond that, and a wrong secret costs the same comparison as a right one.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import express from 'express';
import { SignJWT } from 'jose';
import { DEV_ISSUER_ALGORITHM, type DevIssuerKey } from './signing-key';

/** One system allowed to ask for tokens: its id, secret, authority and target audiences. */
export interface CredentialsClient {
  clientId: string;
  clientSecret: string;
  /** The 3-digit code of the authority the client belongs to (the token's `la`). */
  la: string;
  /** The audiences (partner APIs) it may ask a token for. */
  audiences: readonly string[];
}

/** How long a client-credentials token lives: short, the sync asks again each run. */
export const CLIENT_TOKEN_SECONDS = 300;

/** The only role a client-credentials token carries. */
export const CLIENT_ROLE = 'placing-authority';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares secrets in constant time (hashed first, so lengths do not show). */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function credentialsOf(req: express.Request): { id: string; secret: string } | null {
  const header = req.get('authorization');
  const basic = header ? /^Basic ([A-Za-z0-9+/=]+)$/.exec(header) : null;
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return null;
    try {
      // RFC 6749 2.3.1: both form-urlencoded before they are joined.
      return {
        id: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    } catch {
      return null;
    }
  }
  const body = req.body as Record<string, unknown>;
  const id = body.client_id;
  const secret = body.client_secret;
  return typeof id === 'string' && typeof secret === 'string' ? { id, secret } : null;
}

function oauthError(res: express.Response, status: number, error: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error });
}

export function clientCredentialsRoutes(
  app: express.Express,
  key: DevIssuerKey,
  issuerUrl: string,
  clients: readonly CredentialsClient[],
): void {
  app.post(
    '/oauth2/token',
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }),
    async (req, res, next) => {
      try {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const credentials = credentialsOf(req);
        // Every client is compared, so an unknown id takes as long as a known one.
        let client: CredentialsClient | null = null;
        for (const candidate of clients) {
          const secretMatches = sameSecret(credentials?.secret ?? '', candidate.clientSecret);
          if (credentials?.id === candidate.clientId && secretMatches) client = candidate;
        }
        if (!client) {
          res.set('WWW-Authenticate', 'Basic realm="oauth2"');
          oauthError(res, 401, 'invalid_client');
          return;
        }
        if (body.grant_type !== 'client_credentials') {
          oauthError(res, 400, 'unsupported_grant_type');
          return;
        }
        const audience = body.audience ?? body.resource;
        if (typeof audience !== 'string' || !client.audiences.includes(audience)) {
          oauthError(res, 400, 'invalid_target');
          return;
        }
        const token = await new SignJWT({
          roles: [CLIENT_ROLE],
          la: client.la,
          azp: client.clientId,
        })
          .setProtectedHeader({ alg: DEV_ISSUER_ALGORITHM, kid: key.kid, typ: 'JWT' })
          .setSubject(client.clientId)
          .setIssuer(issuerUrl)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime(`${CLIENT_TOKEN_SECONDS}s`)
          .sign(key.privateKey);
        res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
          access_token: token,
          token_type: 'Bearer',
          expires_in: CLIENT_TOKEN_SECONDS,
        });
      } catch (error) {
        next(error);
      }
    },
  );
}
