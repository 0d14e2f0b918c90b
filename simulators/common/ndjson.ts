/**
 * Bulk exports (the extracts case systems offer for statutory returns): one JSON record a
 * line (`application/x-ndjson`), written a chunk at a time and waiting for the socket to drain,
 * so an export of 50,000 records neither builds one huge body in memory nor holds the event
 * loop for its whole length.
 */
import type { Response } from 'express';

export const NDJSON = 'application/x-ndjson';

/** Records written before the loop yields to other requests. */
const CHUNK = 250;

/**
 * Streams `toRecord(item)` for each of `items` (those it maps to `undefined` are left out).
 * Records are built as they are written, from the store as it stands at that moment.
 */
export function sendNdjson<T>(
  res: Response,
  items: Iterable<T>,
  toRecord: (item: T) => unknown,
): void {
  res.status(200).type(NDJSON);
  const iterator = items[Symbol.iterator]();
  const writeChunk = (): void => {
    if (res.destroyed) return;
    let lines = '';
    for (let n = 0; n < CHUNK; n += 1) {
      const next = iterator.next();
      if (next.done) {
        res.end(lines);
        return;
      }
      const record = toRecord(next.value);
      if (record !== undefined) lines += `${JSON.stringify(record)}\n`;
    }
    if (res.write(lines)) setImmediate(safely);
    else res.once('drain', safely);
  };
  const safely = (): void => {
    try {
      writeChunk();
    } catch {
      // Headers are already sent: cutting the stream short is how a failure shows.
      res.destroy();
    }
  };
  safely();
}
