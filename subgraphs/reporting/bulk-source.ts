/**
 * Reading a report's universe through the council systems' bulk exports (the extracts they
 * offer for statutory returns), so the requests per system do not grow with the number of
 * children: social care's export twice (first the bare list of who, then everyone with their
 * histories), education's and finance's once each for that list. The second social care
 * export and the other two are read side by side, all three in the same order (social care's
 * by CHILD, the others in the order of the list asked for), so each child is met with their
 * pupil and funding records at once and handed on in chunks to be reduced to facts: memory
 * holds a chunk of raw records, never the whole of any system's answer.
 *
 * A child the second export lists and the first did not (taken into care between the two)
 * has no records in the other exports: such children are read afterwards by batch look-up,
 * as a report read page by page would.
 */
import { UPN } from '../../domain/identifiers';
import { MAX_PER_PAGE } from '../../upstream/common/contract';
import type { EdStudentRecord } from '../../upstream/education/contract';
import { clientRefFor, type FinClient } from '../../upstream/finance/contract';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import type { ReportingUpstream } from './client';

export type ExportSource = 'EDUCATION' | 'FINANCE';

export interface ExportReadOptions {
  /** Leave out children no longer looked after. */
  currentOnly: boolean;
  financialYear: string;
  /** Whether a source is still wanted (false once it has failed). */
  wants(source: ExportSource): boolean;
  /** A source failed: its figures become `x` (cohort-source's `lost`). */
  lost(source: ExportSource, error: unknown): void;
}

/** Children with their records already read (null: none read for them). */
export interface ReadChunk {
  pupils: EdStudentRecord[];
  funding: FinClient[];
}

/** Reduces a chunk of children; `read` absent: the records are to be looked up by batch. */
export type TakeChildren = (children: readonly ScChildRecord[], read?: ReadChunk) => Promise<void>;

/**
 * One export read in step with the list it was asked for: `take(key)` answers the record of
 * that key (null if the system holds none), skipping records of keys earlier in the list that
 * nobody asked for (children gone from the second social care export). A failure is reported
 * once and the rest of the read answers null.
 */
class ExportFollower<T> {
  private head: T | null = null;
  private ended = false;
  /** Records of keys the list holds more than once (two children with one UPN). */
  private readonly repeated = new Map<string, T>();

  constructor(
    private readonly records: AsyncGenerator<T, void, undefined>,
    private readonly keyOf: (record: T) => string,
    /** Each key's first place in the list. */
    private readonly position: ReadonlyMap<string, number>,
    private readonly repeatedKeys: ReadonlySet<string>,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  async take(key: string): Promise<T | null> {
    const kept = this.repeated.get(key);
    if (kept) return kept;
    const wanted = this.position.get(key);
    if (wanted === undefined) return null;
    for (;;) {
      if (this.head === null && !(await this.advance())) return null;
      const head = this.head!;
      const at = this.position.get(this.keyOf(head)) ?? -1;
      if (at > wanted) return null;
      this.head = null;
      if (at === wanted) {
        if (this.repeatedKeys.has(key)) this.repeated.set(key, head);
        return head;
      }
    }
  }

  /** Stops reading (the rest of the stream is let go). */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.records.return(undefined).catch(() => undefined);
    }
  }

  private async advance(): Promise<boolean> {
    if (this.ended) return false;
    try {
      const next = await this.records.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.head = next.value;
      return true;
    } catch (error) {
      this.ended = true;
      this.onFailure(error);
      return false;
    }
  }
}

/** Each key's first place in `keys`, and the keys that occur more than once. */
function placesOf(keys: readonly string[]): {
  position: Map<string, number>;
  repeated: Set<string>;
} {
  const position = new Map<string, number>();
  const repeated = new Set<string>();
  keys.forEach((key, i) => {
    if (position.has(key)) repeated.add(key);
    else position.set(key, i);
  });
  return { position, repeated };
}

/** Reads the universe by export, handing children on to `take` a chunk at a time. */
export async function readByExport(
  upstream: ReportingUpstream,
  options: ExportReadOptions,
  take: TakeChildren,
): Promise<void> {
  // Who: the bare records, in CHILD order (the order every export below follows).
  const listed = new Set<string>();
  const upns: string[] = [];
  const refs: string[] = [];
  for await (const child of upstream.exportChildren(options.currentOnly, false)) {
    listed.add(child.CHILD);
    refs.push(clientRefFor(child.CHILD));
    if (UPN.test(child.UPN)) upns.push(child.UPN);
  }

  const pupilPlaces = placesOf(upns);
  const refPlaces = placesOf(refs);
  const pupils =
    options.wants('EDUCATION') && upns.length > 0
      ? new ExportFollower(
          upstream.exportPupils([...pupilPlaces.position.keys()]),
          (pupil) => pupil.upn,
          pupilPlaces.position,
          pupilPlaces.repeated,
          (error) => options.lost('EDUCATION', error),
        )
      : null;
  const funding =
    options.wants('FINANCE') && refs.length > 0
      ? new ExportFollower(
          upstream.exportFunding([...refPlaces.position.keys()], options.financialYear),
          (client) => client.client_ref,
          refPlaces.position,
          refPlaces.repeated,
          (error) => options.lost('FINANCE', error),
        )
      : null;

  const late: ScChildRecord[] = [];
  let chunk: ScChildRecord[] = [];
  let read: ReadChunk = { pupils: [], funding: [] };
  try {
    for await (const child of upstream.exportChildren(options.currentOnly, true)) {
      if (!listed.has(child.CHILD)) {
        late.push(child);
        continue;
      }
      const pupil = pupils && UPN.test(child.UPN) ? await pupils.take(child.UPN) : null;
      const funds = funding ? await funding.take(clientRefFor(child.CHILD)) : null;
      chunk.push(child);
      if (pupil) read.pupils.push(pupil);
      if (funds) read.funding.push(funds);
      if (chunk.length === MAX_PER_PAGE) {
        await take(chunk, read);
        chunk = [];
        read = { pupils: [], funding: [] };
      }
    }
    if (chunk.length > 0) await take(chunk, read);
  } finally {
    await Promise.all([pupils?.close(), funding?.close()]);
  }
  for (let i = 0; i < late.length; i += MAX_PER_PAGE) {
    await take(late.slice(i, i + MAX_PER_PAGE));
  }
}
