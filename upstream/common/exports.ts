/**
 * Reading a council system's bulk export (the extracts systems offer for statutory returns:
 * one request, newline-delimited JSON) record by record, each checked for the key it must
 * carry. A client built on a stand-in without `streamRecords` (unit tests' fakes) cannot
 * export: the caller reads page by page instead.
 */
import type { UpstreamClient } from './http-client';
import { unexpectedShape } from './guards';

export type ExportingUpstream = Partial<Pick<UpstreamClient, 'streamRecords'>>;

/** Whether this client's transport can read an export. */
export function canExport(upstream: ExportingUpstream): boolean {
  return typeof upstream.streamRecords === 'function';
}

/**
 * The export at `path` for `body`, each record an object with a string `key` (anything else
 * is the system failing: UpstreamUnavailableError).
 */
export async function* exportRecords<T>(
  upstream: ExportingUpstream,
  target: { system: string; route: string; path: string },
  body: unknown,
  key: string,
): AsyncGenerator<T, void, undefined> {
  if (!upstream.streamRecords) throw unexpectedShape(target.system, target.route);
  for await (const record of upstream.streamRecords<unknown>(target.path, body)) {
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof (record as Record<string, unknown>)[key] !== 'string'
    ) {
      throw unexpectedShape(target.system, target.route);
    }
    yield record as T;
  }
}
