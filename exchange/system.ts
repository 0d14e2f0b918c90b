/**
 * The exchange as the all-in-one system (`npm start`, the tests) runs it: partners from
 * EXCHANGE_PARTNERS, and, unless EXCHANGE_TOKEN_URL names another issuer, tokens from the
 * system's own development issuer, which then registers our client (EXCHANGE_CLIENT_ID,
 * default `cla-graph-<our code>`; EXCHANGE_CLIENT_SECRET, default generated per start) for
 * the partners' audiences.
 */
import { randomBytes } from 'node:crypto';
import type { CredentialsClient } from '../identity/dev-issuer/client-credentials';
import type { PartnerRegisterStore } from '../stores/partner-registers/partner-register-store';
import { loadExchangeSettings, type ExchangeSettings } from './config';
import { PlacedPupilPush } from './placed-pupil-push';
import { RegisterSync } from './register-sync';

export interface SystemExchange {
  settings: ExchangeSettings;
  /** The client the development issuer must know (none when another issuer is named). */
  issuerClients: CredentialsClient[] | undefined;
  /** The sync, once the issuer's URL is known. */
  sync(issuerUrl: string, store: PartnerRegisterStore): RegisterSync;
  /** The sending side of shared information, once the issuer's URL is known. */
  push(issuerUrl: string): PlacedPupilPush;
}

/** Stands in until the development issuer listens (its URL is known only then). */
const PENDING_ISSUER = 'http://127.0.0.1/oauth2/token';

export function exchangeForSystem(env: NodeJS.ProcessEnv, la: string): SystemExchange {
  const ownIssuer = !env.EXCHANGE_TOKEN_URL;
  const clientId = env.EXCHANGE_CLIENT_ID ?? `cla-graph-${la}`;
  const clientSecret = env.EXCHANGE_CLIENT_SECRET ?? randomBytes(24).toString('base64url');
  const settings = loadExchangeSettings(
    {
      ...env,
      EXCHANGE_CLIENT_ID: clientId,
      EXCHANGE_CLIENT_SECRET: clientSecret,
      EXCHANGE_TOKEN_URL: env.EXCHANGE_TOKEN_URL ?? PENDING_ISSUER,
    },
    { allowLocal: true },
  );
  const issuerClients =
    ownIssuer && settings.partners.length > 0
      ? [
          {
            clientId,
            clientSecret,
            la,
            audiences: [...new Set(settings.partners.map((partner) => partner.audience))],
          },
        ]
      : undefined;
  const withIssuer = (issuerUrl: string): ExchangeSettings => ({
    ...settings,
    client: settings.client && {
      ...settings.client,
      ...(ownIssuer ? { tokenUrl: `${issuerUrl}/oauth2/token` } : {}),
    },
  });
  return {
    settings,
    issuerClients,
    sync(issuerUrl, store) {
      return new RegisterSync({ settings: withIssuer(issuerUrl), store });
    },
    push(issuerUrl) {
      return new PlacedPupilPush(withIssuer(issuerUrl));
    },
  };
}
