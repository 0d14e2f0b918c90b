/**
 * What every council system's client shares beyond HTTP: the health check each system answers
 * at `GET /health` (no credential needed), and closing its keep-alive sockets at shutdown.
 */
import type { UpstreamClient } from './http-client';

const HEALTH = '/health';

export abstract class SystemClient<Upstream extends Pick<UpstreamClient, 'get' | 'close'>> {
  constructor(protected readonly upstream: Upstream) {}

  /** True when the system answers its health check. */
  async isHealthy(): Promise<boolean> {
    try {
      return (await this.upstream.get<unknown>(HEALTH)) !== null;
    } catch {
      return false;
    }
  }

  close(): void {
    this.upstream.close();
  }
}
