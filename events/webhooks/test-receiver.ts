/**
 * A webhook receiver for tests: a real HTTP server on a port of its own that verifies each
 * delivery's signature (the documented helper), deduplicates by idempotency key as a
 * receiver must, and answers what the test tells it to.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EVENT_TYPE_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  SIGNATURE_HEADER,
  verifySignature,
  type VerifyResult,
} from './signature';

export interface Receipt {
  path: string;
  key: string;
  type: string;
  body: string;
  signature: string;
  /** The signature checked with the secret `secretFor(path)` gave, at receipt. */
  verified: VerifyResult;
  /** What the receiver answered. */
  status: number;
}

/** The status to answer a delivery (it may wait first: a slow receiver). */
export type Respond = (
  receipt: Omit<Receipt, 'status'>,
  attempt: number,
) => number | Promise<number>;

export interface TestReceiverOptions {
  /** The secret for a path (one subscription per path); null: do not verify. */
  secretFor?: (path: string) => string | null;
  /** The status to answer (default 200); may wait first (a slow receiver). */
  respond?: Respond;
  /** Listen on this port (0: any free one). */
  port?: number;
}

export class TestReceiver {
  /** Every request, in the order received. */
  readonly receipts: Receipt[] = [];
  /**
   * `<path> <key>` of each delivery accepted (answered 2xx), once, in the order first
   * accepted: what a receiver that deduplicates by key acts on.
   */
  readonly accepted: string[] = [];
  private readonly attempts = new Map<string, number>();
  /** Requests being answered now, per path (a subscription's line is one at a time). */
  readonly inFlight = new Map<string, number>();
  maxInFlightPerPath = 0;
  private server: Server | null = null;
  port = 0;

  constructor(private readonly options: TestReceiverOptions = {}) {}

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(port = this.options.port ?? 0): Promise<void> {
    const server = createServer((req, res) => {
      void this.handle(req).then(
        (status) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end('internal detail'),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const header = (name: string): string => String(req.headers[name.toLowerCase()] ?? '');
    const secret = this.options.secretFor?.(path) ?? null;
    const partial = {
      path,
      key: header(IDEMPOTENCY_KEY_HEADER),
      type: header(EVENT_TYPE_HEADER),
      body,
      signature: header(SIGNATURE_HEADER),
      verified:
        secret === null
          ? ({ ok: false, reason: 'MISSING' } as const)
          : verifySignature({ secret, body, header: header(SIGNATURE_HEADER) }),
    };
    this.inFlight.set(path, (this.inFlight.get(path) ?? 0) + 1);
    this.maxInFlightPerPath = Math.max(this.maxInFlightPerPath, this.inFlight.get(path) ?? 0);
    try {
      const attempt = (this.attempts.get(partial.key) ?? 0) + 1;
      this.attempts.set(partial.key, attempt);
      const status = (await this.options.respond?.(partial, attempt)) ?? 200;
      this.receipts.push({ ...partial, status });
      if (status >= 200 && status < 300 && !this.accepted.includes(`${path} ${partial.key}`)) {
        this.accepted.push(`${path} ${partial.key}`);
      }
      return status;
    } finally {
      this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1);
    }
  }
}
