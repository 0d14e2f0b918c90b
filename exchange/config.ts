/**
 * The authority-to-authority exchange's settings (issue 15, point 3), parsed once from the
 * environment:
 *
 * - what we read: `EXCHANGE_PARTNERS`, the partner authorities (code, their gateway's base URL,
 *   their API's audience), and how we get a token for them: `EXCHANGE_TOKEN_URL`,
 *   `EXCHANGE_CLIENT_ID`, `EXCHANGE_CLIENT_SECRET` (our issuer's client-credentials grant);
 *   how often (`EXCHANGE_SYNC_INTERVAL_MS`, daily) and how long one request may take
 *   (`EXCHANGE_TIMEOUT_MS`);
 * - whom we let read ours: `PARTNER_ISSUERS`, each partner authority's issuer and JWKS, read by
 *   the gateway (`gateway/config.ts`).
 *
 * No partners, no exchange: both lists are empty unless set.
 */
import { z } from 'zod';
import { LA_CODE } from '../domain/identifiers';
import { milliseconds, parseEnv, untrustworthyIdentityUrl } from '../lib/config';

/** A partner authority whose register we read. */
export interface ExchangePartner {
  /** Its 3-digit code: only entries for its own schools are kept. */
  la: string;
  /** Its CLA Graph gateway, e.g. https://cla-graph.wigan.example.gov.uk (no trailing path). */
  gatewayUrl: string;
  /** The audience its gateway expects in our token (its OIDC_AUDIENCE). */
  audience: string;
}

/** A partner authority's issuer, trusted for its client-credentials tokens only. */
export interface PartnerIssuer {
  la: string;
  issuer: string;
  jwksUrl: string;
}

export interface ExchangeSettings {
  partners: ExchangePartner[];
  /** Our issuer's token endpoint and our client there; null when there are no partners. */
  client: { tokenUrl: string; clientId: string; clientSecret: string } | null;
  syncIntervalMs: number;
  timeoutMs: number;
}

const laCode = z.string().regex(LA_CODE, 'a 3-digit authority code');

const jsonList = <T extends z.ZodTypeAny>(item: T) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return [];
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
        return z.NEVER;
      }
    })
    .pipe(z.array(item).max(200));

const partnerShape = z
  .object({ la: laCode, gatewayUrl: z.string().url(), audience: z.string().min(1).max(200) })
  .strict();

const issuerShape = z
  .object({ la: laCode, issuer: z.string().url(), jwksUrl: z.string().url() })
  .strict();

/** Where the sync process (`exchange/main.ts`) serves its health checks unless PORT says otherwise. */
export const EXCHANGE_SYNC_DEFAULT_PORT = 4009;

/** One day: registers change a few times a term. */
export const DEFAULT_SYNC_INTERVAL_MS = 86_400_000;

const exchangeSchema = (developmentIdentity: boolean) =>
  z
    .object({
      EXCHANGE_PARTNERS: jsonList(partnerShape),
      EXCHANGE_TOKEN_URL: z.string().url().optional(),
      EXCHANGE_CLIENT_ID: z.string().min(1).max(200).optional(),
      EXCHANGE_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
      EXCHANGE_SYNC_INTERVAL_MS: z.coerce
        .number()
        .int()
        .min(60_000)
        .max(7 * DEFAULT_SYNC_INTERVAL_MS)
        .default(DEFAULT_SYNC_INTERVAL_MS),
      EXCHANGE_TIMEOUT_MS: milliseconds(10_000),
    })
    .superRefine((env, ctx) => {
      // A list that did not parse is reported already.
      if (!Array.isArray(env.EXCHANGE_PARTNERS)) return;
      const codes = env.EXCHANGE_PARTNERS.map((partner) => partner.la);
      if (new Set(codes).size !== codes.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['EXCHANGE_PARTNERS'],
          message: 'one entry per authority',
        });
      }
      if (env.EXCHANGE_PARTNERS.length === 0) return;
      for (const name of [
        'EXCHANGE_TOKEN_URL',
        'EXCHANGE_CLIENT_ID',
        'EXCHANGE_CLIENT_SECRET',
      ] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required when EXCHANGE_PARTNERS is set',
          });
        }
      }
      if (developmentIdentity) return;
      const urls: Array<[string, string | undefined]> = [
        ['EXCHANGE_TOKEN_URL', env.EXCHANGE_TOKEN_URL],
        ...env.EXCHANGE_PARTNERS.map((p): [string, string] => ['EXCHANGE_PARTNERS', p.gatewayUrl]),
      ];
      for (const [name, url] of urls) {
        const problem = url ? untrustworthyIdentityUrl(url) : null;
        if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
      }
    });

export interface ExchangeConfigOptions {
  /** Partners and issuers on this machine over plain HTTP (tests, `npm start`). Code only. */
  allowLocal?: boolean;
}

export function loadExchangeSettings(
  env: NodeJS.ProcessEnv = process.env,
  options: ExchangeConfigOptions = {},
): ExchangeSettings {
  const local = options.allowLocal === true || env.NODE_ENV === 'development';
  const parsed = parseEnv(exchangeSchema(local), env);
  const client =
    parsed.EXCHANGE_TOKEN_URL && parsed.EXCHANGE_CLIENT_ID && parsed.EXCHANGE_CLIENT_SECRET
      ? {
          tokenUrl: parsed.EXCHANGE_TOKEN_URL,
          clientId: parsed.EXCHANGE_CLIENT_ID,
          clientSecret: parsed.EXCHANGE_CLIENT_SECRET,
        }
      : null;
  return {
    partners: parsed.EXCHANGE_PARTNERS.map((partner) => ({
      ...partner,
      gatewayUrl: partner.gatewayUrl.replace(/\/+$/, ''),
    })),
    client,
    syncIntervalMs: parsed.EXCHANGE_SYNC_INTERVAL_MS,
    timeoutMs: parsed.EXCHANGE_TIMEOUT_MS,
  };
}

/**
 * `PARTNER_ISSUERS` as the gateway's schema reads it: a JSON array of `{la, issuer, jwksUrl}`,
 * one per authority, HTTPS and not this machine unless `developmentIdentity`.
 */
export const partnerIssuersSetting = (developmentIdentity: boolean) =>
  jsonList(issuerShape).superRefine((issuers, ctx) => {
    if (!Array.isArray(issuers)) return;
    const codes = issuers.map((entry) => entry.la);
    const names = issuers.map((entry) => entry.issuer);
    if (new Set(codes).size !== codes.length || new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', message: 'one entry per authority and per issuer' });
    }
    if (developmentIdentity) return;
    for (const entry of issuers) {
      for (const url of [entry.issuer, entry.jwksUrl]) {
        const problem = untrustworthyIdentityUrl(url);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }
    }
  });
