/**
 * The education system's staff records, as this subgraph needs them: who a staff id is (for a
 * grant's name and job title), and who works at a school (before a designated teacher may name
 * them). Read over the scope credential for education, which every subgraph already holds.
 */
import { MAX_PER_PAGE, type Batch } from '../../simulators/contracts/common';
import type { EdStaff } from '../../simulators/contracts/education';
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import type { UpstreamClient } from '../../lib/upstream/upstream-client';

const API = '/v1';

function isStaff(value: unknown): value is EdStaff {
  if (typeof value !== 'object' || value === null) return false;
  const staff = value as Partial<EdStaff>;
  return typeof staff.staff_id === 'string' && typeof staff.urn === 'string';
}

function isBatch(value: unknown): value is Batch<EdStaff> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Batch<EdStaff>>;
  return Array.isArray(data) && data.every(isStaff) && Array.isArray(meta?.missing);
}

function isStaffList(value: unknown): value is { data: EdStaff[] } {
  if (typeof value !== 'object' || value === null) return false;
  const { data } = value as { data?: unknown };
  return Array.isArray(data) && data.every(isStaff);
}

/** A body of another shape is the system failing, not "no staff". */
function unexpectedShape(system: string, route: string): UpstreamUnavailableError {
  logger.warn('upstream answered an unexpected shape', { system, route });
  return new UpstreamUnavailableError(system);
}

export class StaffClient {
  constructor(private readonly education: UpstreamClient) {}

  /** Staff by id (absent when unknown). One request per 500 ids. */
  async staffByIds(ids: readonly string[]): Promise<EdStaff[]> {
    const unique = [...new Set(ids)];
    const parts: string[][] = [];
    for (let start = 0; start < unique.length; start += MAX_PER_PAGE) {
      parts.push(unique.slice(start, start + MAX_PER_PAGE));
    }
    const batches = await Promise.all(
      parts.map(async (part) => {
        const payload = await this.education.query<unknown>(`${API}/staff/batch`, { ids: part });
        if (!isBatch(payload)) throw unexpectedShape(this.education.system, 'staff/batch');
        return payload.data;
      }),
    );
    return batches.flat();
  }

  /** Everyone on a school's staff; none for a school the system does not know (404). */
  async staffAt(urn: string): Promise<EdStaff[]> {
    if (!/^\d{6}$/.test(urn)) return [];
    const payload = await this.education.get<unknown>(`${API}/schools/${urn}/staff`);
    if (payload === null) return [];
    if (!isStaffList(payload)) throw unexpectedShape(this.education.system, 'schools/staff');
    return payload.data;
  }
}
