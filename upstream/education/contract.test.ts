/** The education contract (types and routes) against `schema/openapi/education.yaml`. */
import { checkContract } from '../common/contract-check';
import { fieldsOf, OpenApiDocument } from '../common/openapi';
import {
  ED_SCHOOL_EXPORT_FIELDS,
  ED_STUDENT_EXPORT_FIELDS,
  type EdAggregateExport,
  type EdSchoolExport,
  EDUCATION_ROUTES,
  type EdStudentExport,
  type EdAttainment,
  type EdChange,
  type EdChangePage,
  type EdEnrolmentPost,
  type EdEnrolmentRecord,
  type EdExclusionDecision,
  type EdExclusionPost,
  type EdExclusionRecord,
  type EdLeavingPost,
  type EdSessionMarkPost,
  type EdSessionMarkRecord,
  type EdWriteResult,
  type EdAttendanceSummary,
  type EdDataCoverage,
  type EdDesignatedTeacher,
  type EdDesignatedTeacherPut,
  type EdDesignatedTeacherPutResult,
  type EdEnrolment,
  type EdExclusion,
  type EdKs2,
  type EdKs4,
  type EdLinkOfficer,
  type EdSchool,
  type EdSchoolBatch,
  type EdSen,
  type EdSessionMark,
  type EdStaff,
  type EdStaffBatch,
  type EdStudent,
  type EdStudentBatch,
  type EdStudentBatchIncluded,
  type EdStudentBatchResult,
  type EdStudentRecord,
  type EdYearGroupAggregate,
} from './contract';

const SCHEMAS: Array<[string, string[]]> = [
  [
    'EdSchool',
    fieldsOf<EdSchool>({
      urn: true,
      laestab: true,
      name: true,
      phase: true,
      type: true,
      la_code: true,
      la_name: true,
      postcode: true,
      updated_at: true,
      vs_link_officer: true,
    }),
  ],
  [
    'EdLinkOfficer',
    fieldsOf<EdLinkOfficer>({
      staff_id: true,
      name: true,
      job_title: true,
      email: true,
      phone: true,
    }),
  ],
  [
    'EdEnrolment',
    fieldsOf<EdEnrolment>({
      urn: true,
      year_group: true,
      entry_date: true,
      leaving_date: true,
      enrolment_status: true,
    }),
  ],
  [
    'EdAttendanceSummary',
    fieldsOf<EdAttendanceSummary>({
      academic_year: true,
      from: true,
      to: true,
      codes: true,
    }),
  ],
  [
    'EdSessionMark',
    fieldsOf<EdSessionMark>({
      date: true,
      session: true,
      code: true,
      urn: true,
    }),
  ],
  [
    'EdSen',
    fieldsOf<EdSen>({
      status: true,
      primary_need: true,
    }),
  ],
  [
    'EdExclusion',
    fieldsOf<EdExclusion>({
      category: true,
      urn: true,
      start_date: true,
      sessions: true,
      reasons: true,
    }),
  ],
  [
    'EdKs2',
    fieldsOf<EdKs2>({
      year: true,
      reading_scaled: true,
      maths_scaled: true,
      writing_ta: true,
    }),
  ],
  [
    'EdKs4',
    fieldsOf<EdKs4>({
      year: true,
      attainment8: true,
      english_grade: true,
      maths_grade: true,
    }),
  ],
  [
    'EdAttainment',
    fieldsOf<EdAttainment>({
      ks2: true,
      ks4: true,
    }),
  ],
  [
    'EdDataCoverage',
    fieldsOf<EdDataCoverage>({
      source: true,
      latest_return_on: true,
    }),
  ],
  [
    'EdStudent',
    fieldsOf<EdStudent>({
      upn: true,
      forename: true,
      surname: true,
      dob: true,
      gender: true,
      looked_after: true,
      looked_after_la: true,
      updated_at: true,
    }),
  ],
  [
    'EdStudentRecord',
    fieldsOf<EdStudentRecord>({
      upn: true,
      forename: true,
      surname: true,
      dob: true,
      gender: true,
      looked_after: true,
      looked_after_la: true,
      updated_at: true,
      coverage: true,
      enrolments: true,
      attendance: true,
      exclusions: true,
      sen: true,
      attainment: true,
    }),
  ],
  [
    'EdStaff',
    fieldsOf<EdStaff>({
      staff_id: true,
      urn: true,
      title: true,
      forename: true,
      surname: true,
      role: true,
      job_title: true,
      email: true,
    }),
  ],
  [
    'EdDesignatedTeacher',
    fieldsOf<EdDesignatedTeacher>({
      urn: true,
      staff_id: true,
      title: true,
      forename: true,
      surname: true,
      job_title: true,
      email: true,
      phone: true,
      confirmed_on: true,
      updated_at: true,
    }),
  ],
  [
    'EdDesignatedTeacherPutResult',
    fieldsOf<EdDesignatedTeacherPutResult>({
      data: true,
      meta: true,
    }),
  ],
  [
    'EdYearGroupAggregate',
    fieldsOf<EdYearGroupAggregate>({
      urn: true,
      academic_year: true,
      year_group: true,
      pupils: true,
      possible_sessions: true,
      attended_sessions: true,
      persistent_absentees: true,
      severe_absentees: true,
      suspended_pupils: true,
      suspensions: true,
      permanently_excluded: true,
      ehc_plan: true,
      sen_support: true,
      ks2_pupils: true,
      ks2_rwm_expected: true,
      ks4_pupils: true,
      ks4_attainment8_total: true,
      ks4_em_4plus: true,
      ks4_em_5plus: true,
    }),
  ],
  [
    'EdSessionMarkRecord',
    fieldsOf<EdSessionMarkRecord>({ upn: true, date: true, session: true, code: true, urn: true }),
  ],
  [
    'EdExclusionRecord',
    fieldsOf<EdExclusionRecord>({
      upn: true,
      exclusion_id: true,
      status: true,
      category: true,
      urn: true,
      start_date: true,
      sessions: true,
      reasons: true,
    }),
  ],
  [
    'EdEnrolmentRecord',
    fieldsOf<EdEnrolmentRecord>({
      upn: true,
      urn: true,
      year_group: true,
      entry_date: true,
      leaving_date: true,
      enrolment_status: true,
    }),
  ],
  ['EdChange', fieldsOf<EdChange>({ change_id: true, changed_at: true, kind: true, record: true })],
  [
    'BatchEdStudentRecord',
    fieldsOf<EdStudentBatchResult>({ data: true, meta: true, included: true }),
  ],
  [
    'EdStudentBatchIncluded',
    fieldsOf<EdStudentBatchIncluded>({ schools: true, designated_teachers: true }),
  ],
  ['EdChangePage', fieldsOf<EdChangePage>({ data: true, meta: true })],
  ['ChangeMeta', fieldsOf<EdChangePage['meta']>({ latest: true, more: true })],
  [
    'EdSessionMarkWriteResult',
    fieldsOf<EdWriteResult<EdSessionMarkRecord>>({ data: true, meta: true }),
  ],
  [
    'EdExclusionWriteResult',
    fieldsOf<EdWriteResult<EdExclusionRecord>>({ data: true, meta: true }),
  ],
  [
    'EdEnrolmentWriteResult',
    fieldsOf<EdWriteResult<EdEnrolmentRecord>>({ data: true, meta: true }),
  ],
  ['WriteMeta', fieldsOf<EdWriteResult<unknown>['meta']>({ changes: true })],
];

const BODIES: Array<[keyof typeof EDUCATION_ROUTES, string[]]> = [
  [
    'schoolsBatch',
    fieldsOf<EdSchoolBatch>({
      urns: true,
    }),
  ],
  [
    'studentsBatch',
    fieldsOf<EdStudentBatch>({
      upns: true,
      include: true,
    }),
  ],
  ['studentsExport', fieldsOf<EdStudentExport>({ upns: true, include: true, fields: true })],
  ['aggregatesExport', fieldsOf<EdAggregateExport>({ academic_year: true, urn: true })],
  ['schoolsExport', fieldsOf<EdSchoolExport>({ urns: true, fields: true })],
  [
    'staffBatch',
    fieldsOf<EdStaffBatch>({
      ids: true,
    }),
  ],
  [
    'putDesignatedTeacher',
    fieldsOf<EdDesignatedTeacherPut>({
      title: true,
      forename: true,
      surname: true,
      job_title: true,
      email: true,
      phone: true,
      confirmed_on: true,
    }),
  ],
  [
    'recordSessionMark',
    fieldsOf<EdSessionMarkPost>({ date: true, session: true, code: true, urn: true }),
  ],
  [
    'recordExclusion',
    fieldsOf<EdExclusionPost>({
      category: true,
      status: true,
      urn: true,
      start_date: true,
      sessions: true,
      reasons: true,
    }),
  ],
  ['updateExclusion', fieldsOf<EdExclusionDecision>({ status: true })],
  ['recordEnrolment', fieldsOf<EdEnrolmentPost>({ urn: true, year_group: true, entry_date: true })],
  ['recordLeaving', fieldsOf<EdLeavingPost>({ urn: true, leaving_date: true })],
];

describe('the education contract matches schema/openapi/education.yaml', () => {
  checkContract({
    file: 'education.yaml',
    routes: EDUCATION_ROUTES,
    schemas: SCHEMAS,
    bodies: BODIES,
  });

  it('lists the same export fields as the EdStudentExportField enum', () => {
    expect(OpenApiDocument.read('education.yaml').enumValues('EdStudentExportField')).toEqual([
      ...ED_STUDENT_EXPORT_FIELDS,
    ]);
  });

  it('lists the same school export fields as the EdSchoolExportField enum', () => {
    expect(OpenApiDocument.read('education.yaml').enumValues('EdSchoolExportField')).toEqual([
      ...ED_SCHOOL_EXPORT_FIELDS,
    ]);
  });
});
