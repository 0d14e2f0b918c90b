/**
 * Our client-credentials tokens for partner authorities' gateways, from our own issuer
 * (`EXCHANGE_TOKEN_URL`): one per audience, kept until a minute before it expires, asked for
 * with a deadline and never retried within a run (the next run asks again).
 */
import type { ExchangeSettings } from './config';

/** Thrown when no token could be had; says nothing of the issuer's answer. */
export class TokenUnavailableError extends Error {
  constructor(readonly reason: 'timeout' | 'network' | 'refused' | 'malformed') {
    super(`client token unavailable (${reason})`);
  }
}

/** Renew this long before expiry, so a token never lapses mid-sync. */
const RENEW_BEFORE_MS = 60_000;

export class ClientCredentialsTokens {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly client: NonNullable<ExchangeSettings['client']>,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Requests this client made of the issuer (the sync's report counts them). */
  requests = 0;

  async tokenFor(audience: string): Promise<string> {
    const held = this.cache.get(audience);
    if (held && held.expiresAt - RENEW_BEFORE_MS > this.now()) return held.token;
    this.requests += 1;
    let response: Response;
    try {
      response = await fetch(this.client.tokenUrl, {
        method: 'POST',
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(
            `${encodeURIComponent(this.client.clientId)}:${encodeURIComponent(this.client.clientSecret)}`,
          ).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', audience }).toString(),
      });
    } catch (error) {
      throw new TokenUnavailableError(isTimeout(error) ? 'timeout' : 'network');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new TokenUnavailableError('refused');
    }
    const body = (await response.json().catch(() => null)) as {
      access_token?: unknown;
      expires_in?: unknown;
    } | null;
    const token = body?.access_token;
    const expiresIn = body?.expires_in;
    if (typeof token !== 'string' || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new TokenUnavailableError('malformed');
    }
    this.cache.set(audience, { token, expiresAt: this.now() + expiresIn * 1_000 });
    return token;
  }
}

/** An aborted deadline (a DOMException, which is not an `Error` of this realm under Jest). */
function isTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'TimeoutError'
  );
}
