/**
 * School-level figures for ALL pupils of each year group each of our schools teaches, near
 * national rates (attendance ~93%, persistent absence ~18%, KS2 RWM expected ~61%, Attainment
 * 8 ~46, English and maths 4+ ~65%, 5+ ~45%), so the gap between children looked after and
 * their peers can be computed: this academic year to asOf, and the whole of the year before.
 * Key stage results are those of the row's academic year only, on the row of the year group
 * that sits them (Year 6 for KS2, Year 11 for KS4), and only once published (KS2 in July, KS4
 * in August): like for like with the children's results of the same year.
 */
import type { EdYearGroupAggregate } from '../../upstream/education/contract';
import { academicYearOf, schoolDaysInRange, yearGroupIndex } from '../../domain/school-calendar';
import { KS2_CANCELLED_YEARS } from './codes';
import type { SeedContext } from './context';
import type { Rng } from './random';
import type { SchoolDirectory, SchoolInfo } from './schools';

interface Rates {
  attendance: number;
  persistent: number;
  severe: number;
  suspended: number;
  ehc: number;
  senSupport: number;
}

function ratesFor(info: SchoolInfo, idx: number): Rates {
  switch (info.kind) {
    case 'SPECIAL':
      return {
        attendance: 0.89,
        persistent: 0.3,
        severe: 0.05,
        suspended: 0.06,
        ehc: 0.97,
        senSupport: 0.02,
      };
    case 'PRU':
      return {
        attendance: 0.78,
        persistent: 0.55,
        severe: 0.15,
        suspended: 0.25,
        ehc: 0.12,
        senSupport: 0.45,
      };
    case 'NURSERY':
      return {
        attendance: 0.9,
        persistent: 0.2,
        severe: 0.01,
        suspended: 0,
        ehc: 0.02,
        senSupport: 0.08,
      };
    default:
      if (idx >= 12)
        return {
          attendance: 0.9,
          persistent: 0.2,
          severe: 0.02,
          suspended: 0.02,
          ehc: 0.02,
          senSupport: 0.08,
        };
      if (idx >= 7)
        return {
          attendance: 0.915,
          persistent: 0.23,
          severe: 0.03,
          suspended: 0.09,
          ehc: 0.025,
          senSupport: 0.13,
        };
      return {
        attendance: 0.945,
        persistent: 0.14,
        severe: 0.007,
        suspended: 0.012,
        ehc: 0.03,
        senSupport: 0.13,
      };
  }
}

function jitter(rng: Rng, p: number, sd: number): number {
  return Math.max(0, Math.min(1, p + rng.normal(0, sd)));
}

function pupilsFor(rng: Rng, info: SchoolInfo, idx: number): number {
  switch (info.kind) {
    case 'SPECIAL':
    case 'PRU':
      return rng.int(30, 45);
    case 'NURSERY':
      return rng.int(30, 60);
    default:
      if (idx >= 12) return rng.int(60, 200);
      if (idx >= 7) return rng.int(150, 240);
      return Math.min(90, Math.max(30, 30 * rng.int(1, 3) - rng.int(0, 4)));
  }
}

/** KS2 results are published in early July, KS4 results in late August, of the summer they were sat. */
const KS2_PUBLISHED = '-07-08';
const KS4_PUBLISHED = '-08-22';

export function generateAggregates(ctx: SeedContext, dir: SchoolDirectory): EdYearGroupAggregate[] {
  const previousStart = ctx.yearStartYear - 1;
  return [
    ...aggregatesOfYear(ctx, dir, previousStart, `${ctx.yearStartYear}-08-31`),
    ...aggregatesOfYear(ctx, dir, ctx.yearStartYear, ctx.asOf),
  ];
}

/** The figures of the academic year starting 1 September `startYear`, to `to`. */
function aggregatesOfYear(
  ctx: SeedContext,
  dir: SchoolDirectory,
  startYear: number,
  to: string,
): EdYearGroupAggregate[] {
  const academicYear = academicYearOf(`${startYear}-09-01`);
  // The current year keeps the generator's original stream, so its figures stay as they were.
  const rng =
    startYear === ctx.yearStartYear
      ? ctx.rng.fork('aggregates')
      : ctx.rng.fork(`aggregates:${academicYear}`);
  const days = schoolDaysInRange(`${startYear}-09-01`, to);
  const yearShare = Math.min(1, days / 195);
  const summer = startYear + 1;
  const ks2Out = ctx.asOf >= `${summer}${KS2_PUBLISHED}`;
  const ks4Out = ctx.asOf >= `${summer}${KS4_PUBLISHED}`;
  const out: EdYearGroupAggregate[] = [];
  for (const info of dir.inArea) {
    const r = rng.fork(info.school.urn);
    for (const yg of info.yearGroups) {
      const idx = yearGroupIndex(yg) - 2; // Reception 0 .. Year 13
      const pupils = pupilsFor(r, info, idx);
      const rates = ratesFor(info, idx);
      const possible = Math.round(pupils * 2 * days * r.real(0.97, 1));
      const attended = Math.round(possible * jitter(r, rates.attendance, 0.01));
      const count = (p: number, sd: number): number =>
        Math.min(pupils, Math.round(pupils * jitter(r, p, sd)));
      const persistent = days > 0 ? count(rates.persistent, 0.03) : 0;
      const severe = days > 0 ? Math.min(persistent, count(rates.severe, 0.005)) : 0;
      const suspended = Math.round(count(rates.suspended, 0.01) * yearShare);
      // About 1.9 suspensions per suspended pupil, as nationally.
      const suspensions = suspended === 0 ? 0 : Math.round(suspended * r.real(1.6, 2.2));
      const permanent =
        info.kind === 'MAINSTREAM' && idx >= 7 && idx <= 11 && r.chance(0.04 * yearShare) ? 1 : 0;
      let ks2Pupils = 0;
      let ks2Rwm = 0;
      if (idx === 6 && ks2Out && !KS2_CANCELLED_YEARS.has(String(summer))) {
        ks2Pupils = Math.round(pupils * r.real(0.94, 0.99));
        ks2Rwm = Math.round(ks2Pupils * jitter(r, info.kind === 'MAINSTREAM' ? 0.61 : 0.08, 0.05));
      }
      let ks4Pupils = 0;
      let a8Total = 0;
      let em4 = 0;
      let em5 = 0;
      if (idx === 11 && ks4Out) {
        ks4Pupils = Math.round(pupils * r.real(0.9, 0.98));
        const mean = info.kind === 'MAINSTREAM' ? r.normal(46, 4) : r.normal(12, 4);
        a8Total = Math.round(ks4Pupils * Math.max(0, mean) * 10) / 10;
        em4 = Math.round(ks4Pupils * jitter(r, info.kind === 'MAINSTREAM' ? 0.65 : 0.08, 0.05));
        em5 = Math.min(
          em4,
          Math.round(ks4Pupils * jitter(r, info.kind === 'MAINSTREAM' ? 0.45 : 0.04, 0.05)),
        );
      }
      out.push({
        urn: info.school.urn,
        academic_year: academicYear,
        year_group: yg,
        pupils,
        possible_sessions: possible,
        attended_sessions: attended,
        persistent_absentees: persistent,
        severe_absentees: severe,
        suspended_pupils: suspended,
        suspensions,
        permanently_excluded: permanent,
        ehc_plan: count(rates.ehc, 0.01),
        sen_support: count(rates.senSupport, 0.02),
        ks2_pupils: ks2Pupils,
        ks2_rwm_expected: ks2Rwm,
        ks4_pupils: ks4Pupils,
        ks4_attainment8_total: a8Total,
        ks4_em_4plus: em4,
        ks4_em_5plus: em5,
      });
    }
  }
  return out;
}
