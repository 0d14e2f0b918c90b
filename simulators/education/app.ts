/**
 * The LA's pupil database, simulated: `/v1`, shaped like the MIS aggregation APIs schools use
 * (Wonde style: `include=`, paging in `meta.pagination`, single records as `{ data }`).
 */
import type { Express } from 'express';
import type { FaultConfig } from '../contracts/common';
import type { EdInclude } from '../../upstream/education/contract';
import type { World } from '../seed/world';
import { createSimulatorApp } from '../common/app';
import { lookupBatch } from '../common/batch';
import { includedFor, recordParts } from './batch-includes';
import { badRequest, notFound } from '../common/errors';
import { pageRequest, paginate } from '../common/paging';
import { parseInput, toEpochMs } from '../common/validation';
import {
  aggregateExportSchema,
  aggregatesQuerySchema,
  designatedTeacherPutSchema,
  designatedTeachersQuerySchema,
  ED_INCLUDES,
  emptyQuerySchema,
  schoolBatchSchema,
  schoolExportSchema,
  schoolsQuerySchema,
  schoolStudentsQuerySchema,
  sessionMarksBatchSchema,
  sessionsQuerySchema,
  staffBatchSchema,
  staffQuerySchema,
  studentBatchSchema,
  studentExportSchema,
  studentsQuerySchema,
} from './schemas';
import { sendNdjson } from '../common/ndjson';
import { projectionFor } from '../common/projection';
import { changesQuerySchema, latestToday } from '../common/change-log';
import { buildEducationStore, toStudentRecord } from './store';
import {
  enrolmentPostSchema,
  exclusionDecisionSchema,
  exclusionPostSchema,
  leavingPostSchema,
  sessionMarkPostSchema,
} from './write-schemas';
import { EducationWrites } from './writes';

export const EDUCATION_PREFIX = '/v1';

export interface EducationSimulatorOptions {
  world: World;
  apiKey: string;
  faults?: Partial<FaultConfig>;
  faultSeed?: number;
}

/** Keeps items updated strictly after `after` (all of them when it is absent). */
function updatedAfter<T extends { updated_at: string }>(items: readonly T[], after?: string) {
  if (after === undefined) return items;
  const since = toEpochMs(after);
  return items.filter((item) => toEpochMs(item.updated_at) > since);
}

export function createEducationSimulator(options: EducationSimulatorOptions): Express {
  const store = buildEducationStore(options.world);
  const writes = new EducationWrites(store, options.world.asOf);
  const p = EDUCATION_PREFIX;

  /** The year-group rows of one filter (both the paged list and the export read these). */
  const aggregatesFor = (q: { academic_year?: string; urn?: string }) =>
    store.aggregates.filter(
      (a) =>
        (q.academic_year === undefined || a.academic_year === q.academic_year) &&
        (q.urn === undefined || a.urn === q.urn),
    );

  const schoolOr404 = (urn: string | undefined) => {
    const school = store.school(urn ?? '');
    if (!school) throw notFound(`No school ${urn}`);
    return school;
  };

  return createSimulatorApp(
    {
      system: 'education',
      apiKey: options.apiKey,
      faults: options.faults,
      faultSeed: options.faultSeed,
      // An export's list (MAX_PER_EXPORT ids) is larger than any other body.
      bodyLimit: '4mb',
    },
    (api) => {
      api.get(`${p}/schools`, (req, res) => {
        const q = parseInput(schoolsQuerySchema, req.query, 'query');
        const placed =
          q.looked_after_la === undefined ? null : store.schoolsWithLookedAfter(q.looked_after_la);
        const schools = updatedAfter(store.schools, q.updated_after).filter(
          (s) =>
            (q.la_code === undefined || s.la_code === q.la_code) &&
            (q.phase === undefined || s.phase === q.phase) &&
            (placed === null || placed.has(s.urn)),
        );
        res.json(paginate(schools, pageRequest(q), req.originalUrl));
      });

      api.get(`${p}/schools/:urn`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        res.json({ data: schoolOr404(req.params.urn) });
      });

      api.post(`${p}/schools/batch`, (req, res) => {
        const { urns } = parseInput(schoolBatchSchema, req.body, 'body');
        res.json(lookupBatch(urns, (urn) => store.school(urn)));
      });

      // The batch's records for a list of any length, streamed in its order (a repeated URN
      // once, unknown ones left out): every school a report names, in one request.
      api.post(`${p}/exports/schools`, (req, res) => {
        const body = parseInput(schoolExportSchema, req.body, 'body');
        const project = projectionFor('urn', body.fields, [], new Set());
        sendNdjson(res, new Set(body.urns), (urn) => {
          const school = store.school(urn);
          return school ? project(school) : undefined;
        });
      });

      api.get(`${p}/schools/:urn/students`, (req, res) => {
        const q = parseInput(schoolStudentsQuerySchema, req.query, 'query');
        const school = schoolOr404(req.params.urn);
        const include = new Set<EdInclude>(q.include ?? []);
        const pupils = updatedAfter(store.onRoll(school.urn), q.updated_after).filter(
          (s) => q.looked_after === undefined || s.looked_after === q.looked_after,
        );
        const page = paginate(pupils, pageRequest(q), req.originalUrl);
        res.json({ ...page, data: page.data.map((s) => toStudentRecord(s, include)) });
      });

      api.get(`${p}/schools/:urn/staff`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        res.json({ data: store.staffAt(schoolOr404(req.params.urn).urn) });
      });

      api.get(`${p}/schools/:urn/designated-teacher`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const urn = schoolOr404(req.params.urn).urn;
        const teacher = store.designatedTeacher(urn);
        if (!teacher) throw notFound(`School ${urn} has no designated teacher on record`);
        res.json({ data: teacher });
      });

      // The LA maintains the register: the entry as it should now stand (idempotent).
      api.put(`${p}/schools/:urn/designated-teacher`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const urn = schoolOr404(req.params.urn).urn;
        const entry = parseInput(designatedTeacherPutSchema, req.body, 'body');
        if (entry.confirmed_on > latestToday(options.world.asOf)) {
          throw badRequest('Invalid body: confirmed_on: must not be in the future');
        }
        res.json(store.putDesignatedTeacher(urn, entry));
      });

      api.post(`${p}/students/batch`, (req, res) => {
        const body = parseInput(studentBatchSchema, req.body, 'body');
        const parts = recordParts(body.include ?? []);
        const batch = lookupBatch(body.upns, (upn) => {
          const student = store.student(upn);
          return student && toStudentRecord(student, parts);
        });
        const included = includedFor(batch.data, body.include ?? [], store);
        res.json(included === undefined ? batch : { ...batch, included });
      });

      // The statutory-return extract for a list of pupils, streamed in the list's order
      // (ndjson.ts); UPNs it does not hold are left out.
      api.post(`${p}/exports/students`, (req, res) => {
        const body = parseInput(studentExportSchema, req.body, 'body');
        const include = new Set<EdInclude>(body.include ?? []);
        const project = projectionFor('upn', body.fields, ED_INCLUDES, include);
        sendNdjson(res, new Set(body.upns), (upn) => {
          const student = store.student(upn);
          return student ? project(toStudentRecord(student, include)) : undefined;
        });
      });

      api.get(`${p}/students`, (req, res) => {
        const q = parseInput(studentsQuerySchema, req.query, 'query');
        const include = new Set<EdInclude>(q.include ?? []);
        const pupils = updatedAfter(store.students, q.updated_after).filter(
          (s) => q.looked_after_la === undefined || s.looked_after_la === q.looked_after_la,
        );
        const page = paginate(pupils, pageRequest(q), req.originalUrl);
        res.json({ ...page, data: page.data.map((s) => toStudentRecord(s, include)) });
      });

      api.post(`${p}/attendance/sessions/batch`, (req, res) => {
        const body = parseInput(sessionMarksBatchSchema, req.body, 'body');
        res.json(
          lookupBatch(body.upns, (upn) => {
            const student = store.student(upn);
            return student && { upn, marks: writes.sessionMarks(student, body.from, body.to) };
          }),
        );
      });

      api.get(`${p}/students/:upn/attendance/sessions`, (req, res) => {
        const q = parseInput(sessionsQuerySchema, req.query, 'query');
        const student = writes.student(req.params.upn);
        res.json({ data: writes.sessionMarks(student, q.from, q.to) });
      });

      // Writes, as a school's MIS feeds them (each logged in the change feed below).
      api.post(`${p}/students/:upn/session-marks`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(sessionMarkPostSchema, req.body, 'body');
        res.json(writes.recordSessionMark(req.params.upn, body));
      });

      api.post(`${p}/students/:upn/exclusions`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(exclusionPostSchema, req.body, 'body');
        res.json(writes.recordExclusion(req.params.upn, body));
      });

      api.post(`${p}/students/:upn/exclusions/:id`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(exclusionDecisionSchema, req.body, 'body');
        res.json(writes.decideExclusion(req.params.upn, req.params.id, body));
      });

      api.post(`${p}/students/:upn/enrolments`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(enrolmentPostSchema, req.body, 'body');
        res.json(writes.join(req.params.upn, body));
      });

      api.post(`${p}/students/:upn/enrolments/leave`, (req, res) => {
        parseInput(emptyQuerySchema, req.query, 'query');
        const body = parseInput(leavingPostSchema, req.body, 'body');
        res.json(writes.leave(req.params.upn, body));
      });

      api.get(`${p}/changes`, (req, res) => {
        const q = parseInput(changesQuerySchema, req.query, 'query');
        res.json(writes.log.page(q.updated_after, q.limit));
      });

      api.get(`${p}/staff`, (req, res) => {
        const q = parseInput(staffQuerySchema, req.query, 'query');
        const urns = q.urn === undefined ? null : new Set(q.urn);
        const staff = store.allStaff.filter(
          (s) => (q.role === undefined || s.role === q.role) && (urns === null || urns.has(s.urn)),
        );
        res.json(paginate(staff, pageRequest(q), req.originalUrl));
      });

      api.post(`${p}/staff/batch`, (req, res) => {
        const { ids } = parseInput(staffBatchSchema, req.body, 'body');
        res.json(lookupBatch(ids, (id) => store.staff(id)));
      });

      api.get(`${p}/designated-teachers`, (req, res) => {
        const q = parseInput(designatedTeachersQuerySchema, req.query, 'query');
        const teachers = updatedAfter(store.designatedTeachers, q.updated_after).filter(
          (d) => q.la_code === undefined || store.school(d.urn)?.la_code === q.la_code,
        );
        res.json(paginate(teachers, pageRequest(q), req.originalUrl));
      });

      api.get(`${p}/aggregates`, (req, res) => {
        const q = parseInput(aggregatesQuerySchema, req.query, 'query');
        res.json(paginate(aggregatesFor(q), pageRequest(q), req.originalUrl));
      });

      // Every row the pages above hold for the same filter, in their order, in one request.
      api.post(`${p}/exports/aggregates`, (req, res) => {
        const body = parseInput(aggregateExportSchema, req.body, 'body');
        sendNdjson(res, aggregatesFor(body), (row) => row);
      });
    },
  );
}
