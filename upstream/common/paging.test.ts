/** Shared paging: chunks, and lists read to their end with a bound that throws. */
import { UpstreamUnavailableError } from '../../lib/errors';
import type { Paged } from './contract';
import { chunked, readAllPages } from './paging';

function page<T>(data: T[], more: boolean, number = 1): Paged<T> {
  return {
    data,
    meta: { pagination: { page: number, per_page: 2, total: 99, next: null, more } },
  };
}

const at = { system: 'education', route: 'GET /v1/things' };

describe('chunked', () => {
  it('cuts a list into runs of at most the size, in order', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([1, 2], 2)).toEqual([[1, 2]]);
    expect(chunked([], 500)).toEqual([]);
  });

  it('refuses a size that would never end', () => {
    expect(() => chunked([1], 0)).toThrow(RangeError);
  });
});

describe('readAllPages', () => {
  it('reads page after page until the system says there is no more', async () => {
    const asked: number[] = [];
    const items = await readAllPages(async (number) => {
      asked.push(number);
      return page([number * 10, number * 10 + 1], number < 3, number);
    }, at);
    expect(asked).toEqual([1, 2, 3]);
    expect(items).toEqual([10, 11, 20, 21, 30, 31]);
  });

  it('stops at an empty page even when it says there is more', async () => {
    const asked: number[] = [];
    const items = await readAllPages(async (number) => {
      asked.push(number);
      return page(number === 1 ? ['a'] : [], true, number);
    }, at);
    expect(asked).toEqual([1, 2]);
    expect(items).toEqual(['a']);
  });

  it('throws the system’s upstream error at its limit instead of stopping in silence', async () => {
    let asked = 0;
    const reading = readAllPages(
      async (number) => {
        asked += 1;
        return page([number], true, number);
      },
      { ...at, maxPages: 3 },
    );
    await expect(reading).rejects.toThrow(UpstreamUnavailableError);
    await expect(reading).rejects.toMatchObject({ system: 'education' });
    expect(asked).toBe(3);
  });

  it('answers null for a list whose parent is unknown (a 404 on the first page)', async () => {
    expect(await readAllPages(async () => null, at)).toBeNull();
  });

  it('throws when the list vanishes after its first page', async () => {
    await expect(
      readAllPages(async (number) => (number === 1 ? page(['a'], true) : null), at),
    ).rejects.toThrow(UpstreamUnavailableError);
  });
});
