/**
 * Once a day, over every child we look after: PEP deadlines, no school place, attendance over
 * the last weeks, schools with no designated teacher (`detect/daily-sweep.ts`). The day swept
 * is kept as the `daily-sweep` cursor, in the same transaction as its events, so a restart
 * does not sweep twice and a sweep that failed half way is run again whole (its keys make
 * that harmless). Reads in batches: the case system's search (500 a page), the education
 * system's batch (500 pupils a request), its session marks for the window, the register once.
 */
import { UPN } from '../domain/identifiers';
import { logger } from '../lib/logger';
import type { EdSessionMark } from '../upstream/education/contract';
import type { EducationClient } from '../upstream/education/client';
import type { SocialCareClient } from '../upstream/social-care/client';
import { ALL_PARTS } from '../upstream/social-care/client';
import type { EventStorePort } from '../stores/events/types';
import { contextOf, type ChildContext } from './detect/child-context';
import {
  attendanceEvents,
  attendanceWindow,
  noSchoolPlaceEvents,
  pepEvents,
  schoolsWithoutDesignatedTeacher,
  type SweepSettings,
} from './detect/daily-sweep';
import type { NewEvent } from './types';

export const SWEEP_CURSOR = 'daily-sweep';

/** Children read from the education system at a time (4 batch requests of 500 each way). */
const SWEEP_SLICE = 2_000;

export interface SweepClients {
  socialCare: Pick<SocialCareClient, 'searchAllChildren'>;
  education: Pick<
    EducationClient,
    'studentsByUpn' | 'designatedTeachers' | 'schoolsByUrn' | 'sessionMarksByUpn'
  >;
}

export class DailySweeper {
  constructor(
    private readonly clients: SweepClients,
    private readonly store: Pick<EventStorePort, 'cursor' | 'recordBatch'>,
    private readonly settings: Omit<SweepSettings, 'today'>,
  ) {}

  /** Sweeps `today` unless it has been swept; returns the events newly stored (null: already swept). */
  async sweepIfDue(today: string): Promise<number | null> {
    if ((await this.store.cursor(SWEEP_CURSOR)) === today) return null;
    return this.sweep(today);
  }

  async sweep(today: string): Promise<number> {
    const settings: SweepSettings = { ...this.settings, today };
    const window = attendanceWindow(today, settings.attendanceWeeks);
    const [records, register] = await Promise.all([
      this.clients.socialCare.searchAllChildren({
        include: [...ALL_PARTS],
        include_restricted: true,
        current_only: true,
      }),
      this.clients.education.designatedTeachers(),
    ]);
    const ours = records.filter((record) => record.LA === this.settings.la);
    const children: ChildContext[] = [];
    const events: NewEvent[] = [];
    // A slice at a time: a few batch requests in flight, never the whole authority at once.
    for (let start = 0; start < ours.length; start += SWEEP_SLICE) {
      const slice = ours.slice(start, start + SWEEP_SLICE);
      const upns = slice.map((r) => r.UPN).filter((upn) => UPN.test(upn));
      const [students, marks] =
        upns.length === 0
          ? [[], new Map<string, EdSessionMark[]>()]
          : await Promise.all([
              this.clients.education.studentsByUpn(upns, ['enrolments', 'attendance']),
              this.clients.education.sessionMarksByUpn(upns, window.from, window.to),
            ]);
      const byUpn = new Map(students.map((student) => [student.upn, student]));
      for (const record of slice) {
        const child = contextOf(record, byUpn.get(record.UPN), this.settings.la, today);
        children.push(child);
        events.push(
          ...pepEvents(child, settings),
          ...noSchoolPlaceEvents(child, settings),
          ...attendanceEvents(child, marks.get(record.UPN), settings),
        );
      }
    }
    const registered = new Set(register.map((entry) => entry.urn));
    const schoolUrns = [...new Set(children.flatMap((c) => c.routing.schoolUrns))].filter(
      (urn) => !registered.has(urn),
    );
    const linkOfficers = new Map<string, string>();
    for (const school of schoolUrns.length > 0
      ? await this.clients.education.schoolsByUrn(schoolUrns)
      : []) {
      if (school.vs_link_officer) linkOfficers.set(school.urn, school.vs_link_officer.staff_id);
    }
    events.push(...schoolsWithoutDesignatedTeacher(children, registered, linkOfficers, settings));
    const stored = await this.store.recordBatch(SWEEP_CURSOR, today, events);
    logger.info('daily alert sweep', {
      children: children.length,
      events: stored.length,
    });
    return stored.length;
  }
}
