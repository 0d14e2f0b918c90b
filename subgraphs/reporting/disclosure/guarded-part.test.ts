/**
 * A guarded part of the universe (TableRequest.guardedPart): other authorities' pupils, in a
 * universe extended with them for a report that asks for them. This authority's share of any
 * box may be published by reports that count only its own children, so box minus that share,
 * the other authorities' pupils in it, is a figure of its own. Each attack below works on the
 * same universe without the rule (so it would single out 1 to 5 pupils), and fails with it.
 */
import { protectTable } from './index';
import type { Constraint, ProtectedTable, SdcRecord, TableRequest } from './index';
import { CHILDREN, CHILD_RATE, type Extra } from './testing';

const SCHOOL = 0;
const GENDER = 1;
const PLACED = 2;
const PART: Constraint = { attribute: PLACED, value: 'OTHERS' };

function pupils(
  count: number,
  school: string,
  placed: 'OURS' | 'OTHERS',
  gender = 'F',
  extras: Extra[] = [],
): SdcRecord[] {
  return Array.from({ length: count }, () => ({
    values: [school, gender, placed],
    contributions: [1, 1, 1, ...extras.flat()],
  }));
}

const ours = (universe: SdcRecord[]) => universe.filter((r) => r.values[PLACED] === 'OURS');

function table(
  universe: SdcRecord[],
  filter: Array<[number, string]>,
  options: {
    part?: boolean;
    previous?: SdcRecord[] | null;
    breakdown?: Array<{ attribute: number; bands: string[] }>;
    figures?: TableRequest['figures'];
  } = {},
): ProtectedTable {
  const request: TableRequest = {
    filter: filter.map(([attribute, value]) => ({ attribute, value })),
    dimensions: options.breakdown ?? [],
    figures: options.figures ?? [CHILDREN],
    ...(options.part === false ? {} : { guardedPart: PART }),
  };
  return protectTable(universe, request, options.previous ?? null);
}

const total = (t: ProtectedTable, f = 0) => {
  const figure = t.total.figures[f]!;
  return figure.status === 'VALUE' ? figure.value : figure.marker;
};
const cell = (t: ProtectedTable, index: number, f = 0) => {
  const figure = t.cells[index]!.figures[f]!;
  return figure.status === 'VALUE' ? figure.value : figure.marker;
};

describe('all pupils minus our children (a narrower group published elsewhere)', () => {
  // School S1: 20 of ours and 3 from other authorities; S2: 15 and 8.
  const universe = [
    ...pupils(20, 'S1', 'OURS'),
    ...pupils(3, 'S1', 'OTHERS'),
    ...pupils(15, 'S2', 'OURS'),
    ...pupils(8, 'S2', 'OTHERS'),
  ];

  it('would give the 3 away without the rule: all pupils at S1 minus our children at S1', () => {
    const oursAtS1 = table(ours(universe), [[SCHOOL, 'S1']], { part: false });
    const allAtS1 = table(universe, [[SCHOOL, 'S1']], { part: false });
    expect(total(oursAtS1)).toBe(20);
    expect(Number(total(allAtS1)) - Number(total(oursAtS1))).toBe(3);
  });

  it('withholds all pupils at S1, whose other-authority share is 3', () => {
    const allAtS1 = table(universe, [[SCHOOL, 'S1']]);
    expect(allAtS1.suppressedTotalOnly).toBe(true);
    expect(total(allAtS1)).toBe('c');
    // Our children's own report is what it was (another universe, no part in it).
    expect(total(table(ours(universe), [[SCHOOL, 'S1']], { part: false }))).toBe(20);
  });

  it('shows all pupils at S2 and both groups there, each 6 or more, when nothing differences down', () => {
    // With S1's 3 in the universe, others at S2 (8) differences against all others (11).
    expect(total(table(universe, [[SCHOOL, 'S2']]))).toBe('c');
    const safe = universe.filter((r) => r.values[SCHOOL] === 'S2' || r.values[PLACED] === 'OURS');
    expect(total(table(safe, [[SCHOOL, 'S2']]))).toBe(23);
    const byPlacing = table(safe, [[SCHOOL, 'S2']], {
      breakdown: [{ attribute: PLACED, bands: ['OURS', 'OTHERS'] }],
    });
    expect([cell(byPlacing, 0), cell(byPlacing, 1), total(byPlacing)]).toEqual([15, 8, 23]);
  });

  it('withholds a cell (and its rate) whose other-authority share is 2, and its complement', () => {
    // Everyone has a rate; at S1 the 3 from elsewhere all meet it, none of ours does.
    const rated = [
      ...pupils(20, 'S1', 'OURS', 'F', [[0, 1, 1]]),
      ...pupils(6, 'S1', 'OTHERS', 'F', [[1, 1, 1]]),
      ...pupils(2, 'S1', 'OTHERS', 'M', [[0, 1, 1]]),
    ];
    const unguarded = table(rated, [[SCHOOL, 'S1']], {
      part: false,
      figures: [CHILDREN, CHILD_RATE],
    });
    expect(unguarded.total.figures[1]!.status).toBe('VALUE');
    const byGender = table(rated, [[SCHOOL, 'S1']], {
      breakdown: [{ attribute: GENDER, bands: ['F', 'M'] }],
      figures: [CHILDREN, CHILD_RATE],
    });
    // Men at S1: 2 from elsewhere (and none of ours): withheld, with a complement.
    expect(cell(byGender, 1)).toBe('c');
    expect(cell(byGender, 0)).toBe('c');
  });
});

describe('differencing on the other-authority share', () => {
  // Others: 8 at S1, 2 at S2. "Others across the authority" (10) minus "others at S1" (8,
  // from all pupils at S1 minus our children there) would leave the 2 at S2.
  const universe = [
    ...pupils(20, 'S1', 'OURS'),
    ...pupils(8, 'S1', 'OTHERS'),
    ...pupils(15, 'S2', 'OURS'),
    ...pupils(2, 'S2', 'OTHERS'),
  ];

  it('would give the 2 away without the rule', () => {
    const allAtS1 = table(universe, [[SCHOOL, 'S1']], { part: false });
    const others = table(universe, [[PLACED, 'OTHERS']], { part: false });
    const oursAtS1 = table(ours(universe), [[SCHOOL, 'S1']], { part: false });
    expect(Number(total(others)) - (Number(total(allAtS1)) - Number(total(oursAtS1)))).toBe(2);
  });

  it('withholds all pupils at S1, and other authorities’ pupils at S1 asked for alone', () => {
    expect(total(table(universe, [[SCHOOL, 'S1']]))).toBe('c');
    expect(
      total(
        table(universe, [
          [SCHOOL, 'S1'],
          [PLACED, 'OTHERS'],
        ]),
      ),
    ).toBe('c');
    // The authority-wide figure of others is safe on its own.
    expect(total(table(universe, [[PLACED, 'OTHERS']]))).toBe(10);
  });
});

describe('the other-authority share over time', () => {
  // S2 at the previous snapshot: 9 of ours and 10 from elsewhere (19); now 17 and 8 (25). All
  // pupils changed by 6, our children by 8, so both are shown at both dates without the rule,
  // and the two differences say that 2 pupils from elsewhere left.
  const before = [
    ...pupils(40, 'S1', 'OURS'),
    ...pupils(9, 'S2', 'OURS'),
    ...pupils(10, 'S2', 'OTHERS'),
  ];
  const now = [
    ...pupils(40, 'S1', 'OURS'),
    ...pupils(17, 'S2', 'OURS'),
    ...pupils(8, 'S2', 'OTHERS'),
  ];

  it('would give the 2 who left away without the rule', () => {
    const all = (u: SdcRecord[], p: SdcRecord[] | null) =>
      Number(total(table(u, [[SCHOOL, 'S2']], { part: false, previous: p })));
    const oursOnly = (u: SdcRecord[], p: SdcRecord[] | null) =>
      Number(total(table(ours(u), [[SCHOOL, 'S2']], { part: false, previous: p && ours(p) })));
    const othersNow = all(now, before) - oursOnly(now, before);
    const othersThen = all(before, null) - oursOnly(before, null);
    expect(othersThen - othersNow).toBe(2);
  });

  it('withholds all pupils at S2 this month: 2 from elsewhere left it', () => {
    expect(total(table(now, [[SCHOOL, 'S2']], { previous: before }))).toBe('c');
  });

  it('still checks the share of the whole universe, which the total itself is exempt from', () => {
    const whole = table(now, [], { previous: before });
    expect(whole.suppressedTotalOnly).toBe(true);
    expect(total(table(now, [], { part: false, previous: before }))).toBe(65);
  });
});

describe('siblings of the other-authority share', () => {
  // S1: 20 of ours (10 girls, 10 boys); from elsewhere 7 girls and 2 boys. Boys at S1 are
  // withheld for their 2; without the rule the girls would be shown, and all pupils at S1 (29)
  // minus girls (17) minus our boys (10, from our children's report) gives the 2 boys.
  const universe = [
    ...pupils(10, 'S1', 'OURS', 'F'),
    ...pupils(10, 'S1', 'OURS', 'M'),
    ...pupils(7, 'S1', 'OTHERS', 'F'),
    ...pupils(2, 'S1', 'OTHERS', 'M'),
    ...pupils(30, 'S2', 'OURS', 'F'),
    ...pupils(30, 'S2', 'OURS', 'M'),
  ];
  const girlsAtS1 = (part: boolean) =>
    total(
      table(
        universe,
        [
          [SCHOOL, 'S1'],
          [GENDER, 'F'],
        ],
        { part },
      ),
    );

  it('would give the 2 boys away without the rule', () => {
    const all = Number(total(table(universe, [[SCHOOL, 'S1']], { part: false })));
    const oursBoys = Number(
      total(
        table(
          ours(universe),
          [
            [SCHOOL, 'S1'],
            [GENDER, 'M'],
          ],
          { part: false },
        ),
      ),
    );
    expect(all - Number(girlsAtS1(false)) - oursBoys).toBe(2);
  });

  it('withholds the girls at S1 as the boys’ complement, in a breakdown and asked for alone', () => {
    expect(total(table(universe, [[SCHOOL, 'S1']]))).toBe(29);
    const byGender = table(universe, [[SCHOOL, 'S1']], {
      breakdown: [{ attribute: GENDER, bands: ['F', 'M'] }],
    });
    expect([cell(byGender, 0), cell(byGender, 1)]).toEqual(['c', 'c']);
    expect(girlsAtS1(true)).toBe('c');
  });
});

describe('a universe with no one in the part', () => {
  it('publishes exactly what it publishes without a guarded part', () => {
    // A pseudo-random universe of our children only, with a previous snapshot.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const make = (n: number) =>
      Array.from({ length: n }, () => ({
        values: [`S${Math.floor(next() * 6)}`, next() < 0.5 ? 'F' : 'M', 'OURS'],
        contributions: [1, 1, 1, next() < 0.4 ? 1 : 0, 1, 1],
      }));
    const now = make(140);
    const before = make(132);
    const schools = ['S0', 'S1', 'S2', 'S3', 'S4', 'S5'];
    for (const [filter, breakdown] of [
      [[], [{ attribute: SCHOOL, bands: schools }]],
      [[[GENDER, 'F']], [{ attribute: SCHOOL, bands: schools }]],
      [[[SCHOOL, 'S2']], [{ attribute: GENDER, bands: ['F', 'M'] }]],
      [[], []],
    ] as Array<[Array<[number, string]>, Array<{ attribute: number; bands: string[] }>]>) {
      const figures = [CHILDREN, CHILD_RATE];
      const plain = table(now, filter, { part: false, previous: before, breakdown, figures });
      const guarded = table(now, filter, { previous: before, breakdown, figures });
      expect(guarded).toEqual(plain);
    }
  });
});
