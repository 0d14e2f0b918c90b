/** The report cache: by time from when a report is ready, shared while being made, never a failure. */
import { ReportCache } from './cache';

describe('ReportCache', () => {
  let now = 0;
  const clock = () => now;
  const keepAll = () => true;

  beforeEach(() => {
    now = 0;
  });

  it('serves a repeat within the time to live, and makes it again after', async () => {
    const cache = new ReportCache<number>(60_000, 10, clock);
    let made = 0;
    const make = async () => ++made;
    expect(await cache.getOrMake('a', make, keepAll)).toBe(1);
    now = 59_999;
    expect(await cache.getOrMake('a', make, keepAll)).toBe(1);
    now = 60_000;
    expect(await cache.getOrMake('a', make, keepAll)).toBe(2);
  });

  it('counts the time to live from when a slow report is ready, not from when it was asked', async () => {
    const cache = new ReportCache<string>(60_000, 10, clock);
    let finish: (value: string) => void = () => undefined;
    const slow = cache.getOrMake('a', () => new Promise<string>((r) => (finish = r)), keepAll);
    now = 90_000;
    finish('report');
    await slow;
    now = 120_000;
    expect(await cache.getOrMake('a', async () => 'again', keepAll)).toBe('report');
  });

  it('shares a report being made with everyone asking meanwhile', async () => {
    const cache = new ReportCache<number>(60_000, 10, clock);
    let made = 0;
    const make = () => new Promise<number>((r) => setTimeout(() => r(++made), 5));
    const [a, b] = await Promise.all([
      cache.getOrMake('a', make, keepAll),
      cache.getOrMake('a', make, keepAll),
    ]);
    expect([a, b, made]).toEqual([1, 1, 1]);
  });

  it('does not keep what `keep` refuses (a degraded report), nor a failure', async () => {
    const cache = new ReportCache<string>(60_000, 10, clock);
    await cache.getOrMake(
      'a',
      async () => 'degraded',
      () => false,
    );
    expect(await cache.getOrMake('a', async () => 'whole', keepAll)).toBe('whole');
    await expect(
      cache.getOrMake('b', () => Promise.reject(new Error('down')), keepAll),
    ).rejects.toThrow('down');
    expect(await cache.getOrMake('b', async () => 'back', keepAll)).toBe('back');
  });

  it('keys by question and forgets the oldest when full; a time to live of 0 keeps nothing', async () => {
    const cache = new ReportCache<string>(60_000, 2, clock);
    await cache.getOrMake('a', async () => 'A', keepAll);
    await cache.getOrMake('b', async () => 'B', keepAll);
    await cache.getOrMake('c', async () => 'C', keepAll);
    expect(await cache.getOrMake('a', async () => 'A2', keepAll)).toBe('A2');
    expect(await cache.getOrMake('c', async () => 'C2', keepAll)).toBe('C');
    const off = new ReportCache<string>(0, 2, clock);
    await off.getOrMake('a', async () => 'A', keepAll);
    expect(await off.getOrMake('a', async () => 'A2', keepAll)).toBe('A2');
  });
});
