import {
  filterFromQuery,
  noneMatch,
  registerCsv,
  strongEtag,
  type RegisterEntry,
} from './register';

const entry = (overrides: Partial<RegisterEntry> = {}): RegisterEntry => ({
  urn: '100001',
  schoolName: 'Brookfield Primary School, Huyton',
  phase: 'PRIMARY',
  localAuthority: { code: '340', name: 'Knowsley' },
  inAuthority: true,
  designatedTeacher: {
    name: 'Mr Owen Price',
    title: 'Mr',
    forename: 'Owen',
    surname: 'Price',
    jobTitle: '=SUM(A1:A9)',
    workEmail: 'o.price@brookfield.example',
    workPhone: '+44 151 496 3001',
    confirmedOn: '2025-09-10',
  },
  namedGovernor: null,
  virtualSchoolContact: {
    name: 'Aisha Rahman',
    jobTitle: 'Virtual School Officer',
    workEmail: 'aisha.rahman@council.example',
    workPhone: '0151 496 2001',
  },
  updatedAt: '2025-09-10T10:00:00.000Z',
  ...overrides,
});

describe('registerCsv', () => {
  it('writes RFC 4180 rows, quoting commas and neutralising formulas', () => {
    const csv = registerCsv([entry(), entry({ urn: '100002', designatedTeacher: null })]);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      '100001,"Brookfield Primary School, Huyton",PRIMARY,340,Knowsley,true,Mr Owen Price,Mr,Owen,' +
        "Price,'=SUM(A1:A9),o.price@brookfield.example,'+44 151 496 3001,2025-09-10,,,," +
        'Aisha Rahman,Virtual School Officer,aisha.rahman@council.example,0151 496 2001,' +
        '2025-09-10T10:00:00.000Z',
    );
    expect(lines[2]).toMatch(
      /^100002,"Brookfield Primary School, Huyton",PRIMARY,340,Knowsley,true,,,,,,,,,,,,Aisha/,
    );
    expect(lines[3]).toBe('');
  });
});

describe('strongEtag and noneMatch', () => {
  it('gives the same strong tag for the same bytes, another for others', () => {
    expect(strongEtag('a')).toBe(strongEtag('a'));
    expect(strongEtag('a')).not.toBe(strongEtag('b'));
    expect(strongEtag('a')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it('matches If-None-Match lists weakly, and *', () => {
    const tag = strongEtag('x');
    expect(noneMatch(undefined, tag)).toBe(false);
    expect(noneMatch(tag, tag)).toBe(true);
    expect(noneMatch(`"other", W/${tag}`, tag)).toBe(true);
    expect(noneMatch('*', tag)).toBe(true);
    expect(noneMatch('"other"', tag)).toBe(false);
  });
});

describe('filterFromQuery', () => {
  it('reads lists comma-separated or repeated, and texts once', () => {
    expect(
      filterFromQuery({
        localAuthority: '340',
        phase: ['PRIMARY,SECONDARY', 'SPECIAL'],
        urns: '100001, 100002,',
        name: 'oak',
        changedSince: '2026-01-01',
      }),
    ).toEqual({
      localAuthority: ['340'],
      phase: ['PRIMARY', 'SECONDARY', 'SPECIAL'],
      urns: ['100001', '100002'],
      name: 'oak',
      changedSince: '2026-01-01',
    });
    expect(filterFromQuery({})).toEqual({});
  });

  it('refuses unknown parameters, nested values and repeated texts', () => {
    expect(() => filterFromQuery({ changed_since: '2026-01-01' })).toThrow(/Unknown/);
    expect(() => filterFromQuery({ urns: { a: '1' } as never })).toThrow(/comma-separated/);
    expect(() => filterFromQuery({ name: ['a', 'b'] })).toThrow(/once/);
  });
});
