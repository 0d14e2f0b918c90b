import type {
  EdAttendanceSummary,
  EdDesignatedTeacher,
  EdEnrolment,
  EdSchool,
  EdStudentRecord,
} from '../../upstream/education/contract';
import {
  ATTENDANCE_CODES,
  attendanceCategory,
  attendanceLabel,
} from '../../domain/codes/attendance';
import { EXCLUSION_REASONS, exclusionReasonLabel } from '../../domain/codes/exclusions';
import { SEN_NEEDS, senNeedLabel } from '../../domain/codes/sen';
import { isUpn, isUrn } from './identifiers';
import { localAuthorityName } from '../../domain/codes/local-authorities';
import {
  currentEnrolment,
  toDesignatedTeacher,
  toEducation,
  toEnrolments,
  toExclusions,
  toPupil,
  toSchool,
  toSen,
} from './mapping';

const enrolment = (overrides: Partial<EdEnrolment>): EdEnrolment => ({
  urn: '100001',
  year_group: '5',
  entry_date: '2020-09-02',
  leaving_date: null,
  enrolment_status: 'C',
  ...overrides,
});

const summary = (codes: Record<string, number>): EdAttendanceSummary => ({
  academic_year: '2025/26',
  from: '2025-09-03',
  to: '2025-11-14',
  codes,
});

const student = (overrides: Partial<EdStudentRecord> = {}): EdStudentRecord => ({
  upn: 'A340200118001',
  forename: 'Ava',
  surname: 'Thornton',
  dob: '2016-03-12',
  gender: 'F',
  looked_after: true,
  looked_after_la: '340',
  updated_at: '2025-11-10T07:00:00Z',
  coverage: { source: 'LA_FEED', latest_return_on: null },
  enrolments: [enrolment({})],
  attendance: summary({ '/': 10, '\\': 10 }),
  exclusions: [],
  sen: { status: 'N', primary_need: null },
  attainment: { ks2: [], ks4: [] },
  ...overrides,
});

describe('code lists', () => {
  it('holds every 2024 DfE attendance code once, each with a meaning and a category', () => {
    const codes = ATTENDANCE_CODES.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(
      expect.arrayContaining([
        '/',
        '\\',
        'L',
        'K',
        'V',
        'P',
        'W',
        'B',
        'D',
        'C',
        'C1',
        'C2',
        'E',
        'I',
        'M',
      ]),
    );
    expect(codes).toEqual(
      expect.arrayContaining(['J1', 'S', 'T', 'R', 'G', 'N', 'O', 'U', 'Q', 'X', 'Z', '#']),
    );
    expect(codes).toEqual(expect.arrayContaining(['Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7']));
    expect(codes).toHaveLength(34);
  });

  it('categorises attendance codes as the DfE 2024 table does', () => {
    expect(attendanceCategory('L')).toBe('PRESENT');
    expect(attendanceCategory('D')).toBe('NOT_POSSIBLE');
    expect(attendanceCategory('J1')).toBe('AUTHORISED_ABSENCE');
    expect(attendanceCategory('G')).toBe('UNAUTHORISED_ABSENCE');
    expect(attendanceCategory('Y5')).toBe('NOT_POSSIBLE');
    expect(attendanceCategory('#')).toBe('NOT_POSSIBLE');
    expect(attendanceCategory('H')).toBeUndefined();
    expect(attendanceLabel('H')).toBe('Unknown code (H)');
  });

  it('labels exclusion reasons and SEN needs, and unknown codes without throwing', () => {
    expect(Object.keys(EXCLUSION_REASONS)).toEqual([
      'PP',
      'PA',
      'VP',
      'VA',
      'OW',
      'BU',
      'RA',
      'LG',
      'DS',
      'SM',
      'DA',
      'DM',
      'TH',
      'MT',
      'PH',
      'DB',
    ]);
    expect(exclusionReasonLabel('PA')).toBe('Physical assault against an adult');
    expect(exclusionReasonLabel('ZZ')).toBe('Unknown code (ZZ)');
    expect(exclusionReasonLabel('toString')).toBe('Unknown code (toString)');
    expect(Object.keys(SEN_NEEDS)).toHaveLength(13);
    expect(senNeedLabel('SLCN')).toBe('Speech, language and communication needs');
    expect(senNeedLabel('XYZ')).toBe('Unknown code (XYZ)');
  });

  it('names local authorities, with a placeholder for codes it does not know', () => {
    expect(localAuthorityName('340')).toBe('Knowsley');
    expect(localAuthorityName('359')).toBe('Wigan');
    expect(localAuthorityName('999')).toBe('Local authority 999');
  });
});

describe('identifiers', () => {
  it('accepts 6-digit URNs only', () => {
    expect(isUrn('100001')).toBe(true);
    expect(['10001', '1000011', 'abcdef', '10000a', ' 100001', ''].map(isUrn)).toEqual(
      Array(6).fill(false),
    );
  });

  it('accepts 13-character UPNs, not the UN1-UN5 placeholders', () => {
    expect(isUpn('A340200118001')).toBe(true);
    expect(isUpn('A34020011800B')).toBe(true);
    expect(
      ['UN1', 'UN5', 'a340200118001', 'A3402001180011', '1340200118001', ''].map(isUpn),
    ).toEqual(Array(6).fill(false));
  });
});

describe('toSchool and toDesignatedTeacher', () => {
  const school: EdSchool = {
    urn: '100003',
    laestab: '3594001',
    name: 'Marsh Lane High School',
    phase: 'SECONDARY',
    type: 'FOUNDATION',
    la_code: '359',
    la_name: 'Wigan',
    postcode: 'WN5 1ZZ',
    updated_at: '2025-06-15T12:00:00Z',
  };

  it('names the local authority and says whether the school is in this one', () => {
    expect(toSchool(school, '340')).toEqual({
      urn: '100003',
      laestab: '3594001',
      name: 'Marsh Lane High School',
      phase: 'SECONDARY',
      type: 'FOUNDATION',
      localAuthority: { code: '359', name: 'Wigan' },
      inAuthority: false,
    });
    expect(toSchool(school, '359').inAuthority).toBe(true);
  });

  it('builds the designated teacher name from title, forename and surname', () => {
    const teacher: EdDesignatedTeacher = {
      urn: '100001',
      staff_id: 'ST1002',
      title: 'Mr',
      forename: 'Owen',
      surname: 'Price',
      job_title: 'Designated Teacher',
      email: 'o.price@brookfield.example',
      phone: '0151 496 3001',
      confirmed_on: '2025-09-10',
      updated_at: '2025-09-10T10:00:00Z',
    };
    expect(toDesignatedTeacher(teacher)).toEqual({
      name: 'Mr Owen Price',
      title: 'Mr',
      forename: 'Owen',
      surname: 'Price',
      jobTitle: 'Designated Teacher',
      workEmail: 'o.price@brookfield.example',
      workPhone: '0151 496 3001',
      confirmedOn: '2025-09-10',
    });
    expect(toDesignatedTeacher({ ...teacher, title: null }).name).toBe('Owen Price');
  });
});

describe('enrolments', () => {
  it('orders newest first and maps C/M/S registrations', () => {
    const shapes = toEnrolments([
      enrolment({ urn: '100002', entry_date: '2024-06-03', leaving_date: '2025-01-31' }),
      enrolment({ urn: '100003', entry_date: '2025-09-08', enrolment_status: 'S' }),
      enrolment({ urn: '100001', entry_date: '2025-02-03', enrolment_status: 'M' }),
    ]);
    expect(shapes.map((shape) => [shape.schoolUrn, shape.registration])).toEqual([
      ['100003', 'DUAL_SUBSIDIARY'],
      ['100001', 'DUAL_MAIN'],
      ['100002', 'SINGLE'],
    ]);
    expect(shapes[2]).toEqual({
      schoolUrn: '100002',
      yearGroup: '5',
      entryDate: '2024-06-03',
      leavingDate: '2025-01-31',
      registration: 'SINGLE',
    });
  });

  it('takes the open enrolment as current, preferring single over main dual over subsidiary', () => {
    const left = enrolment({ urn: '100009', entry_date: '2025-10-01', leaving_date: '2025-10-20' });
    const main = enrolment({ urn: '100002', enrolment_status: 'M', year_group: '12' });
    const subsidiary = enrolment({
      urn: '100003',
      enrolment_status: 'S',
      entry_date: '2025-09-08',
    });
    const single = enrolment({ urn: '100004', enrolment_status: 'C', entry_date: '2019-09-01' });
    expect(currentEnrolment([left, subsidiary, main])?.urn).toBe('100002');
    expect(currentEnrolment([subsidiary, main, single])?.urn).toBe('100004');
    expect(currentEnrolment([subsidiary, left])?.urn).toBe('100003');
    expect(currentEnrolment([left])).toBeNull();
    expect(currentEnrolment([])).toBeNull();
  });

  it('gives the education its current school and year group, or null for both', () => {
    const education = toEducation(
      student({
        enrolments: [
          enrolment({
            urn: '100002',
            year_group: '10',
            entry_date: '2024-06-03',
            leaving_date: '2025-01-31',
          }),
          enrolment({ urn: '100003', year_group: '11', entry_date: '2025-02-03' }),
        ],
      }),
    );
    expect(education.currentSchoolUrn).toBe('100003');
    expect(education.yearGroup).toBe('11');
    const left = toEducation(student({ enrolments: [enrolment({ leaving_date: '2025-07-20' })] }));
    expect(left.currentSchoolUrn).toBeNull();
    expect(left.yearGroup).toBeNull();
  });
});

describe('exclusions', () => {
  it('maps kinds and labelled reasons, newest first, with no length for a permanent exclusion', () => {
    const shapes = toExclusions([
      { category: 'FIXED', urn: '100002', start_date: '2024-11-12', sessions: 4, reasons: ['PA'] },
      {
        category: 'PERMANENT',
        urn: '100003',
        start_date: '2025-03-02',
        sessions: 10,
        reasons: ['OW', 'QQ'],
      },
      { category: 'FIXED', urn: '100002', start_date: '2023-01-09', sessions: 2, reasons: [] },
    ]);
    expect(shapes).toEqual([
      {
        kind: 'PERMANENT_EXCLUSION',
        startDate: '2025-03-02',
        sessions: null,
        reasons: [
          { code: 'OW', label: 'Use or threat of use of an offensive weapon or prohibited item' },
          { code: 'QQ', label: 'Unknown code (QQ)' },
        ],
        schoolUrn: '100003',
      },
      {
        kind: 'SUSPENSION',
        startDate: '2024-11-12',
        sessions: 4,
        reasons: [{ code: 'PA', label: 'Physical assault against an adult' }],
        schoolUrn: '100002',
      },
      {
        kind: 'SUSPENSION',
        startDate: '2023-01-09',
        sessions: 2,
        reasons: [],
        schoolUrn: '100002',
      },
    ]);
  });
});

describe('SEN', () => {
  it('maps E/K/N with the primary need labelled', () => {
    expect(toSen({ status: 'E', primary_need: 'SEMH' })).toEqual({
      status: 'EHC_PLAN',
      primaryNeed: { code: 'SEMH', label: 'Social, emotional and mental health' },
    });
    expect(toSen({ status: 'K', primary_need: 'SLCN' }).status).toBe('SEN_SUPPORT');
    expect(toSen({ status: 'K', primary_need: null })).toEqual({
      status: 'SEN_SUPPORT',
      primaryNeed: null,
    });
    expect(toSen({ status: 'N', primary_need: null })).toEqual({
      status: 'NONE',
      primaryNeed: null,
    });
  });

  it('drops a primary need recorded against a pupil with no SEN', () => {
    expect(toSen({ status: 'N', primary_need: 'MLD' })).toEqual({
      status: 'NONE',
      primaryNeed: null,
    });
  });
});

describe('toEducation', () => {
  const noResults = { ks2: null, ks4: null, ks2Results: [], ks4Results: [] };

  it('reads enrolments and SEN missing from the answer as none, the rest as not held', () => {
    const bare = student();
    delete bare.enrolments;
    delete bare.attendance;
    delete bare.exclusions;
    delete bare.sen;
    delete bare.attainment;
    expect(toEducation(bare)).toEqual({
      currentSchoolUrn: null,
      yearGroup: null,
      enrolments: [],
      dataSource: {
        source: 'LA_FEED',
        latestReturnOn: null,
        missing: ['ATTENDANCE', 'EXCLUSIONS', 'ATTAINMENT'],
      },
      attendance: null,
      exclusions: null,
      sen: { status: 'NONE', primaryNeed: null },
      attainment: noResults,
    });
  });

  // Where a pupil's attendance, exclusions and attainment come from (domain.md, "Schools
  // outside the authority"): never a missing return read as zero or as "no exclusions".
  const elsewhere = [enrolment({ urn: '100003', year_group: '11' })];
  const suspension = {
    category: 'FIXED' as const,
    urn: '100003',
    start_date: '2025-10-20',
    sessions: 2,
    reasons: ['PA'],
  };
  it.each([
    {
      name: 'a school of this authority',
      record: student(),
      dataSource: { source: 'LA_FEED', latestReturnOn: null, missing: [] },
      attendanceTo: '2025-11-14',
      exclusions: 0,
    },
    {
      name: 'a school elsewhere, returns to 7 November',
      record: student({
        enrolments: elsewhere,
        coverage: { source: 'SCHOOL_RETURN', latest_return_on: '2025-11-07' },
        attendance: { ...summary({ '/': 45, '\\': 45 }), to: '2025-11-07' },
        exclusions: [suspension],
      }),
      dataSource: { source: 'SCHOOL_RETURN', latestReturnOn: '2025-11-07', missing: [] },
      attendanceTo: '2025-11-07',
      exclusions: 1,
    },
    {
      name: 'a school elsewhere that sent no return this term',
      record: student({
        enrolments: elsewhere,
        coverage: { source: 'NO_RETURN', latest_return_on: null },
        attendance: null,
        exclusions: null,
        attainment: null,
      }),
      dataSource: {
        source: 'NO_RETURN',
        latestReturnOn: null,
        missing: ['ATTENDANCE', 'EXCLUSIONS', 'ATTAINMENT'],
      },
      attendanceTo: null,
      exclusions: null,
    },
    {
      name: 'a school elsewhere whose latest return came before the pupil arrived',
      record: student({
        enrolments: elsewhere,
        coverage: { source: 'SCHOOL_RETURN', latest_return_on: '2025-09-01' },
        attendance: null,
        exclusions: [],
      }),
      dataSource: {
        source: 'SCHOOL_RETURN',
        latestReturnOn: '2025-09-01',
        missing: ['ATTENDANCE'],
      },
      attendanceTo: null,
      exclusions: 0,
    },
    {
      // A contract slip: a return date with no returns is not shown.
      name: 'a return date on a record fed by the authority’s own school',
      record: student({ coverage: { source: 'LA_FEED', latest_return_on: '2025-11-01' } }),
      dataSource: { source: 'LA_FEED', latestReturnOn: null, missing: [] },
      attendanceTo: '2025-11-14',
      exclusions: 0,
    },
  ])('says where the data come from: $name', ({ record, dataSource, attendanceTo, exclusions }) => {
    const education = toEducation(record);
    expect(education.dataSource).toEqual(dataSource);
    expect(education.attendance?.to ?? null).toBe(attendanceTo);
    expect(education.exclusions?.length ?? null).toBe(exclusions);
  });

  it('keeps no results held apart from no results: empty lists, ATTAINMENT missing', () => {
    const none = toEducation(student({ attainment: null }));
    expect(none.attainment).toEqual(noResults);
    expect(none.dataSource.missing).toEqual(['ATTAINMENT']);
    expect(toEducation(student()).dataSource.missing).toEqual([]);
  });

  it('lists every result oldest first with its academic year, the most recent as ks2 / ks4', () => {
    const ks2 = (year: string, reading: number) => ({
      year,
      reading_scaled: reading,
      maths_scaled: 100,
      writing_ta: 'EXS',
    });
    // Sat the tests with the year above, then again after repeating Year 6; held newest first.
    const education = toEducation(
      student({
        attainment: {
          ks2: [ks2('2025', 104), ks2('2024', 97)],
          ks4: [{ year: '2025', attainment8: 38.5, english_grade: 4, maths_grade: 5 }],
        },
      }),
    );
    expect(
      education.attainment.ks2Results.map((r) => [r.year, r.academicYear, r.readingScaledScore]),
    ).toEqual([
      ['2024', '2023/24', 97],
      ['2025', '2024/25', 104],
    ]);
    expect(education.attainment.ks2).toMatchObject({
      year: '2025',
      academicYear: '2024/25',
      expectedStandardRwm: true,
    });
    expect(education.attainment.ks2Results[0]!.expectedStandardRwm).toBe(false);
    expect(education.attainment.ks4).toMatchObject({
      year: '2025',
      academicYear: '2024/25',
      englishAndMaths4Plus: true,
    });
    expect(education.attainment.ks4Results).toHaveLength(1);
  });
});

describe('toPupil', () => {
  it('maps this authority’s pupil, leaving the social care link to the scope check', () => {
    const pupil = toPupil(student(), '100001');
    expect(pupil).toMatchObject({
      upn: 'A340200118001',
      name: { forename: 'Ava', surname: 'Thornton', preferred: null, displayName: 'Ava Thornton' },
      yearGroup: '5',
      lookedAfterBy: { code: '340', name: 'Knowsley' },
    });
    // The link needs social care's id, from the facts read for scope (scoped-pupils.ts).
    expect(pupil).not.toHaveProperty('child');
    expect(pupil?.education.currentSchoolUrn).toBe('100001');
  });

  it('names the authority that looks after another authority’s child (COLA)', () => {
    const pupil = toPupil(student({ upn: 'Z359400117005', looked_after_la: '359' }), '100001');
    expect(pupil?.lookedAfterBy).toEqual({ code: '359', name: 'Wigan' });
  });

  it('takes the year group of the enrolment at this school', () => {
    const pupil = toPupil(
      student({
        enrolments: [
          enrolment({ urn: '100002', year_group: '12', enrolment_status: 'M' }),
          enrolment({ urn: '100003', year_group: '13', enrolment_status: 'S' }),
        ],
      }),
      '100003',
    );
    expect(pupil?.yearGroup).toBe('13');
    expect(pupil?.education.yearGroup).toBe('12');
  });

  it('skips a pupil who is not looked after', () => {
    expect(toPupil(student({ looked_after: false, looked_after_la: null }), '100001')).toBeNull();
  });
});
