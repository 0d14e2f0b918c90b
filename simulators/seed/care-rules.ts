/**
 * The weights and rules behind a child's care history: age bands, legal status and placement
 * type mixes, providers, how likely a placement is out of area, which legal status comes
 * before which, and why children leave care. Tuned so a generated authority's current
 * children look like a real one's (C2 about 60%, foster care about 70%, 40% out of area).
 */
import { Weighted, weighted, type Rng } from './random';

export type Band = 'baby' | 'early' | 'primary' | 'teen' | 'older';

export function bandOf(age: number): Band {
  if (age < 1) return 'baby';
  if (age < 5) return 'early';
  if (age < 10) return 'primary';
  if (age < 16) return 'teen';
  return 'older';
}

export const AGE_BANDS = new Weighted<[number, number]>([
  [[0, 0], 5],
  [[1, 4], 14],
  [[5, 9], 18],
  [[10, 15], 39],
  [[16, 17], 24],
]);

export const LS_BY_BAND: Record<Band, Weighted<string>> = {
  baby: new Weighted([
    ['C1', 30],
    ['C2', 30],
    ['E1', 10],
    ['V2', 18],
    ['L2', 5],
    ['L1', 2],
    ['L3', 0.5],
  ]),
  early: new Weighted([
    ['C2', 46],
    ['C1', 13],
    ['E1', 32],
    ['V2', 8],
    ['L2', 1],
    ['D1', 0.5],
    ['V3', 0.3],
  ]),
  primary: new Weighted([
    ['C2', 64],
    ['C1', 9],
    ['E1', 17],
    ['V2', 8],
    ['V3', 0.8],
    ['V4', 0.8],
    ['D1', 0.3],
  ]),
  teen: new Weighted([
    ['C2', 74],
    ['C1', 10],
    ['V2', 12],
    ['J1', 1.5],
    ['D1', 0.3],
    ['V3', 0.6],
    ['V4', 0.6],
    ['J2', 0.2],
    ['J3', 0.3],
    ['L1', 0.2],
    ['L2', 0.4],
  ]),
  older: new Weighted([
    ['C2', 66],
    ['C1', 6],
    ['V2', 24],
    ['J1', 2.5],
    ['J3', 0.5],
    ['J2', 0.2],
    ['L1', 0.2],
    ['V3', 0.3],
    ['V4', 0.3],
  ]),
};

/** Placement type by age at the start of the placement (adoption and legal-status specials aside). */
const PLACE_BY_BAND: Record<Band, ReadonlyArray<readonly [string, number]>> = {
  baby: [
    ['U6', 40],
    ['U4', 14],
    ['U3', 14],
    ['U1', 4],
    ['U2', 2],
    ['U5', 3],
    ['P1', 12],
    ['R3', 4],
    ['R2', 0.3],
    ['T0', 0.3],
  ],
  early: [
    ['U6', 38],
    ['U4', 18],
    ['U3', 14],
    ['U1', 4],
    ['U2', 2],
    ['U5', 3],
    ['P1', 11],
    ['R3', 1],
    ['K2', 0.5],
    ['R1', 0.3],
    ['Z11', 0.2],
    ['Z12', 0.2],
    ['T0', 0.3],
  ],
  primary: [
    ['U4', 35],
    ['U6', 30],
    ['U3', 12],
    ['U1', 5],
    ['U5', 1],
    ['U2', 0.5],
    ['K2', 4],
    ['P1', 8],
    ['R1', 0.5],
    ['S1', 0.5],
    ['Z11', 0.3],
    ['Z12', 0.3],
    ['T1', 0.3],
  ],
  teen: [
    ['U4', 32],
    ['U6', 24],
    ['U3', 9],
    ['U1', 4],
    ['K2', 18],
    ['P1', 8],
    ['R1', 2],
    ['S1', 2],
    ['K1', 0.5],
    ['R2', 0.3],
    ['R5', 0.2],
    ['Z11', 0.5],
    ['Z13', 0.5],
    ['Z14', 0.3],
    ['T2', 0.3],
    ['T3', 0.2],
  ],
  older: [
    ['K3', 30],
    ['K2', 14],
    ['U4', 20],
    ['U6', 17],
    ['U3', 6],
    ['U1', 2],
    ['P1', 5],
    ['R1', 2],
    ['S1', 1],
    ['K1', 0.5],
    ['R5', 0.5],
    ['P3', 0.5],
    ['Z12', 0.5],
    ['Z14', 0.5],
    ['T4', 0.3],
    ['R2', 0.2],
  ],
};

const PROVIDERS: Record<string, Weighted<string>> = {};
export function providerTable(place: string): Weighted<string> {
  let t = PROVIDERS[place];
  if (t) return t;
  let entries: Array<[string, number]>;
  if (['U1', 'U2', 'U3'].includes(place))
    entries = [
      ['PR1', 90],
      ['PR2', 10],
    ];
  else if (['U4', 'U5', 'U6'].includes(place))
    entries = [
      ['PR1', 55],
      ['PR4', 35],
      ['PR5', 10],
    ];
  else if (place.startsWith('A'))
    entries = [
      ['PR1', 50],
      ['PR2', 30],
      ['PR5', 20],
    ];
  else if (place === 'K1')
    entries = [
      ['PR1', 50],
      ['PR2', 50],
    ];
  else if (place === 'K2')
    entries = [
      ['PR4', 70],
      ['PR1', 20],
      ['PR5', 10],
    ];
  else if (place === 'K3' || place === 'H5')
    entries = [
      ['PR4', 60],
      ['PR5', 25],
      ['PR1', 15],
    ];
  else if (place === 'P1') entries = [['PR0', 1]];
  else if (place === 'P2')
    entries = [
      ['PR1', 50],
      ['PR4', 50],
    ];
  else if (['R2', 'R5'].includes(place)) entries = [['PR3', 1]];
  else if (place === 'R1')
    entries = [
      ['PR4', 80],
      ['PR3', 20],
    ];
  else if (place === 'R3')
    entries = [
      ['PR4', 60],
      ['PR1', 40],
    ];
  else if (place === 'S1')
    entries = [
      ['PR4', 60],
      ['PR5', 40],
    ];
  else if (place.startsWith('T')) entries = [['PR1', 1]];
  else
    entries = [
      ['PR4', 50],
      ['PR5', 30],
      ['PR1', 20],
    ];
  t = new Weighted(entries);
  PROVIDERS[place] = t;
  return t;
}

/** Chance the placement is in another authority's area, by type and provider. */
export function outOfAreaChance(place: string, provider: string): number {
  if (place === 'P1') return 0.15;
  if (['U1', 'U2', 'U3'].includes(place)) return 0.33;
  if (['U4', 'U5', 'U6'].includes(place)) return provider === 'PR1' ? 0.25 : 0.55;
  if (place === 'K2' || place === 'K1' || place === 'R1' || place === 'S1') return 0.65;
  if (place === 'K3' || place === 'H5') return 0.45;
  if (place.startsWith('A')) return 0.5;
  return 0.4;
}

export const UASC_ETHNIC = new Weighted([
  ['AOTH', 30],
  ['BAFR', 33],
  ['OOTH', 15],
  ['WOTH', 8],
  ['MOTH', 5],
  ['BOTH', 7],
  ['REFU', 2],
]);
export const ETHNIC = new Weighted([
  ['WBRI', 80],
  ['WIRI', 1],
  ['WOTH', 3],
  ['WROM', 0.5],
  ['WIRT', 0.5],
  ['MWBC', 3],
  ['MWBA', 1],
  ['MWAS', 1],
  ['MOTH', 2],
  ['AIND', 0.5],
  ['APKN', 0.5],
  ['ABAN', 0.3],
  ['AOTH', 0.5],
  ['BCRB', 0.5],
  ['BAFR', 1],
  ['BOTH', 0.5],
  ['CHNE', 0.3],
  ['OOTH', 1],
  ['REFU', 0.3],
  ['NOBT', 1],
]);
export const CIN = new Weighted([
  ['N1', 64],
  ['N2', 3],
  ['N3', 4],
  ['N4', 8],
  ['N5', 13],
  ['N6', 2],
  ['N7', 0.5],
  ['N8', 5],
]);
export const RNE_CHANGE = new Weighted([
  ['P', 55],
  ['L', 14],
  ['T', 10],
  ['U', 5],
  ['B', 16],
]);

/** Reasons for a move to a new carer (a change of status alone, T or U, is 'PLACE'). */
export const PLACE_CHANGE_REASON = new Weighted([
  ['CARPL', 38],
  ['CREQB', 10],
  ['CREQO', 8],
  ['CHILD', 6],
  ['LAREQ', 8],
  ['CLOSE', 4],
  ['ALLEG', 2],
  ['STAND', 2],
  ['APPRR', 2],
  ['CUSTOD', 1],
  ['OTHER', 7],
]);

/** The legal status a child more likely had before a change to `ls`, or null when none fits. */
export function predecessorLs(rng: Rng, ls: string): string | null {
  switch (ls) {
    case 'C2':
      return weighted(rng, [
        ['C1', 75],
        ['V2', 18],
        ['L2', 7],
      ]);
    case 'C1':
      return weighted(rng, [
        ['V2', 50],
        ['L2', 30],
        ['L1', 20],
      ]);
    case 'E1':
      return rng.chance(0.9) ? 'C2' : 'C1';
    case 'D1':
      return 'C2';
    case 'J1':
      return rng.chance(0.5) ? 'V2' : 'J2';
    case 'J3':
      return 'J1';
    case 'V2':
      return rng.chance(0.3)
        ? weighted(rng, [
            ['L1', 70],
            ['J1', 30],
          ])
        : null;
    default:
      return null;
  }
}

export const FOSTER_SIBLING: Readonly<Record<string, string>> = {
  U1: 'U3',
  U3: 'U1',
  U2: 'U3',
  U4: 'U6',
  U6: 'U4',
  U5: 'U6',
  A3: 'U6',
  A5: 'U4',
};

export interface PlaceRules {
  age: number;
  ls: string;
  uasc: boolean;
  /** Only the last episode may be an adoption placement. */
  allowAdoption: boolean;
}

export function drawPlace(rng: Rng, r: PlaceRules): string {
  if (r.allowAdoption && (r.ls === 'E1' || r.ls === 'D1') && rng.chance(0.4)) {
    return rng.chance(0.3) ? 'A5' : 'A6';
  }
  if (r.allowAdoption && r.ls === 'C2' && r.age < 5 && rng.chance(0.015)) {
    return rng.chance(0.5) ? 'A3' : 'A4';
  }
  if (r.ls.startsWith('J'))
    return weighted(rng, [
      ['K2', 40],
      ['U4', 15],
      ['U6', 25],
      ['K1', 10],
      ['R5', 10],
    ]);
  if (r.ls.startsWith('L'))
    return weighted(rng, [
      ['U6', 70],
      ['U3', 15],
      ['K2', 15],
    ]);
  if (r.ls === 'V3' || r.ls === 'V4')
    return weighted(rng, [
      ['K2', 50],
      ['U4', 25],
      ['U6', 25],
    ]);
  if (r.uasc) {
    if (r.age >= 16)
      return weighted(rng, [
        ['K3', 55],
        ['U6', 25],
        ['U4', 10],
        ['K2', 10],
      ]);
    return weighted(rng, [
      ['U6', 60],
      ['U4', 20],
      ['K2', 20],
    ]);
  }
  const table = PLACE_BY_BAND[bandOf(r.age)].filter(
    ([p]) => (p !== 'P1' || r.ls === 'C1' || r.ls === 'C2') && (p !== 'K3' || r.age >= 16),
  );
  return weighted(rng, table);
}

/** Reason a child left care, consistent with their age and the last placement. */
export function drawCeaseReason(rng: Rng, age: number, uasc: boolean): string {
  const entries: Array<[string, number]> = [
    ['E4A', 30],
    ['E13', 8],
    ['E41', 5],
    ['E45', 9],
    ['E46', 3],
    ['E47', 5],
    ['E48', 2],
    ['E8', 3],
    ['E3', 2],
    ['E4B', 3],
    ['E16', 1],
  ];
  if (age < 10) entries.push(['E11', 16], ['E12', 4]);
  if (age >= 10) entries.push(['E14', 2]);
  if (age >= 12) entries.push(['E9', 1]);
  if (age >= 16) entries.push(['E5', 3], ['E6', 1]);
  if (uasc) entries.push(['E15', 6]);
  return weighted(rng, entries);
}
