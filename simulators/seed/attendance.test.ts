import { isSchoolDay } from '../../domain/school-calendar';
import { expandSessionMarks, mainEnrolments } from './attendance';
import { generateWorld } from './generate';
import type { StudentFull } from './world';

const AS_OF = '2026-01-15';
const world = generateWorld({ seed: 4, children: 300, asOf: AS_OF });
const withAttendance = world.education.students.filter((s) => s.attendance !== null);

/** Main-roll schools a pupil attended this year, each once. */
function urnsOf(s: StudentFull): string[] {
  return [...new Set(mainEnrolments(s.enrolments).map((e) => e.urn))];
}

function countCodes(marks: { code: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of marks) out[m.code] = (out[m.code] ?? 0) + 1;
  return out;
}

describe('expandSessionMarks', () => {
  it('lays out marks that add up exactly to the summary, over all the pupil’s schools', () => {
    const movers = withAttendance.filter((s) => urnsOf(s).length > 1);
    const dual = withAttendance.filter((s) => s.enrolments.some((e) => e.enrolment_status === 'S'));
    const sample = [...withAttendance.slice(0, 60), ...movers.slice(0, 20), ...dual];
    expect(movers.length).toBeGreaterThan(0);
    for (const s of sample) {
      const a = s.attendance!;
      const marks = urnsOf(s).flatMap((urn) => expandSessionMarks(s, urn, a.from, a.to, AS_OF));
      expect(countCodes(marks)).toEqual(a.codes);
      for (const m of marks) {
        expect(isSchoolDay(m.date)).toBe(true);
        expect(m.date >= a.from && m.date <= a.to).toBe(true);
        if (m.code === '/') expect(m.session).toBe('AM');
        if (m.code === '\\') expect(m.session).toBe('PM');
      }
      const keys = marks.map((m) => `${m.date}|${m.session}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('gives each day to the school whose main roll covers it', () => {
    const mover = withAttendance.find((s) => urnsOf(s).length > 1)!;
    for (const urn of urnsOf(mover)) {
      for (const m of expandSessionMarks(mover, urn, '2025-09-01', AS_OF, AS_OF)) {
        const e = mainEnrolments(mover.enrolments).find(
          (x) => x.entry_date <= m.date && (x.leaving_date === null || x.leaving_date >= m.date),
        )!;
        expect([m.urn, e.urn]).toEqual([urn, urn]);
      }
    }
    expect(expandSessionMarks(mover, '999999', '2025-09-01', AS_OF, AS_OF)).toEqual([]);
  });

  it('is deterministic and honours the date range and asOf', () => {
    const s = withAttendance.find(
      (x) => urnsOf(x).length === 1 && x.attendance!.from === '2025-09-01',
    )!;
    const urn = urnsOf(s)[0]!;
    const all = expandSessionMarks(s, urn, '2025-09-01', AS_OF, AS_OF);
    expect(expandSessionMarks(s, urn, '2025-09-01', AS_OF, AS_OF)).toEqual(all);
    const october = expandSessionMarks(s, urn, '2025-10-01', '2025-10-31', AS_OF);
    expect(october).toEqual(all.filter((m) => m.date >= '2025-10-01' && m.date <= '2025-10-31'));
    expect(october.length).toBeGreaterThan(0);
    expect(
      expandSessionMarks(s, urn, '2025-09-01', AS_OF, '2025-09-30').every(
        (m) => m.date <= '2025-09-30',
      ),
    ).toBe(true);
  });

  it('lays D on whole days the dual registration covers, at the main school', () => {
    const dual = withAttendance.filter((s) => (s.attendance!.codes['D'] ?? 0) > 0);
    expect(dual.length).toBeGreaterThan(0);
    for (const s of dual) {
      const a = s.attendance!;
      const subsidiary = s.enrolments.find((e) => e.enrolment_status === 'S')!;
      const marks = urnsOf(s).flatMap((urn) => expandSessionMarks(s, urn, a.from, a.to, AS_OF));
      const d = marks.filter((m) => m.code === 'D');
      expect(d).toHaveLength(a.codes['D']!);
      for (const m of d) {
        expect(m.date >= subsidiary.entry_date).toBe(true);
        expect(m.urn).not.toBe(subsidiary.urn);
      }
      // Whole days at the other school: a D morning always has a D afternoon.
      const dDays = new Map<string, string[]>();
      for (const m of d) dDays.set(m.date, [...(dDays.get(m.date) ?? []), m.session]);
      const mornings = d.filter((m) => m.session === 'AM');
      for (const m of mornings) expect(dDays.get(m.date)).toEqual(['AM', 'PM']);
      expect(mornings.length).toBe(Math.floor(d.length / 2));
    }
  });

  it('returns nothing for a pupil without a summary', () => {
    const none = world.education.students.find((s) => s.attendance === null);
    if (none)
      expect(expandSessionMarks(none, none.enrolments[0]!.urn, '2025-09-01', AS_OF, AS_OF)).toEqual(
        [],
      );
  });
});
