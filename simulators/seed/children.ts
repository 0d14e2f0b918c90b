/**
 * Children looked after, as the social care case system holds them: the 903 header, 1-4
 * episodes (the current one open; about 10% of children ceased care in the last year and keep
 * their closed history), and the carer and address of each placement (about 18% of entries to
 * care are emergency placements). Episode chains are built backwards from the current (or last)
 * episode so that every RNE matches what changed.
 */
import type { ScChild, ScEpisode, ScPlacement } from '../../upstream/social-care/contract';
import {
  ageOn,
  isoToDayNumber,
  dayNumberToIso,
  yearGroupFor,
  type YearGroup,
} from '../../domain/school-calendar';
import { districtsOf } from './authorities';
import { HISTORIC_PLACEMENT_CUTOFF } from './codes';
import { addDays, maxDate, minusYears, randomDate, type SeedContext } from './context';
import {
  adultName,
  forename as drawForename,
  fullPostcode,
  mobile,
  nameGroupFor,
  placeName,
  preferredName,
  providerLandline,
  streetAddress,
  surname as drawSurname,
} from './names';
import {
  AGE_BANDS,
  CIN,
  ETHNIC,
  FOSTER_SIBLING,
  LS_BY_BAND,
  PLACE_CHANGE_REASON,
  RNE_CHANGE,
  UASC_ETHNIC,
  bandOf,
  drawCeaseReason,
  drawPlace,
  outOfAreaChance,
  predecessorLs,
  providerTable,
} from './care-rules';
import type { Rng } from './random';
import { weighted } from './random';
import type { StudentFull } from './world';

export interface ChildDraft {
  child: ScChild;
  episodes: ScEpisode[];
  placements: ScPlacement[];
  /** Looked after now (the last episode is open). */
  current: boolean;
  /** DECOM of the first episode. */
  careStart: string;
  /** DEC of the last episode for a child who has left care. */
  ceased: string | null;
  gender: 'M' | 'F';
  age: number;
  yearGroup: YearGroup | null;
  /** Authority whose schools the child attends: the current placement's, or home after care. */
  schoolLa: string;
  student: StudentFull | null;
}

interface Carer {
  name: string;
  phone: string | null;
  email: string | null;
  address: string;
  town: string;
  postcode: string;
  plLa: string;
  plPost: string;
  provider: string;
  urn: string | null;
}

interface Stint {
  ls: string;
  place: string;
  carer: Carer;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const KIN = [
  'maternal grandmother',
  'paternal grandmother',
  'grandparents',
  'aunt',
  'uncle',
  'family friend',
  'older sister',
];

function carerFor(
  rng: Rng,
  ctx: SeedContext,
  place: string,
  provider: string,
  childSurname: string,
): Carer {
  const plLa = rng.chance(outOfAreaChance(place, provider))
    ? ctx.neighbours.draw(rng)
    : ctx.la.code;
  const [district, town] = rng.pick(districtsOf(plLa));
  const plPost = `${district} ${rng.int(1, 9)}`;
  let name: string;
  let phone: string | null = null;
  let email: string | null = null;
  let urn: string | null = null;
  const person = (): string => {
    const a = adultName(rng);
    return `${a.title} ${a.forename} ${a.surname}`;
  };
  const couple = (): string => {
    const a = adultName(rng);
    const x = rng.next();
    if (x < 0.6) return `Mr and Mrs ${a.surname}`;
    if (x < 0.9) return `${a.title} ${a.forename} ${a.surname}`;
    const b = adultName(rng);
    return `${a.forename} ${a.surname} and ${b.forename} ${b.surname}`;
  };
  if (['U1', 'U2', 'U3'].includes(place)) {
    const a = adultName(rng);
    name = `${a.title} ${a.forename} ${rng.chance(0.5) ? childSurname : a.surname} (${rng.pick(KIN)})`;
  } else if (place === 'P1') {
    const a = adultName(rng);
    name = `${a.forename} ${rng.chance(0.7) ? childSurname : a.surname} (${a.sex === 'M' ? 'father' : 'mother'})`;
  } else if (/^U[4-6]$/.test(place) || /^A[3-6]$/.test(place) || place.startsWith('T')) {
    name = couple();
    if (place.startsWith('A')) name += ' (prospective adopters)';
    if (provider === 'PR1' || provider === 'PR2') phone = mobile(rng);
    else {
      const agency = `${placeName(rng)} Fostering`;
      phone = providerLandline(rng);
      email = `placements@${slug(agency)}.fostering.example`;
    }
  } else {
    const base = placeName(rng);
    const kinds: Record<string, string> = {
      K1: `${base} Secure Children's Home`,
      K2: rng.chance(0.5) ? `${base} House` : `${base} Lodge`,
      K3: `${base} Supported Living`,
      H5: `${base} Supported Living`,
      P2: `${base} Supported Lodgings (host: ${person()})`,
      P3: `${base} Farm (residential employment)`,
      R1: `${base} Care Home`,
      R2: `${base} Hospital`,
      R3: `${base} Family Centre`,
      R5: `HMYOI ${base}`,
      S1: `${base} Residential School`,
    };
    name = kinds[place] ?? `${base} Project`;
    phone = providerLandline(rng);
    email = `office@${slug(base)}.care.example`;
    if (['K1', 'K2', 'K3', 'R1', 'S1'].includes(place)) urn = `SC${rng.int(100000, 999999)}`;
  }
  return {
    name,
    phone,
    email,
    address: streetAddress(rng),
    town,
    postcode: fullPostcode(rng, plPost),
    plLa,
    plPost,
    provider,
    urn,
  };
}

function makeDob(rng: Rng, asOf: string, age: number): string {
  const latest = minusYears(asOf, age);
  const earliest = addDays(minusYears(asOf, age + 1), 1);
  let dob = randomDate(rng, earliest, latest);
  // Guard the leap-day edge so the age at asOf is exactly `age`.
  while (ageOn(dob, asOf) > age) dob = addDays(dob, 1);
  while (ageOn(dob, asOf) < age) dob = addDays(dob, -1);
  return dob;
}

/** Days in care before `end`, drawn from a mix of recent entrants and long stays. */
function careLength(rng: Rng, maxDays: number, ceased: boolean, uasc: boolean): number {
  let d: number;
  const x = rng.next();
  if (uasc) d = rng.int(1, 2 * 365);
  else if (ceased)
    d = x < 0.4 ? rng.int(1, 365) : x < 0.75 ? rng.int(365, 3 * 365) : rng.int(3 * 365, 12 * 365);
  else
    d = x < 0.22 ? rng.int(1, 365) : x < 0.55 ? rng.int(365, 3 * 365) : rng.int(3 * 365, 16 * 365);
  return Math.max(1, Math.min(d, maxDays));
}

export function draftChild(ctx: SeedContext, index: number): ChildDraft {
  const rng = ctx.rng.fork(`child:${index}`);
  const id = String(1000001 + index);
  const [lo, hi] = AGE_BANDS.draw(rng);
  const age = rng.int(lo, hi);
  const uasc = (age >= 16 && rng.chance(0.25)) || (age >= 14 && age < 16 && rng.chance(0.05));
  const gender: 'M' | 'F' = uasc ? (rng.chance(0.92) ? 'M' : 'F') : rng.chance(0.534) ? 'M' : 'F';
  const dob = makeDob(rng, ctx.asOf, age);
  const ethnic = uasc ? UASC_ETHNIC.draw(rng) : ETHNIC.draw(rng);
  const group = nameGroupFor(ethnic, rng);
  const first = drawForename(rng, gender, group);
  const last = drawSurname(rng, group);
  const daysOld = isoToDayNumber(ctx.asOf) - isoToDayNumber(dob);
  // About 10% left care in the last 12 months (a child must have lived a couple of days first).
  const ceased = rng.chance(0.1) && daysOld >= 3;

  // The span of care: [careStart, end], end = asOf (still looked after) or the day care ceased.
  const end = ceased ? addDays(ctx.asOf, -rng.int(1, Math.min(365, daysOld - 1))) : ctx.asOf;
  const maxDays = isoToDayNumber(end) - isoToDayNumber(dob);
  // A newborn may come into care on the day of birth (length 0); a child who left had at least a day.
  const length = Math.max(
    ceased ? 1 : 0,
    Math.min(careLength(rng, maxDays, ceased, uasc), maxDays),
  );
  const careStart = addDays(end, -length);
  const span = isoToDayNumber(end) - isoToDayNumber(careStart);

  // How many episodes, and where the later ones start.
  let k =
    span < 30
      ? 1
      : span < 180
        ? rng.chance(0.7)
          ? 1
          : 2
        : weighted(rng, [
            [1, 45],
            [2, 30],
            [3, 15],
            [4, 10],
          ]);
  k = Math.min(k, Math.max(1, span));
  const cutSet = new Set<number>();
  while (cutSet.size < k - 1)
    cutSet.add(rng.int(isoToDayNumber(careStart) + 1, isoToDayNumber(end) - (ceased ? 1 : 0)));
  const starts = [isoToDayNumber(careStart), ...[...cutSet].sort((a, b) => a - b)].map(
    dayNumberToIso,
  );

  // The last episode first.
  const ageAtEnd = ageOn(dob, end);
  let rec: string | null = null;
  let lastLs = uasc ? (rng.chance(0.85) ? 'V2' : 'C2') : LS_BY_BAND[bandOf(age)].draw(rng);
  let lastPlace: string;
  const ageAtLastStart = ageOn(dob, starts[k - 1]!);
  if (ceased) {
    rec = drawCeaseReason(rng, ageAtEnd, uasc);
    if (rec === 'E11' || rec === 'E12') lastLs = 'E1';
    if (rec === 'E14') lastLs = 'J1';
  }
  lastPlace = drawPlace(rng, { age: ageAtLastStart, ls: lastLs, uasc, allowAdoption: true });
  if (rec === 'E11' || rec === 'E12') lastPlace = rng.pick(['A3', 'A4', 'A5', 'A6']);
  else if (rec === 'E45' || rec === 'E47') lastPlace = rng.pick(['U1', 'U3']);
  else if (rec === 'E46') lastPlace = rng.pick(['U4', 'U6']);
  else if (rec === 'E4A' && (lastLs === 'C1' || lastLs === 'C2') && rng.chance(0.4))
    lastPlace = 'P1';
  if (!rec && lastPlace.startsWith('A') && lastLs !== 'E1' && lastLs !== 'D1' && lastLs !== 'C2')
    lastLs = 'E1';
  if (lastPlace === 'P1' && lastLs !== 'C1' && lastLs !== 'C2') lastLs = 'C2';

  const stints: Stint[] = new Array<Stint>(k);
  const provider0 = providerTable(lastPlace).draw(rng);
  stints[k - 1] = {
    ls: lastLs,
    place: lastPlace,
    carer: carerFor(rng, ctx, lastPlace, provider0, last),
  };
  const rnes: string[] = new Array<string>(k);
  rnes[0] = 'S';
  for (let i = k - 2; i >= 0; i--) {
    const next = stints[i + 1]!;
    let rne = RNE_CHANGE.draw(rng);
    const sibling = FOSTER_SIBLING[next.place];
    const pred = predecessorLs(rng, next.ls);
    if ((rne === 'T' || rne === 'U') && !sibling) rne = rne === 'T' ? 'P' : 'B';
    if ((rne === 'L' || rne === 'U' || rne === 'B') && !pred)
      rne = rne === 'U' && sibling ? 'T' : 'P';
    rnes[i + 1] = rne;
    const ls = rne === 'L' || rne === 'U' || rne === 'B' ? pred! : next.ls;
    const ageAt = ageOn(dob, starts[i]!);
    let place: string;
    let carer: Carer;
    if (rne === 'L') {
      place = next.place;
      carer = next.carer;
    } else if (rne === 'T' || rne === 'U') {
      place = sibling!;
      carer = next.carer;
    } else {
      place = drawPlace(rng, { age: ageAt, ls, uasc, allowAdoption: false });
      if (place === 'P1' && ls !== 'C1' && ls !== 'C2') place = 'U6';
      carer = carerFor(rng, ctx, place, providerTable(place).draw(rng), last);
    }
    stints[i] = { ls, place, carer };
  }

  const cin = uasc ? 'N8' : CIN.draw(rng);
  const homeLa = rng.chance(0.85) ? ctx.la.code : ctx.neighbours.draw(rng);
  const [homeDistrict] = rng.pick(districtsOf(homeLa));
  const homePost = `${homeDistrict} ${rng.int(1, 9)}`;

  const episodes: ScEpisode[] = [];
  const placements: ScPlacement[] = [];
  // Emergency placements from a stream of their own, so adding them moved no other draw.
  const emergencyRng = ctx.rng.fork(`emergency:${index}`);
  let emergency = false;
  for (let i = 0; i < k; i++) {
    const s = stints[i]!;
    const lastEpisode = i === k - 1;
    const dec = lastEpisode ? (ceased ? end : null) : starts[i + 1]!;
    let place = s.place;
    let provider = s.carer.provider;
    const nextRne = lastEpisode ? null : rnes[i + 1]!;
    if (dec) {
      // Closed history written under the code lists of its time.
      if (place === 'K3' && dec <= HISTORIC_PLACEMENT_CUTOFF.H5)
        place = rng.chance(0.7) ? 'H5' : 'P2';
      else if (/^Z1[1-4]$/.test(place) && dec <= HISTORIC_PLACEMENT_CUTOFF.Z1) place = 'Z1';
      else if (
        dec <= HISTORIC_PLACEMENT_CUTOFF.Z1 &&
        (nextRne === 'P' || nextRne === 'B') &&
        !place.startsWith('A') &&
        place !== 'P1' &&
        rng.chance(0.04)
      ) {
        place = 'Z1';
        provider = 'PR4';
      }
    }
    episodes.push({
      CHILD: id,
      DECOM: starts[i]!,
      RNE: rnes[i]!,
      LS: s.ls,
      CIN: i > 0 && rng.chance(0.05) ? CIN.draw(rng) : cin,
      PLACE: place,
      PLACE_PROVIDER: provider,
      DEC: dec,
      REC: lastEpisode ? rec : 'X1',
      REASON_PLACE_CHANGE:
        nextRne && nextRne !== 'L'
          ? nextRne === 'T' || nextRne === 'U'
            ? 'PLACE'
            : PLACE_CHANGE_REASON.draw(rng)
          : null,
      HOME_POST: homePost,
      PL_POST: s.carer.plPost,
      URN: s.carer.urn,
      PL_LA: s.carer.plLa,
    });
    // About 18% of entries to care are emergency placements, and some later moves; a change of
    // legal status only (L) keeps the placement, a move to the same carer (T, U) is planned.
    const rne = rnes[i]!;
    if (rne === 'S') emergency = emergencyRng.chance(0.18);
    else if (rne === 'P' || rne === 'B') emergency = emergencyRng.chance(0.08);
    else if (rne !== 'L') emergency = false;
    placements.push({
      CHILD: id,
      DECOM: starts[i]!,
      EMERGENCY: emergency,
      CARER_NAME: s.carer.name,
      CARER_WORK_PHONE: s.carer.phone,
      CARER_WORK_EMAIL: s.carer.email,
      ADDRESS_LINE1: s.carer.address,
      ADDRESS_TOWN: s.carer.town,
      POSTCODE: s.carer.postcode,
    });
  }

  const lastStint = stints[k - 1]!;
  const delegated: string[] = [];
  if (!ceased && lastStint.place !== 'P1') {
    const residential = !/^[UAT]/.test(lastStint.place);
    const p = residential ? 0.6 : 0.85;
    if (age >= 4 && rng.chance(p)) delegated.push('SCHOOL_TRIPS');
    if (rng.chance(p - 0.1)) delegated.push('PHOTO_CONSENT');
    if (rng.chance(p - 0.05)) delegated.push('HAIRCUTS');
    if (age >= 5 && rng.chance(p - 0.3)) delegated.push('OVERNIGHT_STAYS');
    if (rng.chance(p - 0.2)) delegated.push('MEDICAL_ROUTINE');
  }

  const lastChange = maxDate(starts[k - 1]!, ceased ? end : addDays(ctx.asOf, -120));
  const child: ScChild = {
    CHILD: id,
    SEX: gender === 'M' ? '1' : '2',
    DOB: dob,
    ETHNIC: ethnic,
    UPN: 'UN1',
    FORENAME: first,
    SURNAME: last,
    PREFERRED_NAME: rng.chance(0.12) ? preferredName(rng, first, gender) : null,
    LA: ctx.la.code,
    UASC: uasc,
    UASC_CEASED: uasc && rec === 'E15' ? end : null,
    RESTRICTED: false,
    SW_ID: null,
    VS_CASEWORKER_ID: null,
    DELEGATED_AUTHORITY: delegated,
    LAST_UPDATED: randomDate(rng, lastChange, ctx.asOf),
  };

  return {
    child,
    episodes,
    placements,
    current: !ceased,
    careStart,
    ceased: ceased ? end : null,
    gender,
    age,
    yearGroup: yearGroupFor(dob, ctx.asOf),
    schoolLa: ceased ? homeLa : lastStint.carer.plLa,
    student: null,
  };
}
