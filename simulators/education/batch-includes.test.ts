/**
 * `POST /v1/students/batch` side-loading the schools the pupils' records name and those
 * schools' designated teachers (`include=schools,designated_teachers`), and the upstream
 * client reading them back.
 */
import type { AxiosInstance } from 'axios';
import type { EdStudentRecord } from '../../upstream/education/contract';
import { EducationClient } from '../../upstream/education/client';
import { startServer, type RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createEducationSimulator } from './app';

const KEY = 'ed-test-key';
const world = tinyWorld();
const school = (urn: string) => world.education.schools.find((s) => s.urn === urn);
const dt = (urn: string) => world.education.designatedTeachers.find((d) => d.urn === urn);
/** Jonas: on roll at Marsh Lane (100003, no DT on record), formerly Hollin Vale (100002). */
const JONAS = 'P340200118002';
/** Ava: on roll at Brookfield (100001). */
const AVA = 'A340200118001';

let server: RunningServer;
let api: AxiosInstance;

beforeAll(async () => {
  server = await startServer(createEducationSimulator({ world: tinyWorld(), apiKey: KEY }));
  api = httpClient(server.url, KEY);
});
afterAll(async () => {
  await server.close();
});

describe('POST /v1/students/batch with related includes', () => {
  it('side-loads every school the enrolments and exclusions name, and their DTs, once', async () => {
    const res = await api.post('/v1/students/batch', {
      upns: [AVA, JONAS, 'NOPE'],
      include: ['enrolments', 'exclusions', 'schools', 'designated_teachers'],
    });
    expect(res.status).toBe(200);
    expect(res.data.data.map((r: EdStudentRecord) => r.upn)).toEqual([AVA, JONAS]);
    expect(res.data.meta).toEqual({ missing: ['NOPE'] });
    const named = new Set<string>();
    for (const record of res.data.data as EdStudentRecord[]) {
      for (const e of record.enrolments ?? []) named.add(e.urn);
      for (const x of record.exclusions ?? []) named.add(x.urn);
    }
    expect([...named].sort()).toEqual(['100001', '100002', '100003']);
    expect(
      [...res.data.included.schools].sort((a: { urn: string }, b: { urn: string }) =>
        a.urn.localeCompare(b.urn),
      ),
    ).toEqual([school('100001'), school('100002'), school('100003')]);
    // Marsh Lane has no designated teacher on record: absent, not null.
    expect(dt('100003')).toBeUndefined();
    expect(
      [...res.data.included.designated_teachers].sort((a: { urn: string }, b: { urn: string }) =>
        a.urn.localeCompare(b.urn),
      ),
    ).toEqual([dt('100001'), dt('100002')]);
  });

  it('names only the schools of the parts returned, and includes only what is asked', async () => {
    const res = await api.post('/v1/students/batch', { upns: [JONAS], include: ['schools'] });
    // No enrolments or exclusions asked for: they name no school.
    expect(res.data.included).toEqual({ schools: [] });
    const plain = await api.post('/v1/students/batch', { upns: [JONAS], include: ['sen'] });
    expect(plain.data).not.toHaveProperty('included');
  });

  it('refuses an include it does not know', async () => {
    const res = await api.post('/v1/students/batch', { upns: [JONAS], include: ['guardians'] });
    expect(res.status).toBe(400);
  });
});

describe('EducationClient.studentsWithSchools', () => {
  it('reads the pupils, their schools and the schools’ DTs in one request', async () => {
    const client = EducationClient.fromConfig({
      baseUrl: server.url,
      apiKey: KEY,
      timeoutMs: 2000,
      deadlineMs: 5000,
      retries: 0,
    });
    try {
      const found = await client.studentsWithSchools([JONAS, AVA], ['enrolments', 'exclusions']);
      expect(found.students.map((s) => s.upn).sort()).toEqual([AVA, JONAS]);
      expect(found.schools.map((s) => s.urn).sort()).toEqual(['100001', '100002', '100003']);
      expect(found.designatedTeachers.map((d) => d.urn).sort()).toEqual(['100001', '100002']);
    } finally {
      client.close();
    }
  });
});
