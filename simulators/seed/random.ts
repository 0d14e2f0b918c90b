/**
 * Seeded pseudo-random numbers (mulberry32). The generator never touches Math.random:
 * the same seed gives the same world. `fork(label)` derives an independent stream from the
 * seed alone (not from how much of the parent stream was used), so each part of the world
 * (a child, a school) draws from its own stream and changing one part does not reshuffle
 * every other.
 */

// Bound once: a global look-up per call is slow where code runs in a vm context (Jest).
const imul = Math.imul;
const floor = Math.floor;
const sqrt = Math.sqrt;
const log = Math.log;
const cos = Math.cos;
const TWO_PI = 2 * Math.PI;

/** 32-bit string hash (FNV-1a, then a murmur3 finaliser) mixed with a seed. */
export function hash32(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A new stream that depends only on this stream's seed and the label. */
  fork(label: string): Rng {
    return new Rng(hash32(this.seed, label));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  real(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[floor(this.next() * items.length)]!;
  }

  /** Normal deviate (Box-Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * sqrt(-2 * log(u)) * cos(TWO_PI * v);
  }

  /** `k` distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + floor(this.next() * (copy.length - i));
      const tmp = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

/** A fixed discrete distribution: build once, draw many times (binary search on the CDF). */
export class Weighted<T> {
  private readonly values: T[];
  private readonly cdf: number[];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.values = [];
    this.cdf = [];
    let sum = 0;
    for (const [value, weight] of entries) {
      if (weight <= 0) continue;
      sum += weight;
      this.values.push(value);
      this.cdf.push(sum);
    }
    if (this.values.length === 0) throw new Error('Weighted needs at least one positive weight');
    this.total = sum;
  }

  draw(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}

/** Draw once from an ad hoc table (for tables built per call; prefer `Weighted` in loops). */
export function weighted<T>(rng: Rng, entries: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of entries) if (w > 0) total += w;
  let x = rng.next() * total;
  for (const [value, w] of entries) {
    if (w <= 0) continue;
    x -= w;
    if (x < 0) return value;
  }
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]![1] > 0) return entries[i]![0];
  throw new Error('weighted needs at least one positive weight');
}

/**
 * Split `total` into parts with the given relative weights, exactly (the parts add up to
 * `total`). Small totals are drawn unit by unit; large ones share by weight with random
 * remainders, so every pupil does not get the same proportions.
 */
export function splitCount<K extends string>(
  rng: Rng,
  total: number,
  weights: ReadonlyArray<readonly [K, number]>,
): Map<K, number> {
  const out = new Map<K, number>();
  if (total <= 0) return out;
  const live = weights.filter(([, w]) => w > 0);
  if (live.length === 0) throw new Error('splitCount needs at least one positive weight');
  if (total <= 24) {
    const table = new Weighted(live);
    for (let i = 0; i < total; i++) {
      const k = table.draw(rng);
      out.set(k, (out.get(k) ?? 0) + 1);
    }
    return out;
  }
  let sum = 0;
  for (const [, w] of live) sum += w;
  let given = 0;
  const fractions: Array<[K, number]> = [];
  for (const [k, w] of live) {
    const exact = (total * w) / sum;
    const whole = floor(exact);
    given += whole;
    if (whole > 0) out.set(k, whole);
    fractions.push([k, exact - whole + rng.next() * 0.5]);
  }
  fractions.sort((a, b) => b[1] - a[1]);
  for (let i = 0; given < total; i = (i + 1) % fractions.length, given++) {
    const k = fractions[i]![0];
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}
