/**
 * The education system's write routes, as a school's MIS would feed them: session marks,
 * suspensions and permanent exclusions, joining and leaving a roll. Each changes the store so
 * the read routes show it (a pupil's marks and attendance summary, exclusions, enrolments,
 * the school rolls) and appends to the change feed; a write that changes nothing (the same
 * mark twice) logs nothing. Every check runs before anything is changed.
 */
import type {
  EdChange,
  EdEnrolment,
  EdEnrolmentPost,
  EdEnrolmentRecord,
  EdExclusion,
  EdExclusionDecision,
  EdExclusionPost,
  EdExclusionRecord,
  EdLeavingPost,
  EdSessionMark,
  EdSessionMarkPost,
  EdSessionMarkRecord,
  EdWriteResult,
} from '../../upstream/education/contract';
import { academicYearOf, addDays } from '../../domain/school-calendar';
import type { StudentFull } from '../seed/world';
import { ChangeLog, latestToday } from '../common/change-log';
import { badRequest, notFound } from '../common/errors';
import { sessionMarksFor } from './session-marks';
import type { EducationStore } from './store';

const SESSION_ORDER = { AM: 0, PM: 1 } as const;
const slot = (mark: { date: string; session: string }) => `${mark.date}|${mark.session}`;

function invalid(field: string, message: string) {
  return badRequest(`Invalid body: ${field}: ${message}`);
}

function covers(e: EdEnrolment, date: string): boolean {
  return e.entry_date <= date && (e.leaving_date === null || e.leaving_date >= date);
}

/** The summary with one session's code moved from `from` (none: a new session) to `to`. */
function recount(
  summary: NonNullable<StudentFull['attendance']>,
  date: string,
  from: string | undefined,
  to: string,
): NonNullable<StudentFull['attendance']> {
  const codes = { ...summary.codes };
  if (from !== undefined) {
    const left = (codes[from] ?? 0) - 1;
    if (left > 0) codes[from] = left;
    else delete codes[from];
  }
  codes[to] = (codes[to] ?? 0) + 1;
  return {
    ...summary,
    from: date < summary.from ? date : summary.from,
    to: date > summary.to ? date : summary.to,
    codes,
  };
}

export class EducationWrites {
  readonly log = new ChangeLog<EdChange>();
  /** Marks recorded through the API, by UPN and "date|session": they win over seeded ones. */
  private readonly marks = new Map<string, Map<string, EdSessionMark>>();
  private readonly exclusions = new Map<string, EdExclusionRecord[]>();
  private exclusionCount = 0;

  constructor(
    private readonly store: EducationStore,
    private readonly asOf: string,
  ) {}

  student(upn: string | undefined): StudentFull {
    const student = this.store.student(upn ?? '');
    if (!student) throw notFound(`No student ${upn}`);
    return student;
  }

  /** The pupil's marks between `from` and `to`: the seeded ones with those recorded laid over. */
  sessionMarks(student: StudentFull, from?: string, to?: string): EdSessionMark[] {
    const seeded = this.store.seeded(student.upn) ?? student;
    const recorded = this.marks.get(student.upn);
    const generated = sessionMarksFor(seeded, this.asOf, from, to);
    if (!recorded) return generated;
    const merged = new Map(generated.map((mark) => [slot(mark), mark]));
    for (const mark of recorded.values()) {
      if ((from === undefined || mark.date >= from) && (to === undefined || mark.date <= to)) {
        merged.set(slot(mark), mark);
      }
    }
    return [...merged.values()].sort(
      (a, b) => a.date.localeCompare(b.date) || SESSION_ORDER[a.session] - SESSION_ORDER[b.session],
    );
  }

  /** A mark for a session, new or correcting the one held; the summary counts it. */
  recordSessionMark(
    upn: string | undefined,
    body: EdSessionMarkPost,
  ): EdWriteResult<EdSessionMarkRecord> {
    const student = this.student(upn);
    const year = academicYearOf(this.asOf);
    if (academicYearOf(body.date) !== year) {
      throw invalid('date', `must be in the current academic year ${year}`);
    }
    if (body.date > latestToday(this.asOf)) throw invalid('date', 'must not be in the future');
    const onRoll = student.enrolments.some(
      (e) => e.urn === body.urn && e.enrolment_status !== 'S' && covers(e, body.date),
    );
    if (!onRoll) {
      throw invalid('urn', `the pupil is not on the main roll of ${body.urn} on ${body.date}`);
    }
    const mark: EdSessionMark = {
      date: body.date,
      session: body.session,
      code: body.code,
      urn: body.urn,
    };
    const record: EdSessionMarkRecord = { upn: student.upn, ...mark };
    const held = this.sessionMarks(student, mark.date, mark.date).find(
      (m) => m.session === mark.session,
    );
    if (held && held.code === mark.code && held.urn === mark.urn) {
      return { data: record, meta: { changes: [] } };
    }
    const summary = student.attendance ?? {
      academic_year: year,
      from: mark.date,
      to: mark.date,
      codes: {},
    };
    this.store.replaceStudent({
      ...student,
      attendance: recount(summary, mark.date, held?.code, mark.code),
    });
    const recorded = this.marks.get(student.upn) ?? new Map<string, EdSessionMark>();
    recorded.set(slot(mark), mark);
    this.marks.set(student.upn, recorded);
    return {
      data: record,
      meta: { changes: this.log.append({ kind: 'session_mark', record }) },
    };
  }

  /** A suspension (MADE) or a proposed permanent exclusion. The same one twice is one. */
  recordExclusion(
    upn: string | undefined,
    body: EdExclusionPost,
  ): EdWriteResult<EdExclusionRecord> {
    const student = this.student(upn);
    if (!student.enrolments.some((e) => e.urn === body.urn && covers(e, body.start_date))) {
      throw invalid('urn', `the pupil is not on the roll of ${body.urn} on ${body.start_date}`);
    }
    const held = this.exclusions.get(student.upn) ?? [];
    const same = held.find(
      (x) =>
        x.status !== 'WITHDRAWN' &&
        x.category === body.category &&
        x.urn === body.urn &&
        x.start_date === body.start_date &&
        x.sessions === body.sessions &&
        x.reasons.join() === body.reasons.join(),
    );
    if (same) return { data: same, meta: { changes: [] } };
    this.exclusionCount += 1;
    const record: EdExclusionRecord = {
      upn: student.upn,
      exclusion_id: `EX${String(this.exclusionCount).padStart(6, '0')}`,
      status: body.status,
      category: body.category,
      urn: body.urn,
      start_date: body.start_date,
      sessions: body.sessions,
      reasons: [...body.reasons],
    };
    this.exclusions.set(student.upn, [...held, record]);
    this.showMade(student);
    return { data: record, meta: { changes: this.log.append({ kind: 'exclusion', record }) } };
  }

  /** Decides a PROPOSED permanent exclusion: MADE or WITHDRAWN (the same decision again: none). */
  decideExclusion(
    upn: string | undefined,
    id: string | undefined,
    body: EdExclusionDecision,
  ): EdWriteResult<EdExclusionRecord> {
    const student = this.student(upn);
    const held = this.exclusions.get(student.upn) ?? [];
    const index = held.findIndex((x) => x.exclusion_id === id);
    const current = held[index];
    if (!current) throw notFound(`No exclusion ${id} for student ${student.upn}`);
    if (current.status === body.status) return { data: current, meta: { changes: [] } };
    if (current.status !== 'PROPOSED') {
      throw invalid('status', `exclusion ${current.exclusion_id} is ${current.status} already`);
    }
    const record: EdExclusionRecord = { ...current, status: body.status };
    this.exclusions.set(
      student.upn,
      held.map((x, i) => (i === index ? record : x)),
    );
    this.showMade(student);
    return { data: record, meta: { changes: this.log.append({ kind: 'exclusion', record }) } };
  }

  /**
   * Joins a school's roll (single registration). The pupil's current main enrolments end the
   * day before; each change is logged, the ended enrolments first.
   */
  join(upn: string | undefined, body: EdEnrolmentPost): EdWriteResult<EdEnrolmentRecord> {
    const student = this.student(upn);
    if (!this.store.school(body.urn)) throw invalid('urn', `no school ${body.urn}`);
    if (body.entry_date > latestToday(this.asOf)) {
      throw invalid('entry_date', 'must not be in the future');
    }
    const open = student.enrolments.find((e) => e.urn === body.urn && e.leaving_date === null);
    if (open) {
      if (open.entry_date === body.entry_date && open.year_group === body.year_group) {
        return { data: { upn: student.upn, ...open }, meta: { changes: [] } };
      }
      throw invalid('urn', `the pupil is on the roll of ${body.urn} already`);
    }
    const leaving = addDays(body.entry_date, -1);
    const ending = student.enrolments.filter(
      (e) => e.leaving_date === null && e.enrolment_status !== 'S',
    );
    const tooEarly = ending.find((e) => e.entry_date > leaving);
    if (tooEarly) {
      throw invalid(
        'entry_date',
        `must be after the entry to ${tooEarly.urn} (${tooEarly.entry_date})`,
      );
    }
    const joined: EdEnrolment = {
      urn: body.urn,
      year_group: body.year_group,
      entry_date: body.entry_date,
      leaving_date: null,
      enrolment_status: 'C',
    };
    const ended = new Map(ending.map((e) => [e, { ...e, leaving_date: leaving }]));
    this.store.replaceStudent({
      ...student,
      enrolments: [...student.enrolments.map((e) => ended.get(e) ?? e), joined],
    });
    const records = [...ended.values(), joined].map((e) => ({ upn: student.upn, ...e }));
    const changes = this.log.append(
      ...records.map((record) => ({ kind: 'enrolment' as const, record })),
    );
    return { data: records[records.length - 1]!, meta: { changes } };
  }

  /** Leaves a school's roll on `leaving_date` (the same leaving again: no change). */
  leave(upn: string | undefined, body: EdLeavingPost): EdWriteResult<EdEnrolmentRecord> {
    const student = this.student(upn);
    if (body.leaving_date > latestToday(this.asOf)) {
      throw invalid('leaving_date', 'must not be in the future');
    }
    const open = student.enrolments.find((e) => e.urn === body.urn && e.leaving_date === null);
    if (!open) {
      const left = student.enrolments.find(
        (e) => e.urn === body.urn && e.leaving_date === body.leaving_date,
      );
      if (left) return { data: { upn: student.upn, ...left }, meta: { changes: [] } };
      throw invalid('urn', `the pupil is not on the roll of ${body.urn}`);
    }
    if (body.leaving_date < open.entry_date) {
      throw invalid('leaving_date', `must not be before the entry date ${open.entry_date}`);
    }
    const ended: EdEnrolment = { ...open, leaving_date: body.leaving_date };
    this.store.replaceStudent({
      ...student,
      enrolments: student.enrolments.map((e) => (e === open ? ended : e)),
    });
    const record: EdEnrolmentRecord = { upn: student.upn, ...ended };
    return { data: record, meta: { changes: this.log.append({ kind: 'enrolment', record }) } };
  }

  /** The pupil's exclusions as the read routes show them: the seeded ones, then those MADE. */
  private showMade(student: StudentFull): void {
    const made: EdExclusion[] = (this.exclusions.get(student.upn) ?? [])
      .filter((x) => x.status === 'MADE')
      .map(({ category, urn, start_date, sessions, reasons }) => ({
        category,
        urn,
        start_date,
        sessions,
        reasons,
      }));
    const seeded = this.store.seeded(student.upn)?.exclusions ?? null;
    const exclusions = seeded === null && made.length === 0 ? null : [...(seeded ?? []), ...made];
    this.store.replaceStudent({ ...this.student(student.upn), exclusions });
  }
}
