import { Rng, Weighted, splitCount } from './random';

describe('Rng', () => {
  it('repeats a stream for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('forks by label, independently of how much of the parent was used', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    b.next();
    b.next();
    expect(a.fork('child:1').next()).toBe(b.fork('child:1').next());
    expect(a.fork('child:1').next()).not.toBe(a.fork('child:2').next());
  });

  it('draws integers in range and roughly uniform', () => {
    const rng = new Rng(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.int(0, 3)]!++;
    for (const n of counts) expect(n).toBeGreaterThan(9_400);
  });
});

describe('Weighted and splitCount', () => {
  it('draws in proportion to the weights', () => {
    const rng = new Rng(9);
    const table = new Weighted([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ]);
    let b = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = table.draw(rng);
      expect(v).not.toBe('never');
      if (v === 'b') b++;
    }
    expect(b / 20_000).toBeGreaterThan(0.72);
    expect(b / 20_000).toBeLessThan(0.78);
  });

  it('splits a count exactly', () => {
    const rng = new Rng(3);
    for (const total of [0, 1, 7, 24, 25, 333]) {
      const parts = splitCount(rng, total, [
        ['x', 5],
        ['y', 1],
        ['z', 0],
      ]);
      expect([...parts.values()].reduce((s, n) => s + n, 0)).toBe(total);
      expect(parts.has('z')).toBe(false);
    }
  });
});
