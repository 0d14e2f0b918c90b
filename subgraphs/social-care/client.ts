/**
 * Typed calls to the children's social care case system (`/api/v1`). Look-ups by id or UPN
 * are cut into chunks the system accepts in one request (500), sent side by side.
 */
import { MAX_PER_PAGE, type Batch, type Paged } from '../../simulators/contracts/common';
import type {
  ScChildRecord,
  ScChildSearch,
  ScInclude,
  ScWorker,
} from '../../simulators/contracts/social-care';
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { UpstreamClient } from '../../lib/upstream/upstream-client';
import type { SocialCareUpstreamConfig } from './config';

export const SOCIAL_CARE_SYSTEM = 'social care';

const API = '/api/v1';
const CHILDREN_SEARCH = `${API}/children/search`;

/** Every part of a child record: one request answers every field the schema has. */
export const ALL_PARTS: readonly ScInclude[] = ['episodes', 'placements', 'peps', 'worker'];

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

function isPaged(value: unknown): value is Paged<ScChildRecord> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Paged<ScChildRecord>>;
  return Array.isArray(data) && typeof meta?.pagination?.total === 'number';
}

function isBatch(value: unknown): value is Batch<ScWorker> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Batch<ScWorker>>;
  return Array.isArray(data) && Array.isArray(meta?.missing);
}

/** A body of another shape (or a 404 on a search route) is the system failing, not "no data". */
function unexpectedShape(route: string): UpstreamUnavailableError {
  logger.warn('upstream answered an unexpected shape', { system: SOCIAL_CARE_SYSTEM, route });
  return new UpstreamUnavailableError(SOCIAL_CARE_SYSTEM);
}

export class SocialCareClient {
  constructor(private readonly upstream: UpstreamClient) {}

  static fromConfig(config: SocialCareUpstreamConfig): SocialCareClient {
    return new SocialCareClient(new UpstreamClient({ system: SOCIAL_CARE_SYSTEM, ...config }));
  }

  /** One page of a search, as the system answers it. */
  async searchChildren(search: ScChildSearch): Promise<Paged<ScChildRecord>> {
    const payload = await this.upstream.query<unknown>(CHILDREN_SEARCH, search);
    if (!isPaged(payload)) throw unexpectedShape('children/search');
    return payload;
  }

  /**
   * The children with these ids, or these UPNs (absent when unknown), with every part, whatever
   * their status: restricted and ceased records too (who may see them is decided above this).
   * One request per 500 keys.
   */
  async childrenByKey(key: 'ids' | 'upns', values: readonly string[]): Promise<ScChildRecord[]> {
    const unique = [...new Set(values)];
    const pages = await Promise.all(
      chunk(unique, MAX_PER_PAGE).map((part) =>
        this.searchChildren({
          [key]: part,
          include: [...ALL_PARTS],
          include_restricted: true,
          current_only: false,
          page: 1,
          per_page: MAX_PER_PAGE,
        }),
      ),
    );
    return pages.flatMap((page) => page.data);
  }

  /** Staff of the case system by id (absent when unknown). One request per 500 ids. */
  async workersByIds(ids: readonly string[]): Promise<ScWorker[]> {
    const unique = [...new Set(ids)];
    const batches = await Promise.all(
      chunk(unique, MAX_PER_PAGE).map(async (part) => {
        const payload = await this.upstream.query<unknown>(`${API}/workers/batch`, { ids: part });
        if (!isBatch(payload)) throw unexpectedShape('workers/batch');
        return payload.data;
      }),
    );
    return batches.flat();
  }

  /** True when the system answers its health check. */
  async isHealthy(): Promise<boolean> {
    try {
      return (await this.upstream.get<unknown>('/health')) !== null;
    } catch {
      return false;
    }
  }

  close(): void {
    this.upstream.close();
  }
}
