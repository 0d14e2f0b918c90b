/**
 * A short-lived cache of finished reports (disclosure-controlled figures only, never a child's
 * data), keyed by the caller's scope and the normalised question. Entries expire by time; the
 * oldest go first when it is full. A report being made is shared by everyone asking the same
 * question meanwhile, so a burst of identical requests reads the council systems once.
 */
import { cacheLookups } from '../../lib/observability/metrics';

export class ReportCache<T> {
  /** `expires` is counted from when a value is ready (Infinity while it is being made). */
  private readonly entries = new Map<string, { expires: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200,
    private readonly now: () => number = Date.now,
    /** Its `cache` label in the hit-rate metric. */
    private readonly metricName = 'report',
  ) {}

  /**
   * The cached value for `key`, or `make()`'s. `keep(value)` decides whether a finished value
   * may be cached (a report made while a system was down may not); a failure is never cached.
   */
  async getOrMake(key: string, make: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
    const now = this.now();
    const found = this.entries.get(key);
    if (found && found.expires > now) {
      cacheLookups.inc({ cache: this.metricName, result: 'hit' });
      return found.value;
    }
    cacheLookups.inc({ cache: this.metricName, result: 'miss' });
    if (found) this.entries.delete(key);
    const value = make();
    if (this.ttlMs === 0) return value;
    const entry = { expires: Infinity, value };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const forget = () => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    };
    value.then((made) => {
      if (keep(made)) entry.expires = this.now() + this.ttlMs;
      else forget();
    }, forget);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
