import { clientRefFor } from '../../upstream/finance/contract';
import type { ScEpisode } from '../../upstream/social-care/contract';
import { firstPep, pepFactsOf, pepStandingOf, type PepStatus } from '../../domain/measures/pep';
import {
  addDays,
  ageOn,
  isoToDayNumber,
  schoolDaysBetween,
  schoolDaysInRange,
  yearGroupFor,
  yearGroupIndex,
} from '../../domain/school-calendar';
import { OTHER_AUTHORITIES } from './authorities';
import {
  ALL_ATTENDANCE_CODES,
  ATTENDED_CODES,
  CIN_CODES,
  DELEGATED_AUTHORITY_ITEMS,
  ETHNIC_CODES,
  EXCLUSION_REASONS,
  HISTORIC_PLACEMENT_CODES,
  LEGAL_STATUS_CODES,
  NOT_POSSIBLE_CODES,
  PHASES,
  PLACE_PROVIDER_CODES,
  PLACEMENT_CODES,
  PP_PLUS_RATES_PENCE,
  REASON_PLACE_CHANGE_CODES,
  REC_CODES,
  RNE_CODES,
  SEN_PRIMARY_NEEDS,
  SEN_STATUSES,
  STAFF_ROLES,
  UPN_UNKNOWN_CODES,
  WORKER_ROLES,
  WRITING_TA_CODES,
} from './codes';
import { generateWorld } from './generate';
import { expectedVisibleCount } from './personas';
import { isValidUpn } from './upn';
import { PERSONA_NAMES, type World } from './world';

const AS_OF = '2026-01-15';
const world = generateWorld({ seed: 1, children: 600, asOf: AS_OF });

const share = (n: number, d: number): number => n / d;
const currentIds = (w: World): Set<string> =>
  new Set(w.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD));
const schoolAge = (yg: string | null): boolean =>
  yg !== null && yearGroupIndex(yg) >= yearGroupIndex('R');
function group<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

describe('generateWorld: options', () => {
  it('is deterministic: the same options give a deep-equal world', () => {
    expect(generateWorld({ seed: 1, children: 600, asOf: AS_OF })).toEqual(world);
  });

  it('gives a different world for another seed', () => {
    const other = generateWorld({ seed: 2, children: 600, asOf: AS_OF });
    expect(other.socialCare.children.map((c) => c.DOB)).not.toEqual(
      world.socialCare.children.map((c) => c.DOB),
    );
  });

  it('refuses sizes outside 50..100000 and a bad asOf with a clear error', () => {
    expect(() => generateWorld({ seed: 1, children: 49, asOf: AS_OF })).toThrow(/children must be/);
    expect(() => generateWorld({ seed: 1, children: 100_001, asOf: AS_OF })).toThrow(
      /children must be/,
    );
    expect(() => generateWorld({ seed: 1, children: 600.5, asOf: AS_OF })).toThrow(
      /children must be/,
    );
    expect(() => generateWorld({ seed: 1, children: 600, asOf: '15/01/2026' })).toThrow(/asOf/);
  });

  it('uses the authority given, Knowsley by default', () => {
    expect(world.la).toEqual({ code: '340', name: 'Knowsley' });
    const wigan = generateWorld({
      seed: 1,
      children: 200,
      asOf: AS_OF,
      la: { code: '359', name: 'Wigan' },
    });
    expect(wigan.socialCare.children.every((c) => c.LA === '359')).toBe(true);
    // Neighbours never include the home authority; the placing authority is another one.
    expect(wigan.socialCare.episodes.some((e) => e.PL_LA !== '359')).toBe(true);
    const home = wigan.education.schools.filter((s) => s.la_code === '359');
    expect(home).toHaveLength(20);
    expect(home.every((s) => s.la_name === 'Wigan')).toBe(true);
    expect(
      wigan.education.students.some((s) => s.looked_after && s.looked_after_la !== '359'),
    ).toBe(true);
    expect(wigan.personas.find((p) => p.name === 'placing-authority')!.la).not.toBe('359');
    expect(
      wigan.personas.filter((p) => p.name !== 'placing-authority').every((p) => p.la === '359'),
    ).toBe(true);
  });
});

describe('social care', () => {
  const sc = world.socialCare;
  const current = currentIds(world);
  const episodesByChild = group(sc.episodes, (e) => e.CHILD);

  it('has the children asked for, with 7-digit ids from 1000001', () => {
    expect(sc.children).toHaveLength(600);
    expect(sc.children[0]!.CHILD).toBe('1000001');
    expect(sc.children.every((c) => /^\d{7}$/.test(c.CHILD))).toBe(true);
    expect(new Set(sc.children.map((c) => c.CHILD)).size).toBe(600);
  });

  it('has realistic demographics', () => {
    const ages = sc.children.map((c) => ageOn(c.DOB, AS_OF));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(17);
    expect(share(ages.filter((a) => a >= 10 && a <= 15).length, 600)).toBeGreaterThan(0.3);
    expect(share(ages.filter((a) => a >= 16).length, 600)).toBeGreaterThan(0.17);
    expect(share(sc.children.filter((c) => c.SEX === '1').length, 600)).toBeGreaterThan(0.5);
    expect(share(sc.children.filter((c) => c.SEX === '1').length, 600)).toBeLessThan(0.63);
    const uasc = sc.children.filter((c) => c.UASC);
    expect(share(uasc.length, 600)).toBeGreaterThan(0.03);
    expect(share(uasc.length, 600)).toBeLessThan(0.12);
    expect(
      share(uasc.filter((c) => ageOn(c.DOB, AS_OF) >= 16).length, uasc.length),
    ).toBeGreaterThan(0.6);
    expect(uasc.some((c) => UPN_UNKNOWN_CODES.includes(c.UPN as 'UN2'))).toBe(true);
    expect(sc.children.some((c) => c.PREFERRED_NAME !== null)).toBe(true);
  });

  it('keeps about 10% who left care in the last year, with all episodes closed', () => {
    const ceased = sc.children.filter((c) => !current.has(c.CHILD));
    expect(share(ceased.length, 600)).toBeGreaterThan(0.06);
    expect(share(ceased.length, 600)).toBeLessThan(0.15);
    for (const c of ceased) {
      const eps = episodesByChild.get(c.CHILD)!;
      const last = eps[eps.length - 1]!;
      expect(eps.every((e) => e.DEC !== null)).toBe(true);
      expect(isoToDayNumber(AS_OF) - isoToDayNumber(last.DEC!)).toBeLessThanOrEqual(365);
      expect(last.REC).not.toBe('X1');
      expect(c.SW_ID).toBeNull();
    }
  });

  it('chains 1-4 episodes per child consistently', () => {
    const historic = new Set<string>(HISTORIC_PLACEMENT_CODES);
    for (const [child, eps] of episodesByChild) {
      expect(eps.length).toBeGreaterThanOrEqual(1);
      expect(eps.length).toBeLessThanOrEqual(4);
      expect(eps[0]!.RNE).toBe('S');
      expect(eps.filter((e) => e.DEC === null).length).toBe(current.has(child) ? 1 : 0);
      for (let i = 1; i < eps.length; i++) {
        const prev: ScEpisode = eps[i - 1]!;
        const e: ScEpisode = eps[i]!;
        expect(prev.DEC).toBe(e.DECOM);
        expect(prev.REC).toBe('X1');
        expect(prev.DECOM < e.DECOM).toBe(true);
        if (e.RNE === 'L') expect(e.LS).not.toBe(prev.LS);
        if (e.RNE === 'P' || e.RNE === 'T') expect(e.LS).toBe(prev.LS);
        if (e.RNE === 'U' || e.RNE === 'B') expect(e.LS).not.toBe(prev.LS);
        if (e.RNE === 'P' || e.RNE === 'B') {
          expect(prev.REASON_PLACE_CHANGE).not.toBeNull();
          expect(prev.REASON_PLACE_CHANGE).not.toBe('PLACE');
        }
        if (e.RNE === 'T' || e.RNE === 'U') expect(prev.REASON_PLACE_CHANGE).toBe('PLACE');
        if (e.RNE === 'L') expect(prev.REASON_PLACE_CHANGE).toBeNull();
        if (e.RNE === 'L' && !historic.has(prev.PLACE)) expect(e.PLACE).toBe(prev.PLACE);
        if (e.RNE === 'T' || e.RNE === 'U') expect(e.PLACE).not.toBe(prev.PLACE);
      }
    }
  });

  it('uses only real 903 codes', () => {
    const places = new Set<string>([...PLACEMENT_CODES, ...HISTORIC_PLACEMENT_CODES]);
    for (const c of sc.children) {
      expect(ETHNIC_CODES).toContain(c.ETHNIC);
      expect(
        c.DELEGATED_AUTHORITY.every((d) =>
          (DELEGATED_AUTHORITY_ITEMS as readonly string[]).includes(d),
        ),
      ).toBe(true);
      expect(isValidUpn(c.UPN) || (UPN_UNKNOWN_CODES as readonly string[]).includes(c.UPN)).toBe(
        true,
      );
    }
    for (const e of sc.episodes) {
      expect(RNE_CODES).toContain(e.RNE);
      expect(LEGAL_STATUS_CODES).toContain(e.LS);
      expect(CIN_CODES).toContain(e.CIN);
      expect(places.has(e.PLACE)).toBe(true);
      if ((HISTORIC_PLACEMENT_CODES as readonly string[]).includes(e.PLACE))
        expect(e.DEC).not.toBeNull();
      expect(PLACE_PROVIDER_CODES).toContain(e.PLACE_PROVIDER);
      if (e.REC !== null) expect(REC_CODES).toContain(e.REC);
      if (e.REASON_PLACE_CHANGE !== null)
        expect(REASON_PLACE_CHANGE_CODES).toContain(e.REASON_PLACE_CHANGE);
      expect(e.PL_POST).toMatch(/^[A-Z]{1,2}\d{1,2} \d$/);
      expect(e.HOME_POST).toMatch(/^[A-Z]{1,2}\d{1,2} \d$/);
      if (e.PLACE === 'P1') expect(e.PLACE_PROVIDER).toBe('PR0');
      if (e.PLACE === 'K3')
        expect(ageOn(sc.children[Number(e.CHILD) - 1000001]!.DOB, e.DECOM)).toBeGreaterThanOrEqual(
          16,
        );
    }
    expect(
      sc.episodes.some((e) => (HISTORIC_PLACEMENT_CODES as readonly string[]).includes(e.PLACE)),
    ).toBe(true);
  });

  it('has the legal status and placement mix of a real authority', () => {
    const now = sc.episodes.filter((e) => e.DEC === null);
    const ls = (code: string): number => share(now.filter((e) => e.LS === code).length, now.length);
    expect(ls('C2')).toBeGreaterThan(0.5);
    expect(ls('C2')).toBeLessThan(0.72);
    expect(ls('V2')).toBeGreaterThan(0.1);
    expect(ls('V2')).toBeLessThan(0.27);
    const foster = share(now.filter((e) => /^U[1-6]$/.test(e.PLACE)).length, now.length);
    expect(foster).toBeGreaterThan(0.6);
    expect(foster).toBeLessThan(0.82);
    expect(share(now.filter((e) => e.PLACE === 'K2').length, now.length)).toBeGreaterThan(0.05);
    const outOfArea = share(now.filter((e) => e.PL_LA !== '340').length, now.length);
    expect(outOfArea).toBeGreaterThanOrEqual(0.3);
    expect(outOfArea).toBeLessThanOrEqual(0.5);
    const others = new Set(OTHER_AUTHORITIES.map((a) => a.code));
    expect(now.every((e) => e.PL_LA === '340' || others.has(e.PL_LA))).toBe(true);
  });

  it('has a placement row for every episode', () => {
    expect(sc.placements).toHaveLength(sc.episodes.length);
    sc.placements.forEach((p, i) => {
      expect(p.CHILD).toBe(sc.episodes[i]!.CHILD);
      expect(p.DECOM).toBe(sc.episodes[i]!.DECOM);
      expect(p.POSTCODE.startsWith(sc.episodes[i]!.PL_POST!)).toBe(true);
      if (p.CARER_WORK_EMAIL) expect(p.CARER_WORK_EMAIL).toMatch(/\.example$/);
    });
  });

  it('allocates workers: social workers, team managers, a VSH and VS officers', () => {
    const roles = group(sc.workers, (w) => w.ROLE);
    expect(roles.get('VSH')).toHaveLength(1);
    expect(roles.get('VSO')!.length).toBe(6);
    expect(roles.get('SW')!.length).toBeGreaterThanOrEqual(28);
    expect(roles.get('SW')!.length).toBeLessThanOrEqual(36);
    expect(roles.get('TM')!.length).toBeGreaterThanOrEqual(4);
    expect(sc.workers.every((w) => (WORKER_ROLES as readonly string[]).includes(w.ROLE))).toBe(
      true,
    );
    expect(sc.workers.every((w) => w.WORK_EMAIL.endsWith('.gov.example'))).toBe(true);
    const sw = new Set(roles.get('SW')!.map((w) => w.STAFF_ID));
    const vso = new Set(roles.get('VSO')!.map((w) => w.STAFF_ID));
    for (const c of sc.children) {
      if (!current.has(c.CHILD)) continue;
      expect(sw.has(c.SW_ID!)).toBe(true);
      if (schoolAge(yearGroupFor(c.DOB, AS_OF))) expect(vso.has(c.VS_CASEWORKER_ID!)).toBe(true);
    }
  });

  it('restricts about 1% of records, at least three', () => {
    const restricted = sc.children.filter((c) => c.RESTRICTED);
    expect(restricted.length).toBeGreaterThanOrEqual(3);
    expect(restricted.length).toBeLessThanOrEqual(12);
    expect(restricted.every((c) => current.has(c.CHILD))).toBe(true);
  });

  it('holds PEPs for children of PEP age: initial, then termly, by the shared status rule', () => {
    const peps = group(sc.peps, (p) => p.CHILD);
    const placementsByChild = group(sc.placements, (p) => p.CHILD);
    const recordOf = (c: (typeof sc.children)[number]) => ({
      CHILD: c.CHILD,
      DOB: c.DOB,
      episodes: episodesByChild.get(c.CHILD) ?? [],
      placements: placementsByChild.get(c.CHILD) ?? [],
      peps: peps.get(c.CHILD) ?? [],
    });
    // The profile's and the reports' own rule (domain/measures/pep.ts).
    const statuses = group(sc.children, (c) => pepStandingOf(recordOf(c), AS_OF).status);
    const count = (status: PepStatus) => statuses.get(status)?.length ?? 0;
    const required = sc.children.length - count('NOT_REQUIRED');
    // Most are in date (CURRENT or DUE); about 12-16% OVERDUE; a few recent entrants NONE.
    expect(share(count('CURRENT') + count('DUE'), required)).toBeGreaterThan(0.72);
    expect(share(count('CURRENT') + count('DUE'), required)).toBeLessThan(0.92);
    expect(share(count('OVERDUE'), required)).toBeGreaterThan(0.06);
    expect(share(count('OVERDUE'), required)).toBeLessThan(0.22);
    expect(count('CURRENT')).toBeGreaterThan(0);
    expect(count('NONE')).toBeGreaterThan(0);
    expect(sc.peps.some((p) => p.STATUS === 'DRAFT')).toBe(true);
    // Roughly 15-20% of entries to care are emergency placements.
    const entriesToCare = sc.placements.filter((p, i) => sc.episodes[i]!.RNE === 'S');
    const emergencies = entriesToCare.filter((p) => p.EMERGENCY).length;
    expect(share(emergencies, entriesToCare.length)).toBeGreaterThan(0.12);
    expect(share(emergencies, entriesToCare.length)).toBeLessThan(0.24);
    expect(new Set(sc.peps.map((p) => p.PEP_ID)).size).toBe(sc.peps.length);
    const targetIds = sc.peps.flatMap((p) => p.TARGETS.map((t) => t.TARGET_ID));
    expect(new Set(targetIds).size).toBe(targetIds.length);
    let late = 0;
    let entries = 0;
    for (const [child, list] of peps) {
      expect(list.filter((p) => p.INITIAL)).toHaveLength(1);
      expect(list[0]!.INITIAL).toBe(true);
      for (let i = 1; i < list.length; i++)
        expect(list[i - 1]!.MEETING_DATE < list[i]!.MEETING_DATE).toBe(true);
      const c = sc.children[Number(child) - 1000001]!;
      const eps = episodesByChild.get(child)!;
      const start = eps[0]!.DECOM;
      if (ageOn(c.DOB, start) >= 3) {
        entries++;
        // The deadline the rule sets on entry (10 working days after an emergency placement),
        // for the period of care as it stood on the last day in care.
        const ended = eps[eps.length - 1]!.DEC;
        const lastDay = ended === null ? AS_OF : addDays(ended, -1);
        const first = firstPep(pepFactsOf(recordOf(c), lastDay), AS_OF);
        expect(first).not.toBeNull();
        if (list[0]!.MEETING_DATE > first!.due) late++;
      }
      for (const p of list) {
        expect(p.TARGETS.length).toBeGreaterThanOrEqual(2);
        expect(p.TARGETS.length).toBeLessThanOrEqual(4);
        expect(p.MEETING_DATE <= AS_OF).toBe(true);
        expect(p.TARGETS.every((t) => t.PP_PLUS_REQUEST_PENCE >= 0)).toBe(true);
      }
    }
    expect(share(late, entries)).toBeGreaterThan(0.05);
    expect(share(late, entries)).toBeLessThan(0.28);
    expect(sc.peps.some((p) => p.SUPPORT_STRATEGIES.includes('Seat near the door'))).toBe(true);
  });
});

describe('education', () => {
  const ed = world.education;
  const sc = world.socialCare;
  const current = currentIds(world);
  const ours = ed.schools.filter((s) => s.la_code === '340');
  const ourUrns = new Set(ours.map((s) => s.urn));
  const schoolByUrn = new Map(ed.schools.map((s) => [s.urn, s]));
  const byUpn = group(ed.students, (s) => s.upn);
  const scUpns = new Set(sc.children.map((c) => c.UPN));
  const cola = ed.students.filter((s) => s.looked_after_la !== null && s.looked_after_la !== '340');

  it('has about 60 schools of ours, mostly primary, and 2/3 as many elsewhere', () => {
    expect(ours).toHaveLength(60);
    const phases = group(ours, (s) => s.phase);
    expect(phases.get('NURSERY')).toHaveLength(1);
    expect(phases.get('PRU')).toHaveLength(1);
    expect(phases.get('SPECIAL')).toHaveLength(3);
    expect(phases.get('SECONDARY')).toHaveLength(10);
    expect(phases.get('PRIMARY')).toHaveLength(45);
    expect(ed.schools.length - ours.length).toBe(40);
    expect(new Set(ed.schools.map((s) => s.urn)).size).toBe(ed.schools.length);
    for (const s of ed.schools) {
      expect(s.urn).toMatch(/^1\d{5}$/);
      expect(s.laestab).toMatch(new RegExp(`^${s.la_code}\\d{4}$`));
      expect(PHASES).toContain(s.phase);
    }
  });

  it('gives every current school-age child with a UPN exactly one matching pupil record', () => {
    let checked = 0;
    for (const c of sc.children) {
      if (!current.has(c.CHILD) || !schoolAge(yearGroupFor(c.DOB, AS_OF))) continue;
      if ((UPN_UNKNOWN_CODES as readonly string[]).includes(c.UPN)) continue;
      const found = byUpn.get(c.UPN) ?? [];
      expect(found).toHaveLength(1);
      const s = found[0]!;
      expect([s.forename, s.surname, s.dob]).toEqual([c.FORENAME, c.SURNAME, c.DOB]);
      expect(s.gender).toBe(c.SEX === '1' ? 'M' : 'F');
      expect(s.looked_after).toBe(true);
      expect(s.looked_after_la).toBe('340');
      checked++;
    }
    expect(checked).toBeGreaterThan(350);
    expect(ed.students.every((s) => isValidUpn(s.upn))).toBe(true);
    expect(byUpn.size).toBe(ed.students.length);
  });

  it('puts current pupils in a school of the authority they are placed in', () => {
    const lastEpisode = new Map(sc.episodes.filter((e) => e.DEC === null).map((e) => [e.CHILD, e]));
    let inSchool = 0;
    let schoolAgeKids = 0;
    for (const c of sc.children) {
      const e = lastEpisode.get(c.CHILD);
      if (!e || !schoolAge(yearGroupFor(c.DOB, AS_OF))) continue;
      schoolAgeKids++;
      const s = byUpn.get(c.UPN)?.[0];
      const open = s?.enrolments.find((x) => x.leaving_date === null && x.enrolment_status !== 'S');
      if (!open) continue;
      inSchool++;
      expect(schoolByUrn.get(open.urn)!.la_code).toBe(e.PL_LA);
      expect(open.year_group).toBe(yearGroupFor(c.DOB, AS_OF));
    }
    expect(share(inSchool, schoolAgeKids)).toBeGreaterThan(0.78);
    expect(share(inSchool, schoolAgeKids)).toBeLessThan(0.95);
  });

  it('has about 15% COLA pupils, looked after by others, on roll at our schools, unknown to social care', () => {
    expect(share(cola.length, 600)).toBeGreaterThan(0.12);
    expect(share(cola.length, 600)).toBeLessThan(0.2);
    for (const s of cola) {
      expect(s.looked_after).toBe(true);
      expect(scUpns.has(s.upn)).toBe(false);
      const open = s.enrolments.find((e) => e.leaving_date === null && e.enrolment_status !== 'S')!;
      expect(ourUrns.has(open.urn)).toBe(true);
    }
  });

  it('records mid-year moves, dual registrations and phase history', () => {
    const movers = ed.students.filter((s) =>
      s.enrolments.some(
        (e) =>
          e.enrolment_status !== 'S' && e.leaving_date !== null && e.leaving_date >= '2025-09-01',
      ),
    );
    expect(share(movers.length, ed.students.length)).toBeGreaterThan(0.05);
    expect(share(movers.length, ed.students.length)).toBeLessThan(0.2);
    expect(ed.students.some((s) => s.enrolments.some((e) => e.enrolment_status === 'S'))).toBe(
      true,
    );
    const older = ed.students.filter((s) => Number(s.enrolments.at(-1)!.year_group) >= 8);
    expect(
      share(older.filter((s) => s.enrolments.length >= 2).length, older.length),
    ).toBeGreaterThan(0.8);
    for (const s of ed.students) {
      for (const e of s.enrolments) {
        expect(schoolByUrn.has(e.urn)).toBe(true);
        expect(e.entry_date <= AS_OF).toBe(true);
        if (e.leaving_date) expect(e.entry_date <= e.leaving_date).toBe(true);
      }
    }
  });

  it('summarises attendance as counts adding up to two sessions a school day', () => {
    const withAttendance = ed.students.filter((s) => s.attendance);
    const held = ed.students.filter((s) => s.coverage.source !== 'NO_RETURN');
    expect(withAttendance.length).toBeGreaterThan(0.9 * held.length);
    let persistent = 0;
    let severe = 0;
    let attended = 0;
    let possible = 0;
    for (const s of withAttendance) {
      const a = s.attendance!;
      expect(a.academic_year).toBe('2025/26');
      const total = Object.values(a.codes).reduce((x, y) => x + y, 0);
      expect(total).toBe(2 * schoolDaysInRange(a.from, a.to));
      expect(a.from >= '2025-09-01' && a.to <= AS_OF && a.from <= a.to).toBe(true);
      for (const code of Object.keys(a.codes)) expect(ALL_ATTENDANCE_CODES).toContain(code);
      let att = 0;
      let poss = 0;
      for (const [code, n] of Object.entries(a.codes)) {
        if (NOT_POSSIBLE_CODES.has(code)) continue;
        poss += n;
        if (ATTENDED_CODES.has(code)) att += n;
      }
      attended += att;
      possible += poss;
      if (poss > 0 && (poss - att) * 10 >= poss) persistent++;
      if (poss > 0 && (poss - att) * 2 >= poss) severe++;
    }
    expect(attended / possible).toBeGreaterThan(0.88);
    expect(attended / possible).toBeLessThan(0.96);
    expect(share(persistent, withAttendance.length)).toBeGreaterThan(0.08);
    expect(share(persistent, withAttendance.length)).toBeLessThan(0.25);
    expect(severe).toBeGreaterThanOrEqual(1);
  });

  it('records this year’s suspensions and at least one permanent exclusion', () => {
    const fixed = ed.students.filter((s) => s.exclusions?.some((e) => e.category === 'FIXED'));
    expect(share(fixed.length, ed.students.length)).toBeGreaterThan(0.05);
    expect(share(fixed.length, ed.students.length)).toBeLessThan(0.16);
    expect(ed.students.some((s) => s.exclusions?.some((e) => e.category === 'PERMANENT'))).toBe(
      true,
    );
    for (const s of ed.students) {
      for (const e of s.exclusions ?? []) {
        expect(e.start_date >= '2025-09-01' && e.start_date <= AS_OF).toBe(true);
        expect(e.reasons.length).toBeGreaterThanOrEqual(1);
        expect(e.reasons.length).toBeLessThanOrEqual(3);
        expect(new Set(e.reasons).size).toBe(e.reasons.length);
        for (const r of e.reasons) expect(EXCLUSION_REASONS).toContain(r);
        if (e.category === 'FIXED') expect(e.sessions).toBeGreaterThanOrEqual(1);
        else expect(e.sessions).toBeNull();
        expect(s.enrolments.some((x) => x.urn === e.urn)).toBe(true);
      }
    }
  });

  it('has SEN and attainment in the published ranges', () => {
    const e = share(ed.students.filter((s) => s.sen.status === 'E').length, ed.students.length);
    expect(e).toBeGreaterThan(0.2);
    expect(e).toBeLessThan(0.36);
    for (const s of ed.students) {
      expect(SEN_STATUSES).toContain(s.sen.status);
      if (s.sen.status === 'N') expect(s.sen.primary_need).toBeNull();
      else expect(SEN_PRIMARY_NEEDS).toContain(s.sen.primary_need);
    }
    const needs = group(
      ed.students.filter((s) => s.sen.primary_need),
      (s) => s.sen.primary_need!,
    );
    const top = [...needs.entries()].sort((a, b) => b[1].length - a[1].length)[0]![0];
    expect(top).toBe('SEMH');
    const ks2 = ed.students.flatMap((s) => s.attainment?.ks2 ?? []);
    const rwm = ks2.filter(
      (k) =>
        (k.reading_scaled ?? 0) >= 100 &&
        (k.maths_scaled ?? 0) >= 100 &&
        ['EXS', 'GDS'].includes(k.writing_ta ?? ''),
    );
    expect(share(rwm.length, ks2.length)).toBeGreaterThan(0.25);
    expect(share(rwm.length, ks2.length)).toBeLessThan(0.5);
    for (const k of ks2) {
      if (k.reading_scaled !== null) expect(k.reading_scaled).toBeGreaterThanOrEqual(80);
      if (k.reading_scaled !== null) expect(k.reading_scaled).toBeLessThanOrEqual(120);
      if (k.writing_ta !== null) expect(WRITING_TA_CODES).toContain(k.writing_ta);
    }
    const ks4 = ed.students.flatMap((s) => s.attainment?.ks4 ?? []);
    const a8 = ks4.reduce((sum, k) => sum + (k.attainment8 ?? 0), 0) / ks4.length;
    expect(a8).toBeGreaterThan(12);
    expect(a8).toBeLessThan(27);
    for (const k of ks4) {
      expect(k.attainment8).toBeGreaterThanOrEqual(0);
      expect(k.attainment8).toBeLessThanOrEqual(90);
      for (const g of [k.english_grade, k.maths_grade])
        if (g !== null) expect(g >= 1 && g <= 9).toBe(true);
    }
  });

  it('holds what schools elsewhere sent in returns only, and nothing where they sent none', () => {
    // The current main school or, for a pupil on no roll now, the last one (its records stay).
    const mainSchool = (s: (typeof ed.students)[number]) => {
      const main = s.enrolments
        .filter((e) => e.enrolment_status !== 'S')
        .sort((a, b) => a.entry_date.localeCompare(b.entry_date));
      return (main.find((e) => e.leaving_date === null) ?? main[main.length - 1])?.urn ?? null;
    };
    const mainSchoolNow = (s: (typeof ed.students)[number]) =>
      s.enrolments.find((e) => e.leaving_date === null && e.enrolment_status !== 'S')?.urn ?? null;
    const sourceBySchool = new Map<string, Set<string>>();
    let returns = 0;
    for (const s of ed.students) {
      const urn = mainSchool(s);
      const { source, latest_return_on: latest } = s.coverage;
      if (urn === null) expect(source).toBe('NO_RETURN');
      else if (ourUrns.has(urn)) expect(source).toBe('LA_FEED');
      else {
        expect(source).not.toBe('LA_FEED');
        const seen = sourceBySchool.get(urn) ?? new Set<string>();
        seen.add(`${source}|${latest}`);
        sourceBySchool.set(urn, seen);
      }
      if (source === 'NO_RETURN') {
        // Not held: null, never an empty list or zeros.
        expect([s.attendance, s.exclusions, s.attainment, latest]).toEqual([
          null,
          null,
          null,
          null,
        ]);
      } else if (source === 'LA_FEED') {
        expect(latest).toBeNull();
      } else {
        returns++;
        expect(latest).not.toBeNull();
        // The latest return: a school day in the few school weeks before asOf.
        expect(schoolDaysBetween(latest!, AS_OF)).toBeGreaterThanOrEqual(1);
        expect(schoolDaysBetween(latest!, AS_OF)).toBeLessThanOrEqual(20);
        // To the latest return (or to the day a pupil no longer on roll left, if earlier).
        if (s.attendance) expect(s.attendance.to <= latest!).toBe(true);
        if (s.attendance && urn === mainSchoolNow(s)) expect(s.attendance.to).toBe(latest);
        for (const e of s.exclusions ?? []) expect(e.start_date <= latest!).toBe(true);
        expect(s.exclusions).not.toBeNull();
        expect(s.attainment).not.toBeNull();
      }
    }
    expect(returns).toBeGreaterThan(20);
    // A school sends returns or not, with one latest return date, whichever pupil is asked about.
    for (const seen of sourceBySchool.values()) expect(seen.size).toBe(1);
    const sending = [...sourceBySchool.values()].filter((seen) =>
      [...seen][0]!.startsWith('SCHOOL_RETURN'),
    ).length;
    expect(share(sending, sourceBySchool.size)).toBeGreaterThan(0.4);
    expect(share(sending, sourceBySchool.size)).toBeLessThan(0.85);
  });

  it('gives a few pupils KS2 results from two years, each with its year, oldest first', () => {
    const withKs2 = ed.students.filter((s) => (s.attainment?.ks2.length ?? 0) > 0);
    const twice = withKs2.filter((s) => s.attainment!.ks2.length === 2);
    expect(twice.length).toBeGreaterThanOrEqual(1);
    expect(share(twice.length, withKs2.length)).toBeLessThan(0.04);
    for (const s of twice) {
      const [first, second] = s.attainment!.ks2.map((k) => Number(k.year));
      expect(second! - first!).toBe(1);
    }
    expect(withKs2.every((s) => s.attainment!.ks2.length <= 2)).toBe(true);
    expect(ed.students.every((s) => (s.attainment?.ks4.length ?? 0) <= 1)).toBe(true);
  });

  it('records the sessions at the other school of a dual registration as D, not possible', () => {
    const dual = ed.students.filter((s) => (s.attendance?.codes['D'] ?? 0) > 0);
    expect(dual.length).toBeGreaterThan(0);
    expect(NOT_POSSIBLE_CODES.has('D')).toBe(true);
    expect(ATTENDED_CODES.has('D')).toBe(false);
    for (const s of dual) {
      const a = s.attendance!;
      const subsidiary = s.enrolments.find((e) => e.enrolment_status === 'S')!;
      expect(subsidiary).toBeDefined();
      // At most every session from the dual registration's start.
      expect(a.codes['D']).toBeLessThanOrEqual(2 * schoolDaysInRange(subsidiary.entry_date, a.to));
    }
    expect(
      ed.students.every(
        (s) => !s.attendance?.codes['D'] || s.enrolments.some((e) => e.enrolment_status === 'S'),
      ),
    ).toBe(true);
  });

  it('staffs every school of ours, with a DT at about 90% and a named governor', () => {
    const staff = group(ed.staff, (s) => s.urn);
    expect([...staff.keys()].every((urn) => ourUrns.has(urn))).toBe(true);
    for (const s of ours) {
      const list = staff.get(s.urn)!;
      const roles = group(list, (x) => x.role);
      expect(roles.get('HEAD')).toHaveLength(1);
      expect(roles.get('SENCO')).toHaveLength(1);
      expect(roles.get('TEACHER')!.length).toBeGreaterThanOrEqual(3);
      expect(
        roles
          .get('GOVERNOR')!
          .some((g) => g.job_title === 'Named governor for children looked after'),
      ).toBe(true);
    }
    for (const s of ed.staff) {
      expect(s.staff_id).toMatch(/^E\d{6}$/);
      expect(s.email).toMatch(/@[a-z0-9-]+\.sch\.example$/);
      expect(STAFF_ROLES).toContain(s.role);
    }
    expect(new Set(ed.staff.map((s) => s.staff_id)).size).toBe(ed.staff.length);
    const dts = ed.designatedTeachers;
    expect(share(dts.length, ours.length)).toBeGreaterThan(0.8);
    expect(share(dts.length, ours.length)).toBeLessThan(1);
    const stale = dts.filter((d) => isoToDayNumber(AS_OF) - isoToDayNumber(d.confirmed_on) > 365);
    expect(stale.length).toBeGreaterThanOrEqual(1);
    expect(share(stale.length, dts.length)).toBeLessThan(0.3);
    for (const d of dts) {
      const s = ed.staff.find((x) => x.staff_id === d.staff_id)!;
      expect([s.role, s.urn]).toEqual(['DT', d.urn]);
    }
  });

  it('links every school to a virtual school officer, one per authority for schools elsewhere', () => {
    const officers = new Map(
      world.socialCare.workers.filter((w) => w.ROLE === 'VSO').map((w) => [w.STAFF_ID, w]),
    );
    for (const s of ed.schools) {
      const link = s.vs_link_officer!;
      const officer = officers.get(link.staff_id)!;
      expect(link).toEqual({
        staff_id: officer.STAFF_ID,
        name: officer.NAME,
        job_title: 'Virtual School Officer',
        email: officer.WORK_EMAIL,
        phone: officer.WORK_PHONE,
      });
    }
    // The authority's schools are shared out among all the officers.
    expect(new Set(ours.map((s) => s.vs_link_officer!.staff_id)).size).toBe(officers.size);
    const elsewhere = group(
      ed.schools.filter((s) => s.la_code !== '340'),
      (s) => s.la_code,
    );
    for (const schools of elsewhere.values()) {
      expect(new Set(schools.map((s) => s.vs_link_officer!.staff_id)).size).toBe(1);
    }
  });

  it('has year group aggregates for all pupils near national rates', () => {
    const all = ed.aggregates;
    expect(all.every((a) => ourUrns.has(a.urn))).toBe(true);
    // This academic year so far, and the whole of the year before.
    expect(new Set(all.map((a) => a.academic_year))).toEqual(new Set(['2024/25', '2025/26']));
    const aggs = all.filter((a) => a.academic_year === '2025/26');
    const last = all.filter((a) => a.academic_year === '2024/25');
    expect(aggs.every((a) => a.pupils >= 30 && a.pupils <= 240)).toBe(true);
    const sum = (rows: typeof all, f: (a: (typeof aggs)[number]) => number): number =>
      rows.reduce((s, a) => s + f(a), 0);
    const rate = sum(aggs, (a) => a.attended_sessions) / sum(aggs, (a) => a.possible_sessions);
    expect(rate).toBeGreaterThan(0.9);
    expect(rate).toBeLessThan(0.96);
    const pa = sum(aggs, (a) => a.persistent_absentees) / sum(aggs, (a) => a.pupils);
    expect(pa).toBeGreaterThan(0.12);
    expect(pa).toBeLessThan(0.25);
    // Key stage results are of the row's own year, on the Year 6 and Year 11 rows, once
    // published: none yet for 2025/26 (asOf February), 2024/25's for last year.
    expect(sum(aggs, (a) => a.ks2_pupils + a.ks4_pupils)).toBe(0);
    expect(last.every((a) => a.ks2_pupils === 0 || a.year_group === '6')).toBe(true);
    expect(last.every((a) => a.ks4_pupils === 0 || a.year_group === '11')).toBe(true);
    expect(sum(last, (a) => a.ks2_rwm_expected) / sum(last, (a) => a.ks2_pupils)).toBeGreaterThan(
      0.5,
    );
    expect(
      sum(last, (a) => a.ks4_attainment8_total) / sum(last, (a) => a.ks4_pupils),
    ).toBeGreaterThan(38);
    for (const a of all) {
      expect(a.ks4_em_5plus).toBeLessThanOrEqual(a.ks4_em_4plus);
      expect(a.severe_absentees).toBeLessThanOrEqual(a.persistent_absentees);
      expect(a.attended_sessions).toBeLessThanOrEqual(a.possible_sessions);
      // Suspensions: at least one per suspended pupil.
      expect(a.suspensions).toBeGreaterThanOrEqual(a.suspended_pupils);
    }
  });
});

describe('finance', () => {
  const fin = world.finance;
  const targets = new Map(
    world.socialCare.peps.flatMap((p) => p.TARGETS.map((t) => [t.TARGET_ID, p.CHILD])),
  );

  it('allocates PP+ for the previous and current financial years', () => {
    expect(new Set(fin.allocations.map((a) => a.fy))).toEqual(new Set(['2024-25', '2025-26']));
    for (const a of fin.allocations) {
      expect(a.rate_pence).toBe(PP_PLUS_RATES_PENCE[a.fy]);
      expect(a.status).toBe('CONFIRMED');
      expect(a.amount_pence).toBeGreaterThan(0);
      expect(a.amount_pence).toBeLessThanOrEqual(a.rate_pence);
      expect(a.cost_centre).toBe('VS-PPP');
      expect(a.client_ref).toMatch(/^CLA\/\d{7}$/);
    }
    const keys = fin.allocations.map((a) => `${a.client_ref}|${a.fy}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses the latest rate, provisionally, for years without a published one', () => {
    const later = generateWorld({ seed: 1, children: 60, asOf: '2026-06-01' });
    const next = later.finance.allocations.filter((a) => a.fy === '2026-27');
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((a) => a.rate_pence === 263_000 && a.status === 'PROVISIONAL')).toBe(true);
  });

  it('books spend against children and their PEP targets, top-slices and a few adjustments', () => {
    const ids = fin.ledger.map((l) => l.line_id);
    expect(new Set(ids).size).toBe(ids.length);
    const types = group(fin.ledger, (l) => l.type);
    expect(types.get('SPEND')!.length).toBeGreaterThan(300);
    expect(types.get('TOPSLICE')!.length).toBeGreaterThan(0);
    expect(types.get('ADJUST')?.length ?? 0).toBeLessThan(0.05 * fin.ledger.length);
    const urns = new Set(world.education.schools.map((s) => s.urn));
    for (const l of fin.ledger) {
      expect(l.posted_on <= AS_OF).toBe(true);
      if (l.type === 'TOPSLICE') expect([l.client_ref, l.urn]).toEqual([null, null]);
      if (l.type === 'SPEND') {
        expect(urns.has(l.urn!)).toBe(true);
        expect(l.amount_pence).toBeGreaterThan(0);
      }
      if (l.pep_target_id !== null)
        expect(clientRefFor(targets.get(l.pep_target_id)!)).toBe(l.client_ref);
    }
    expect(fin.ledger.some((l) => l.pep_target_id !== null)).toBe(true);
  });
});

describe('need-to-know grants', () => {
  it('name teachers or the SENCO of the child’s current school, granted by its DT', () => {
    const grants = world.needToKnow;
    const staff = new Map(world.education.staff.map((s) => [s.staff_id, s]));
    const children = new Map(world.socialCare.children.map((c) => [c.CHILD, c]));
    const students = new Map(world.education.students.map((s) => [s.upn, s]));
    const dts = new Map(world.education.designatedTeachers.map((d) => [d.urn, d.staff_id]));
    expect(grants.length).toBeGreaterThan(40);
    for (const g of grants) {
      const named = staff.get(g.staffId)!;
      expect(['TEACHER', 'SENCO']).toContain(named.role);
      const child = children.get(g.childId)!;
      expect(child.RESTRICTED).toBe(false);
      const open = students
        .get(child.UPN)!
        .enrolments.find((e) => e.leaving_date === null && e.enrolment_status !== 'S')!;
      expect([named.urn, g.urn]).toEqual([open.urn, open.urn]);
      expect(g.grantedBy).toBe(dts.get(g.urn));
      expect(g.grantedAt <= AS_OF).toBe(true);
      expect(g.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('personas', () => {
  function checkBindings(w: World): void {
    const p = new Map(w.personas.map((x) => [x.name, x]));
    expect(w.personas.map((x) => x.name)).toEqual([...PERSONA_NAMES]);
    const count = (name: (typeof PERSONA_NAMES)[number]): number =>
      expectedVisibleCount(w, p.get(name)!);
    const workers = new Map(w.socialCare.workers.map((x) => [x.STAFF_ID, x]));
    const staff = new Map(w.education.staff.map((x) => [x.staff_id, x]));
    const current = currentIds(w);

    expect(workers.get(p.get('vsh')!.sub)!.ROLE).toBe('VSH');
    expect(workers.get(p.get('vs-officer')!.sub)!.ROLE).toBe('VSO');
    expect(count('vs-officer')).toBeGreaterThanOrEqual(5);
    const sw = p.get('social-worker')!;
    expect(workers.get(sw.sub)!.ROLE).toBe('SW');
    expect(count('social-worker')).toBeGreaterThanOrEqual(5);
    expect(
      w.socialCare.children.some((c) => c.SW_ID === sw.sub && c.RESTRICTED && current.has(c.CHILD)),
    ).toBe(true);

    const dt = p.get('designated-teacher')!;
    const urn = dt.urns[0]!;
    expect(dt.urns).toEqual([urn]);
    expect(staff.get(dt.sub)!.role).toBe('DT');
    expect(w.education.designatedTeachers.some((d) => d.urn === urn && d.staff_id === dt.sub)).toBe(
      true,
    );
    expect(w.education.schools.find((s) => s.urn === urn)!.la_code).toBe(w.la.code);
    expect(count('designated-teacher')).toBeGreaterThanOrEqual(3);
    const onRoll = w.education.students.filter(
      (s) => s.looked_after && s.enrolments.some((e) => e.urn === urn && e.leaving_date === null),
    );
    expect(onRoll.some((s) => s.looked_after_la !== w.la.code)).toBe(true);
    expect(w.needToKnow.some((g) => g.urn === urn)).toBe(true);

    const ntk = p.get('teacher-ntk')!;
    expect([staff.get(ntk.sub)!.role, staff.get(ntk.sub)!.urn]).toEqual(['TEACHER', urn]);
    expect(count('teacher-ntk')).toBeGreaterThanOrEqual(1);
    const teacher = p.get('teacher')!;
    expect([staff.get(teacher.sub)!.role, staff.get(teacher.sub)!.urn]).toEqual(['TEACHER', urn]);
    expect(w.needToKnow.some((g) => g.staffId === teacher.sub)).toBe(false);
    const governor = p.get('governor')!;
    expect([staff.get(governor.sub)!.role, governor.urns]).toEqual(['GOVERNOR', [urn]]);

    expect(p.get('analyst')!.sub).toBe('A900001');
    expect(p.get('finance-officer')!.sub).toBe('F900001');
    expect(p.get('auditor')!.sub).toBe('AU900001');
    expect(p.get('placing-authority')).toMatchObject({
      sub: 'client:la-359-virtual-school',
      la: '359',
    });
    for (const x of w.personas) {
      if (x.name !== 'placing-authority') expect(x.la).toBe(w.la.code);
      expect(x.description).toContain(String(expectedVisibleCount(w, x)));
    }
    expect(count('vsh')).toBe(current.size);
    expect(count('finance-officer')).toBe(current.size);
    expect(count('teacher')).toBe(0);
  }

  it('binds every persona to the data at 600 children', () => {
    checkBindings(world);
    const roles = Object.fromEntries(world.personas.map((x) => [x.name, x.roles]));
    expect(roles).toMatchObject({
      vsh: ['virtual-school-head'],
      'vs-officer': ['virtual-school-officer'],
      'social-worker': ['social-worker'],
      'designated-teacher': ['designated-teacher'],
      'teacher-ntk': ['teacher'],
      teacher: ['teacher'],
      governor: ['governor'],
      analyst: ['analyst'],
      'finance-officer': ['finance-officer'],
      'placing-authority': ['placing-authority'],
      auditor: ['auditor'],
    });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('holds the bindings at 200 children, seed %i', (seed) => {
    checkBindings(generateWorld({ seed, children: 200, asOf: AS_OF }));
  });

  it.each([
    [11, '2025-09-03'],
    [12, '2026-07-30'],
    [13, '2024-03-10'],
  ])('holds the bindings at 50 children (seed %i, as of %s)', (seed, asOf) => {
    checkBindings(generateWorld({ seed, children: 50, asOf }));
  });
});

describe('scale', () => {
  // How long it takes is measured by the benchmarks (bench/), never asserted in a test.
  it('generates 50,000 children, holding attendance as counts', () => {
    const big = generateWorld({ seed: 7, children: 50_000, asOf: AS_OF });
    expect(big.socialCare.children).toHaveLength(50_000);
    expect(big.education.schools.filter((s) => s.la_code === '340')).toHaveLength(2000);
    expect(big.education.students.length).toBeGreaterThan(40_000);
    const s = big.education.students.find((x) => x.attendance)!;
    expect(Object.values(s.attendance!.codes).every((n) => typeof n === 'number')).toBe(true);
  });
});
