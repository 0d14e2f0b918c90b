/**
 * The sending side of shared information (issue 15, point 3): we, the placing authority, tell
 * a partner authority's CLA Graph what its school's designated teacher should hold about our
 * child on that school's roll (legal status, parental responsibility, social worker, PEP
 * dates), through its `receivePlacedPupilInformation`, under our client-credentials token.
 *
 * Only shares with our consent leave: one without it is never sent. One request per pupil,
 * one after another, each with a deadline; the first failure ends the batch (no retries: the
 * caller sends again later, and the receiver's write is idempotent). The partner's answer is
 * the same whether or not it kept the share, so the report counts what was accepted, not
 * where our children are on its roll.
 */
import type { ExchangeSettings } from './config';
import { ClientCredentialsTokens, TokenUnavailableError } from './token-client';

/** What we share about one child at one of the partner's schools. */
export interface PlacedPupilShare {
  urn: string;
  upn: string;
  legalStatus: string;
  parentalResponsibility: string;
  delegatedAuthority?: string | null;
  socialWorkerName: string;
  socialWorkerEmail?: string | null;
  socialWorkerPhone?: string | null;
  lastPepDate?: string | null;
  nextPepDate?: string | null;
  /** Our consent to the school holding it; without it nothing is sent. */
  consent: boolean;
}

export interface PushReport {
  la: string;
  /** 'ok', or a short code naming what ended the batch. */
  outcome: string;
  sent: number;
  accepted: number;
  withoutConsent: number;
}

/** At most this many shares in one call. */
export const MAX_SHARES_PER_PUSH = 1_000;

const RECEIVE = /* GraphQL */ `
  mutation ReceivePlacedPupilInformation($input: RecordPlacedPupilInformationInput!) {
    receivePlacedPupilInformation(input: $input) {
      accepted
    }
  }
`;

export class PlacedPupilPush {
  private readonly tokens: ClientCredentialsTokens | null;

  constructor(private readonly settings: ExchangeSettings) {
    this.tokens = settings.client
      ? new ClientCredentialsTokens(settings.client, settings.timeoutMs)
      : null;
  }

  async send(partnerLa: string, shares: readonly PlacedPupilShare[]): Promise<PushReport> {
    const partner = this.settings.partners.find((candidate) => candidate.la === partnerLa);
    if (!partner) throw new Error(`No exchange partner with code ${partnerLa}`);
    if (shares.length > MAX_SHARES_PER_PUSH) {
      throw new RangeError(`At most ${MAX_SHARES_PER_PUSH} shares in one push`);
    }
    const consented = shares.filter((share) => share.consent === true);
    const report: PushReport = {
      la: partnerLa,
      outcome: 'ok',
      sent: 0,
      accepted: 0,
      withoutConsent: shares.length - consented.length,
    };
    if (consented.length === 0) return report;
    if (!this.tokens) return { ...report, outcome: 'no-client' };
    let token: string;
    try {
      token = await this.tokens.tokenFor(partner.audience);
    } catch (error) {
      const reason = error instanceof TokenUnavailableError ? error.reason : 'failed';
      return { ...report, outcome: `token-${reason}` };
    }
    for (const share of consented) {
      report.sent += 1;
      const outcome = await this.sendOne(partner.gatewayUrl, token, share);
      if (outcome !== 'ok') return { ...report, outcome };
      report.accepted += 1;
    }
    return report;
  }

  private async sendOne(
    gatewayUrl: string,
    token: string,
    share: PlacedPupilShare,
  ): Promise<string> {
    const { consent, ...details } = share;
    let response: Response;
    try {
      response = await fetch(`${gatewayUrl}/graphql`, {
        method: 'POST',
        redirect: 'error',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
          'X-Purpose': 'Placed pupil information from the placing authority',
        },
        body: JSON.stringify({
          query: RECEIVE,
          variables: { input: { ...details, placingAuthorityConsent: consent } },
        }),
      });
    } catch (error) {
      return isTimeout(error) ? 'timeout' : 'network';
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return `status-${response.status}`;
    }
    const body = (await response.json().catch(() => null)) as {
      data?: { receivePlacedPupilInformation?: { accepted?: unknown } } | null;
      errors?: Array<{ extensions?: { code?: unknown } }>;
    } | null;
    if (body?.data?.receivePlacedPupilInformation?.accepted === true) return 'ok';
    const code = body?.errors?.[0]?.extensions?.code;
    return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)
      ? `refused-${code.toLowerCase()}`
      : 'malformed';
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
