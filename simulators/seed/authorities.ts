/**
 * Local authorities the world knows: the default (looking-after) authority and its
 * neighbours, where out-of-area placements are and whose children attend our schools (COLA).
 * Postcode districts and town names are real places; every full postcode and address built
 * from them is invented.
 */

export interface Authority {
  code: string;
  name: string;
}

export const DEFAULT_AUTHORITY: Authority = { code: '340', name: 'Knowsley' };

/** Other authorities, for out-of-area placements and children looked after by others. */
export const OTHER_AUTHORITIES: readonly Authority[] = [
  { code: '341', name: 'Liverpool' },
  { code: '342', name: 'St Helens' },
  { code: '343', name: 'Sefton' },
  { code: '344', name: 'Wirral' },
  { code: '359', name: 'Wigan' },
  { code: '350', name: 'Bolton' },
  { code: '877', name: 'Warrington' },
];

export const AUTHORITY_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  [DEFAULT_AUTHORITY, ...OTHER_AUTHORITIES].map((a) => [a.code, a.name]),
);

/** How likely an out-of-area placement (or a COLA pupil's authority) is each neighbour. */
export const NEIGHBOUR_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['341', 30],
  ['342', 15],
  ['343', 15],
  ['344', 12],
  ['359', 10],
  ['350', 6],
  ['877', 12],
];

/** The neighbour weights without the home authority (when it is one of them). */
export function neighbourWeightsFor(homeCode: string): ReadonlyArray<readonly [string, number]> {
  return NEIGHBOUR_WEIGHTS.filter(([code]) => code !== homeCode);
}

/** Postcode district and the town it serves, per authority code. */
const DISTRICTS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  '340': [
    ['L36', 'Huyton'],
    ['L32', 'Kirkby'],
    ['L33', 'Kirkby'],
    ['L34', 'Prescot'],
    ['L35', 'Whiston'],
    ['L26', 'Halewood'],
    ['L28', 'Stockbridge Village'],
    ['L14', 'Page Moss'],
  ],
  '341': [
    ['L4', 'Walton'],
    ['L6', 'Everton'],
    ['L8', 'Toxteth'],
    ['L11', 'Norris Green'],
    ['L12', 'West Derby'],
    ['L15', 'Wavertree'],
    ['L19', 'Garston'],
    ['L24', 'Speke'],
  ],
  '342': [
    ['WA9', 'St Helens'],
    ['WA10', 'St Helens'],
    ['WA11', 'Haydock'],
    ['WA12', 'Newton-le-Willows'],
  ],
  '343': [
    ['L20', 'Bootle'],
    ['L21', 'Litherland'],
    ['L23', 'Crosby'],
    ['L30', 'Netherton'],
    ['L31', 'Maghull'],
    ['PR8', 'Southport'],
    ['PR9', 'Southport'],
  ],
  '344': [
    ['CH41', 'Birkenhead'],
    ['CH42', 'Tranmere'],
    ['CH44', 'Wallasey'],
    ['CH46', 'Moreton'],
    ['CH49', 'Upton'],
    ['CH63', 'Bebington'],
  ],
  '359': [
    ['WN1', 'Wigan'],
    ['WN2', 'Hindley'],
    ['WN5', 'Orrell'],
    ['WN7', 'Leigh'],
    ['M46', 'Atherton'],
  ],
  '350': [
    ['BL1', 'Bolton'],
    ['BL3', 'Bolton'],
    ['BL4', 'Farnworth'],
    ['BL5', 'Westhoughton'],
  ],
  '877': [
    ['WA1', 'Warrington'],
    ['WA2', 'Orford'],
    ['WA4', 'Stockton Heath'],
    ['WA5', 'Great Sankey'],
  ],
};

/** Postcode districts of an authority; an authority not in the table borrows the default's. */
export function districtsOf(laCode: string): ReadonlyArray<readonly [string, string]> {
  return DISTRICTS[laCode] ?? DISTRICTS[DEFAULT_AUTHORITY.code]!;
}

export function authorityName(code: string): string {
  return AUTHORITY_NAMES[code] ?? `Authority ${code}`;
}

/** Lower-case slug of an authority name for invented e-mail domains, e.g. "st-helens". */
export function authoritySlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
