/**
 * Reads partner authorities' Designated Teacher registers (their CLA Graph's
 * `GET /register/designated-teachers.json`) into our store, so the virtual school head's
 * register shows a designated teacher for their schools where our children are.
 *
 * Each run, per partner, one after another: a client-credentials token from our issuer, then
 * `?changedSince=<the latest updatedAt we hold>` (the whole register the first time) with
 * `If-None-Match: <the ETag of the last answer to that same request>`. A 304 ends the run for
 * that partner: nothing changed, nothing is written. A 200 is stored (the partner's own
 * schools only) and the cursor moves to the latest `updatedAt` in it; the run then asks once
 * more from there, which confirms the read is complete (entries changed while it was being
 * served come back) and gives the ETag the next run sends. At most MAX_REQUESTS_PER_RUN
 * requests per partner per run; every request has a deadline; a failure is logged (authority
 * code and a short reason, never a URL or a body), kept in the sync state, and not retried
 * until the next run.
 */
import { z } from 'zod';
import { logger } from '../lib/logger';
import type {
  PartnerRegisterEntryInput,
  PartnerRegisterStore,
  PartnerSyncState,
} from '../stores/partner-registers/partner-register-store';
import type { ExchangePartner, ExchangeSettings } from './config';
import { ClientCredentialsTokens, TokenUnavailableError } from './token-client';

/** Requests per partner per run: the first, its confirmation, and room for changes mid-read. */
export const MAX_REQUESTS_PER_RUN = 4;
/** The largest register accepted (about 50 000 schools). */
export const MAX_REGISTER_BYTES = 64 * 1024 * 1024;

const contact = z.object({
  title: z.string().nullable(),
  forename: z.string(),
  surname: z.string(),
  jobTitle: z.string(),
  workEmail: z.string(),
  workPhone: z.string(),
  confirmedOn: z.string(),
});

const registerBody = z.object({
  designatedTeachers: z.array(
    z.object({
      urn: z.string(),
      schoolName: z.string(),
      localAuthority: z.object({ code: z.string() }),
      inAuthority: z.boolean(),
      designatedTeacher: contact.nullable(),
      updatedAt: z.string(),
    }),
  ),
});

type RegisterBody = z.infer<typeof registerBody>;

/** What one run did for one partner. */
export interface PartnerRunReport {
  la: string;
  /** 'ok', or a short code naming what failed. */
  outcome: string;
  requests: number;
  notModified: number;
  entriesReceived: number;
  /** Entries inserted or changed in our store. */
  written: number;
  bytesReceived: number;
}

class SyncFailure extends Error {
  constructor(readonly outcome: string) {
    super(outcome);
  }
}

export interface RegisterSyncOptions {
  settings: ExchangeSettings;
  store: PartnerRegisterStore;
  /** The time entries are stamped as fetched at. */
  now?: () => Date;
}

export class RegisterSync {
  private readonly tokens: ClientCredentialsTokens | null;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(private readonly options: RegisterSyncOptions) {
    const { client, timeoutMs } = options.settings;
    this.tokens = client ? new ClientCredentialsTokens(client, timeoutMs) : null;
    this.now = options.now ?? (() => new Date());
  }

  /** Token requests made of our issuer so far (tokens are reused until near expiry). */
  get tokenRequests(): number {
    return this.tokens?.requests ?? 0;
  }

  /** One run over every partner, in turn; a partner's failure does not stop the others. */
  async runOnce(): Promise<PartnerRunReport[]> {
    const reports: PartnerRunReport[] = [];
    for (const partner of this.options.settings.partners) {
      reports.push(await this.syncPartner(partner));
    }
    return reports;
  }

  /** Runs every EXCHANGE_SYNC_INTERVAL_MS until `stop()` (first run at once); never overlapping. */
  start(): void {
    if (this.timer || this.stopped || this.options.settings.partners.length === 0) return;
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) =>
          logger.error('partner register sync failed', {
            failure: error instanceof Error ? error.name : 'unknown',
          }),
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped) {
            this.timer = setTimeout(tick, this.options.settings.syncIntervalMs);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async syncPartner(partner: ExchangePartner): Promise<PartnerRunReport> {
    const { store } = this.options;
    const state: PartnerSyncState | null = await store.syncState(partner.la);
    let cursor = state?.changedSince ?? null;
    let etag = state?.etag ?? null;
    const report: PartnerRunReport = {
      la: partner.la,
      outcome: 'ok',
      requests: 0,
      notModified: 0,
      entriesReceived: 0,
      written: 0,
      bytesReceived: 0,
    };
    const started = Date.now();
    try {
      if (!this.tokens) throw new SyncFailure('no-client');
      const token = await this.tokens.tokenFor(partner.audience).catch((error: unknown) => {
        throw new SyncFailure(
          error instanceof TokenUnavailableError ? `token-${error.reason}` : 'token',
        );
      });
      for (;;) {
        if (report.requests >= MAX_REQUESTS_PER_RUN) {
          // Still changing as we read: keep what we have, send no ETag next time.
          etag = null;
          break;
        }
        report.requests += 1;
        const answer = await this.fetchRegister(partner, token, cursor, etag);
        if (answer === 'not-modified') {
          report.notModified += 1;
          break;
        }
        report.bytesReceived += answer.bytes;
        const entries = answer.body.designatedTeachers;
        report.entriesReceived += entries.length;
        const own = entries.filter(
          (entry) => entry.inAuthority && entry.localAuthority.code === partner.la,
        );
        report.written += await store
          .upsertEntries(partner.la, own.map(toInput), this.now().toISOString())
          .catch(() => {
            throw new SyncFailure('invalid-entries');
          });
        const latest = latestUpdate(entries);
        if (latest === null || (cursor !== null && Date.parse(latest) <= Date.parse(cursor))) {
          // Nothing newer than what we hold: this answer's ETag is the next run's question.
          etag = answer.etag;
          break;
        }
        cursor = latest;
        etag = null;
      }
    } catch (error) {
      report.outcome = error instanceof SyncFailure ? error.outcome : 'failed';
      logger.warn('partner register sync failed', { code: partner.la, failure: report.outcome });
    }
    await store.recordRun({
      partnerLa: partner.la,
      at: this.now().toISOString(),
      outcome: report.outcome,
      changedSince: cursor,
      etag,
      requests: report.requests,
      notModified: report.notModified,
      entriesReceived: report.entriesReceived,
      bytesReceived: report.bytesReceived,
    });
    logger.info('partner register synced', {
      code: partner.la,
      status: report.outcome,
      changes: report.written,
      durationMs: Date.now() - started,
    });
    return report;
  }

  private async fetchRegister(
    partner: ExchangePartner,
    token: string,
    cursor: string | null,
    etag: string | null,
  ): Promise<'not-modified' | { body: RegisterBody; etag: string | null; bytes: number }> {
    const url = new URL(`${partner.gatewayUrl}/register/designated-teachers.json`);
    if (cursor !== null) url.searchParams.set('changedSince', cursor);
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.settings.timeoutMs),
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          'X-Purpose': 'Designated Teacher register exchange',
          ...(etag ? { 'If-None-Match': etag } : {}),
        },
      });
    } catch (error) {
      throw new SyncFailure(isTimeout(error) ? 'timeout' : 'network');
    }
    if (response.status === 304) return 'not-modified';
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new SyncFailure(`status-${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_REGISTER_BYTES) {
      await response.body?.cancel();
      throw new SyncFailure('too-large');
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new SyncFailure('network');
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_REGISTER_BYTES) throw new SyncFailure('too-large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SyncFailure('malformed');
    }
    const body = registerBody.safeParse(parsed);
    if (!body.success) throw new SyncFailure('malformed');
    return { body: body.data, etag: response.headers.get('etag'), bytes };
  }
}

function toInput(entry: RegisterBody['designatedTeachers'][number]): PartnerRegisterEntryInput {
  const dt = entry.designatedTeacher;
  return {
    urn: entry.urn,
    schoolName: entry.schoolName,
    designatedTeacher: dt
      ? {
          title: dt.title,
          forename: dt.forename,
          surname: dt.surname,
          jobTitle: dt.jobTitle,
          workEmail: dt.workEmail,
          workPhone: dt.workPhone,
          confirmedOn: dt.confirmedOn,
        }
      : null,
    updatedAt: entry.updatedAt,
  };
}

function latestUpdate(entries: RegisterBody['designatedTeachers']): string | null {
  let latest: string | null = null;
  for (const entry of entries) {
    if (Number.isNaN(Date.parse(entry.updatedAt))) continue;
    if (latest === null || Date.parse(entry.updatedAt) > Date.parse(latest))
      latest = entry.updatedAt;
  }
  return latest;
}

/** An aborted deadline (a DOMException, which is not an `Error` of this realm under Jest). */
function isTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'TimeoutError'
  );
}
