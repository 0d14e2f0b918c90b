/**
 * Schools: the authority's own (about one per ten children looked after, 20 to 2,000) and a
 * smaller set in the neighbouring authorities where out-of-area children go. Also the
 * directory the rest of the generator uses to put a pupil in a school that teaches their year.
 */
import type { EdPhase, EdSchool } from '../../upstream/education/contract';
import { YEAR_GROUPS, addSchoolDays, type YearGroup } from '../../domain/school-calendar';
import { neighbourWeightsFor, authorityName, districtsOf, type Authority } from './authorities';
import { randomDate, timestampOn, addDays, type SeedContext } from './context';
import { fullPostcode, placeName, saintName } from './names';
import type { Rng } from './random';

/** Which kind of place a pupil needs. */
export type SchoolKind = 'MAINSTREAM' | 'SPECIAL' | 'PRU' | 'NURSERY';

export interface SchoolInfo {
  school: EdSchool;
  kind: SchoolKind;
  yearGroups: readonly YearGroup[];
  inArea: boolean;
  /** Invented e-mail domain, e.g. "oakfield-primary.sch.example". */
  domain: string;
  /** Relative chance of being picked for a pupil (some schools take many children looked after). */
  popularity: number;
  /**
   * A school elsewhere: the date of the latest return (attendance, exclusions, attainment) it
   * sent the Virtual School, or null when it sends none. Always null for the authority's own
   * schools, whose MIS feeds the LA's system directly.
   */
  latestReturnOn: string | null;
}

/** Share of schools outside the authority that send the Virtual School returns. */
export const RETURNING_SCHOOL_SHARE = 0.6;
/** A returning school's latest return is 1 to this many school days before asOf. */
const LATEST_RETURN_MAX_SCHOOL_DAYS = 20;

/**
 * The latest return of a school outside the authority, or null when it sends none: about 60%
 * send them, each last in the few school weeks before asOf. Drawn from its own stream, so the
 * rest of the school (and of the world) is the same whether or not it sends returns.
 */
function latestReturnOf(rng: Rng, asOf: string): string | null {
  if (!rng.chance(RETURNING_SCHOOL_SHARE)) return null;
  return addSchoolDays(asOf, -rng.int(1, LATEST_RETURN_MAX_SCHOOL_DAYS));
}

const RANGE = (from: YearGroup, to: YearGroup): YearGroup[] =>
  YEAR_GROUPS.slice(YEAR_GROUPS.indexOf(from), YEAR_GROUPS.indexOf(to) + 1);

const ESTAB_RANGES: Record<EdPhase, [number, number]> = {
  NURSERY: [1000, 1099],
  PRU: [1100, 1199],
  PRIMARY: [2000, 3999],
  ALL_THROUGH: [4000, 6999],
  SECONDARY: [4000, 6999],
  SPECIAL: [7000, 7999],
};

interface PlannedSchool {
  phase: EdPhase;
  yearGroups: YearGroup[];
  la: Authority;
}

/** How many of each phase an authority with `n` schools has. */
function phaseCounts(n: number): Record<'NURSERY' | 'PRU' | 'SPECIAL' | 'SECONDARY', number> {
  return {
    SECONDARY: Math.max(2, Math.round(n / 6)),
    SPECIAL: Math.max(1, Math.round(n / 20)),
    PRU: Math.max(1, Math.round(n / 60)),
    NURSERY: Math.max(1, Math.round(n / 60)),
  };
}

export function schoolCountFor(children: number): number {
  return Math.min(2000, Math.max(20, Math.round(children / 10)));
}

function planInArea(rng: Rng, la: Authority, n: number): PlannedSchool[] {
  const c = phaseCounts(n);
  const plan: PlannedSchool[] = [];
  for (let i = 0; i < c.SECONDARY; i++) {
    const sixthForm = i === 0 || rng.chance(0.6);
    plan.push({ phase: 'SECONDARY', yearGroups: RANGE('7', sixthForm ? '13' : '11'), la });
  }
  const specialRanges: YearGroup[][] = [RANGE('R', '13'), RANGE('7', '13'), RANGE('R', '11')];
  for (let i = 0; i < c.SPECIAL; i++) {
    plan.push({ phase: 'SPECIAL', yearGroups: specialRanges[i % 3]!, la });
  }
  for (let i = 0; i < c.PRU; i++) plan.push({ phase: 'PRU', yearGroups: RANGE('5', '11'), la });
  for (let i = 0; i < c.NURSERY; i++) {
    plan.push({ phase: 'NURSERY', yearGroups: ['N1', 'N2'], la });
  }
  const primaries = n - plan.length;
  for (let i = 0; i < primaries; i++)
    plan.push({ phase: 'PRIMARY', yearGroups: RANGE('R', '6'), la });
  return plan;
}

function planOutOfArea(rng: Rng, home: string, nInArea: number): PlannedSchool[] {
  const weights = neighbourWeightsFor(home);
  const total = Math.max(weights.length * 3, Math.round((nInArea * 2) / 3));
  const weightSum = weights.reduce((s, [, w]) => s + w, 0);
  const plan: PlannedSchool[] = [];
  let left = total;
  weights.forEach(([code, w], i) => {
    const la = { code, name: authorityName(code) };
    const share =
      i === weights.length - 1
        ? Math.max(3, left)
        : Math.max(3, Math.round((total * w) / weightSum));
    left -= share;
    // One of each kind every authority needs, then mostly primaries.
    plan.push({ phase: 'PRIMARY', yearGroups: RANGE('R', '6'), la });
    plan.push({ phase: 'SECONDARY', yearGroups: RANGE('7', '13'), la });
    plan.push({ phase: 'SPECIAL', yearGroups: RANGE('R', '13'), la });
    for (let k = 3; k < share; k++) {
      const x = rng.next();
      if (x < 0.8) plan.push({ phase: 'PRIMARY', yearGroups: RANGE('R', '6'), la });
      else if (x < 0.97) {
        plan.push({
          phase: 'SECONDARY',
          yearGroups: RANGE('7', rng.chance(0.6) ? '13' : '11'),
          la,
        });
      } else plan.push({ phase: 'SPECIAL', yearGroups: RANGE('R', '13'), la });
    }
  });
  return plan;
}

function kindOf(phase: EdPhase): SchoolKind {
  switch (phase) {
    case 'SPECIAL':
      return 'SPECIAL';
    case 'PRU':
      return 'PRU';
    case 'NURSERY':
      return 'NURSERY';
    default:
      return 'MAINSTREAM';
  }
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

interface Named {
  name: string;
  type: string;
}

function nameSchool(rng: Rng, phase: EdPhase, inArea: boolean): Named {
  const place = placeName(rng);
  switch (phase) {
    case 'PRIMARY': {
      const x = rng.next();
      if (x < 0.2) {
        return {
          name: `St ${saintName(rng)}'s Catholic Primary School`,
          type: rng.chance(0.7) ? 'VOLUNTARY_AIDED' : 'ACADEMY',
        };
      }
      if (x < 0.3)
        return { name: `${place} Church of England Primary School`, type: 'VOLUNTARY_AIDED' };
      if (x < 0.55) return { name: `${place} Primary Academy`, type: 'ACADEMY' };
      return {
        name: `${place} Primary School`,
        type: rng.chance(0.75) ? 'COMMUNITY' : rng.chance(0.5) ? 'FOUNDATION' : 'ACADEMY',
      };
    }
    case 'SECONDARY':
    case 'ALL_THROUGH': {
      const x = rng.next();
      if (x < 0.12)
        return { name: `St ${saintName(rng)}'s Catholic High School`, type: 'VOLUNTARY_AIDED' };
      if (x < 0.55) return { name: `${place} Academy`, type: 'ACADEMY' };
      return {
        name: `${place} High School`,
        type: rng.chance(0.6) ? 'ACADEMY' : rng.chance(0.7) ? 'COMMUNITY' : 'FOUNDATION',
      };
    }
    case 'SPECIAL':
      return {
        name: `${place} School`,
        type: !inArea && rng.chance(0.3) ? 'INDEPENDENT' : 'SPECIAL',
      };
    case 'PRU':
      return {
        name: rng.chance(0.5) ? `${place} Centre` : `${place} Pupil Referral Unit`,
        type: 'PRU',
      };
    case 'NURSERY':
      return { name: `${place} Nursery School`, type: 'COMMUNITY' };
  }
}

/** Every school in the world, and a way to find one for a pupil. */
export class SchoolDirectory {
  readonly all: SchoolInfo[] = [];
  readonly byUrn = new Map<string, SchoolInfo>();
  private readonly cache = new Map<string, { schools: SchoolInfo[]; cdf: number[] }>();

  constructor(private readonly homeLa: string) {}

  add(info: SchoolInfo): void {
    this.all.push(info);
    this.byUrn.set(info.school.urn, info);
  }

  get inArea(): SchoolInfo[] {
    return this.all.filter((s) => s.inArea);
  }

  private candidates(
    la: string,
    yg: YearGroup,
    kind: SchoolKind,
  ): { schools: SchoolInfo[]; cdf: number[] } {
    const key = `${la}|${yg}|${kind}`;
    let entry = this.cache.get(key);
    if (!entry) {
      const schools = this.all.filter(
        (s) => s.school.la_code === la && s.kind === kind && s.yearGroups.includes(yg),
      );
      const cdf: number[] = [];
      let sum = 0;
      for (const s of schools) {
        sum += s.popularity;
        cdf.push(sum);
      }
      entry = { schools, cdf };
      this.cache.set(key, entry);
    }
    return entry;
  }

  private draw(rng: Rng, list: { schools: SchoolInfo[]; cdf: number[] }): SchoolInfo {
    const x = rng.next() * list.cdf[list.cdf.length - 1]!;
    let lo = 0;
    let hi = list.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list.cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return list.schools[lo]!;
  }

  /**
   * A school in `la` of the wanted kind that teaches `yg`, weighted by popularity. Falls back
   * to a mainstream school, then to any school in `la`, then to the home authority. Avoids
   * `exclude` when there is any other choice.
   */
  pick(rng: Rng, la: string, yg: YearGroup, kind: SchoolKind, exclude?: string): SchoolInfo {
    const order: Array<[string, SchoolKind]> = [
      [la, kind],
      [la, 'MAINSTREAM'],
      [la, 'SPECIAL'],
      [this.homeLa, kind],
      [this.homeLa, 'MAINSTREAM'],
      [this.homeLa, 'SPECIAL'],
    ];
    for (const [l, k] of order) {
      const list = this.candidates(l, yg, k);
      if (list.schools.length === 0) continue;
      let choice = this.draw(rng, list);
      for (let i = 0; i < 4 && choice.school.urn === exclude && list.schools.length > 1; i++) {
        choice = this.draw(rng, list);
      }
      if (choice.school.urn === exclude && list.schools.length > 1) {
        choice = list.schools.find((s) => s.school.urn !== exclude)!;
      }
      return choice;
    }
    throw new Error(`No school teaches year ${yg} anywhere`);
  }
}

/** Builds the world's schools: the authority's own first, then the neighbours'. */
export function generateSchools(ctx: SeedContext, children: number): SchoolDirectory {
  const rng = ctx.rng.fork('schools');
  const dir = new SchoolDirectory(ctx.la.code);
  const nIn = schoolCountFor(children);
  const plans = [...planInArea(rng, ctx.la, nIn), ...planOutOfArea(rng, ctx.la.code, nIn)];
  const urns = new Set<string>();
  const estabs = new Set<string>();
  const names = new Set<string>();
  const domains = new Set<string>();
  plans.forEach((plan, i) => {
    const r = rng.fork(`school:${i}`);
    const inArea = plan.la.code === ctx.la.code;
    let urn: string;
    do urn = String(r.int(100000, 199999));
    while (urns.has(urn));
    urns.add(urn);
    const [lo, hi] = ESTAB_RANGES[plan.phase];
    let laestab: string;
    do laestab = `${plan.la.code}${r.int(lo, hi)}`;
    while (estabs.has(laestab));
    estabs.add(laestab);
    const [district, town] = r.pick(districtsOf(plan.la.code));
    let named = nameSchool(r, plan.phase, inArea);
    for (let attempt = 0; names.has(named.name) && attempt < 20; attempt++) {
      named = nameSchool(r, plan.phase, inArea);
    }
    if (names.has(named.name)) named = { ...named, name: `${named.name}, ${town}` };
    for (let k = 2; names.has(named.name); k++) named = { ...named, name: `${named.name} ${k}` };
    names.add(named.name);
    let domain = `${slug(named.name.replace(/ School$/, ''))}.sch.example`;
    for (let k = 2; domains.has(domain); k++)
      domain = domain.replace(/(-\d+)?\.sch\.example$/, `-${k}.sch.example`);
    domains.add(domain);
    const updated = randomDate(r, addDays(ctx.asOf, -180), ctx.asOf);
    dir.add({
      school: {
        urn,
        laestab,
        name: named.name,
        phase: plan.phase,
        type: named.type,
        la_code: plan.la.code,
        la_name: plan.la.name,
        postcode: fullPostcode(r, `${district} ${r.int(1, 9)}`),
        updated_at: timestampOn(r, updated),
      },
      kind: kindOf(plan.phase),
      yearGroups: plan.yearGroups,
      inArea,
      domain,
      popularity: Math.exp(r.normal(0, 0.7)),
      latestReturnOn: inArea ? null : latestReturnOf(rng.fork(`returns:${urn}`), ctx.asOf),
    });
  });
  return dir;
}
