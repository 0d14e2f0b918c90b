import type {
  ScChildRecord,
  ScEpisode,
  ScPep,
  ScPlacement,
  ScWorker,
} from '../../upstream/social-care/contract';
import {
  placementStart,
  toAge,
  toCareStatus,
  toGender,
  toName,
  toParentalResponsibility,
  toPepRecord,
  toPlacement,
  toSocialWorker,
  type MappingContext,
} from './mapping';

const AS_OF = '2025-11-14';
const context: MappingContext = { asOf: AS_OF, la: { code: '340', name: 'Knowsley' } };

function episode(overrides: Partial<ScEpisode> = {}): ScEpisode {
  return {
    CHILD: '1234567',
    DECOM: '2024-01-10',
    RNE: 'S',
    LS: 'C2',
    CIN: 'N1',
    PLACE: 'U4',
    PLACE_PROVIDER: 'PR1',
    DEC: null,
    REC: null,
    REASON_PLACE_CHANGE: null,
    HOME_POST: null,
    PL_POST: null,
    URN: null,
    PL_LA: '340',
    ...overrides,
  };
}

function pep(overrides: Partial<ScPep> = {}): ScPep {
  return {
    PEP_ID: 'P1',
    CHILD: '1234567',
    MEETING_DATE: '2025-10-01',
    INITIAL: false,
    STATUS: 'COMPLETE',
    SCHOOL_URN: '100001',
    CHILD_VIEWS: null,
    SUPPORT_STRATEGIES: [],
    TARGETS: [],
    ATTENDEES: [],
    STRENGTHS: null,
    BARRIERS: null,
    SIGN_OFF: [],
    QA: null,
    VERSION: 1,
    COMPLETED_ON: null,
    ...overrides,
  };
}

function child(overrides: Partial<ScChildRecord> = {}): ScChildRecord {
  return {
    CHILD: '1234567',
    SEX: '2',
    DOB: '2014-05-20',
    ETHNIC: 'MWBA',
    UPN: 'A340200118001',
    FORENAME: 'Robyn',
    SURNAME: 'Kaur',
    PREFERRED_NAME: null,
    LA: '340',
    UASC: false,
    UASC_CEASED: null,
    RESTRICTED: false,
    SW_ID: 'SW9',
    VS_CASEWORKER_ID: null,
    DELEGATED_AUTHORITY: [],
    LAST_UPDATED: '2025-10-01',
    episodes: [episode()],
    placements: [],
    peps: [],
    worker: null,
    ...overrides,
  };
}

describe('the child', () => {
  it('maps 903 SEX 1 and 2 and refuses anything else', () => {
    expect(toGender('1')).toBe('MALE');
    expect(toGender('2')).toBe('FEMALE');
    expect(() => toGender('9' as '1')).toThrow();
  });

  it('shows the preferred name when there is one', () => {
    expect(toName(child({ PREFERRED_NAME: 'Bobbie' }))).toEqual({
      forename: 'Robyn',
      surname: 'Kaur',
      preferred: 'Bobbie',
      displayName: 'Bobbie Kaur',
    });
    expect(toName(child({ PREFERRED_NAME: '  ' })).displayName).toBe('Robyn Kaur');
    expect(toName(child()).preferred).toBeNull();
  });

  it('counts age in whole years by the clock, a 29 February birthday from 1 March', () => {
    expect(toAge(child({ DOB: '2014-11-14' }), AS_OF)).toBe(11);
    expect(toAge(child({ DOB: '2014-11-15' }), AS_OF)).toBe(10);
    expect(toAge(child({ DOB: '2008-02-29' }), '2026-02-28')).toBe(17);
    expect(toAge(child({ DOB: '2008-02-29' }), '2026-03-01')).toBe(18);
  });
});

describe('care status', () => {
  it('dates the current period of care from the first of the abutting episodes', () => {
    const status = toCareStatus(
      child({
        ETHNIC: 'BCRB',
        UASC: true,
        UASC_CEASED: '2025-01-01',
        episodes: [
          // Out of date order on purpose: the payload's order is not trusted.
          episode({ DECOM: '2024-06-01', RNE: 'L', LS: 'C2', DEC: null }),
          episode({ DECOM: '2021-03-01', RNE: 'S', LS: 'V2', DEC: '2021-09-30', REC: 'E4A' }),
          episode({ DECOM: '2023-05-02', RNE: 'S', LS: 'C1', DEC: '2024-06-01', REC: 'X1' }),
        ],
      }),
      context,
    );
    expect(status).toMatchObject({
      lookedAfter: true,
      // 2021's episode ended with a gap: a new period began on 2023-05-02.
      lookedAfterSince: '2023-05-02',
      ceasedOn: null,
      reasonCeased: null,
      legalStatus: { code: 'C2', label: 'Full care order' },
      categoryOfNeed: { code: 'N1', label: 'Abuse or neglect' },
      placingAuthority: { code: '340', name: 'Knowsley' },
      uasc: true,
      uascCeasedOn: '2025-01-01',
      ethnicity: { code: 'BCRB', label: 'Black Caribbean' },
    });
    expect(status?.episodes.map((e) => e.startDate)).toEqual([
      '2021-03-01',
      '2023-05-02',
      '2024-06-01',
    ]);
    expect(status?.episodes[0]).toEqual({
      startDate: '2021-03-01',
      endDate: '2021-09-30',
      reasonForNewEpisode: { code: 'S', label: 'Started to be looked after' },
      legalStatus: {
        code: 'V2',
        label: 'Single period of accommodation under section 20 (Children Act 1989)',
      },
      placementType: {
        code: 'U4',
        label: 'Foster placement with other foster carer(s) – long term fostering',
      },
      reasonEnded: {
        code: 'E4A',
        label:
          'Returned home to live with parent(s), relative(s), or other person(s) with parental responsibility as part of the care planning process (not under a special guardianship order or residence order/ child arrangement order)',
      },
    });
  });

  it('says when and why care ended when no episode is open', () => {
    const status = toCareStatus(
      child({
        episodes: [
          episode({ DECOM: '2019-01-07', DEC: '2020-02-01', REC: 'X1', LS: 'C1' }),
          episode({ DECOM: '2020-02-01', RNE: 'L', DEC: '2024-06-30', REC: 'E8', LS: 'C2' }),
        ],
      }),
      context,
    );
    expect(status).toMatchObject({
      lookedAfter: false,
      lookedAfterSince: '2019-01-07',
      ceasedOn: '2024-06-30',
      reasonCeased: {
        code: 'E8',
        label:
          'Period of being looked-after ceased for any other reason (where none of the other reasons apply)',
      },
      legalStatus: { code: 'C2' },
    });
  });

  it('labels unknown codes rather than failing, and is null without episodes', () => {
    const status = toCareStatus(
      child({ ETHNIC: 'XXXX', episodes: [episode({ LS: 'Q9', CIN: 'N0' })] }),
      context,
    );
    expect(status?.legalStatus).toEqual({ code: 'Q9', label: 'Unknown code (Q9)' });
    expect(status?.categoryOfNeed.label).toBe('Unknown code (N0)');
    expect(status?.ethnicity.label).toBe('Unknown code (XXXX)');
    expect(toCareStatus(child({ episodes: [] }), context)).toBeNull();
    expect(toCareStatus(child({ episodes: undefined }), context)).toBeNull();
  });
});

const placementDetail: ScPlacement = {
  CHILD: '1234567',
  DECOM: '2024-06-01',
  EMERGENCY: false,
  CARER_NAME: 'J. and K. Mensah',
  CARER_WORK_PHONE: '0151 496 0000',
  CARER_WORK_EMAIL: null,
  ADDRESS_LINE1: '1 Test Row',
  ADDRESS_TOWN: 'Ormskirk',
  POSTCODE: 'L39 0ZZ',
};

describe('placement', () => {
  const detail = placementDetail;

  it('is out of area when placed in another authority, named from the table', () => {
    const placement = toPlacement(
      child({
        episodes: [
          episode({ DECOM: '2024-06-01', PLACE: 'K2', PLACE_PROVIDER: 'PR4', PL_LA: '343' }),
        ],
        placements: [detail, { ...detail, DECOM: '2020-01-01', CARER_NAME: 'Someone earlier' }],
      }),
      context,
    );
    expect(placement).toEqual({
      type: { code: 'K2', label: 'Children’s Homes subject to Children’s Homes Regulations' },
      provider: { code: 'PR4', label: 'Private provision' },
      startDate: '2024-06-01',
      outOfArea: true,
      localAuthority: { code: '343', name: 'Sefton' },
      carer: { name: 'J. and K. Mensah', workPhone: '0151 496 0000', workEmail: null },
      address: { line1: '1 Test Row', town: 'Ormskirk', postcode: 'L39 0ZZ' },
    });
  });

  it('names an authority the table does not hold by its code, and uses the configured name at home', () => {
    const away = toPlacement(child({ episodes: [episode({ PL_LA: '999' })] }), context);
    expect(away?.localAuthority).toEqual({ code: '999', name: 'Local authority 999' });
    expect(away?.carer).toBeNull();
    expect(away?.address).toBeNull();
    const home = toPlacement(child(), {
      ...context,
      la: { code: '340', name: 'Knowsley Council' },
    });
    expect(home).toMatchObject({
      outOfArea: false,
      localAuthority: { code: '340', name: 'Knowsley Council' },
    });
  });

  it('keeps the placement start across a change of legal status only', () => {
    const episodes = [
      episode({ DECOM: '2022-01-03', RNE: 'S', PLACE: 'U6', DEC: '2022-08-01', REC: 'X1' }),
      episode({ DECOM: '2022-08-01', RNE: 'P', PLACE: 'U4', DEC: '2023-02-01', REC: 'X1' }),
      episode({ DECOM: '2023-02-01', RNE: 'L', PLACE: 'U4', LS: 'C2' }),
    ];
    expect(placementStart(episodes, episodes[2] as ScEpisode)).toBe('2022-08-01');
    // "L" but another placement type: the data contradicts itself, so trust the new episode.
    const odd = [episodes[0] as ScEpisode, episode({ DECOM: '2022-08-01', RNE: 'L', PLACE: 'U4' })];
    expect(placementStart(odd, odd[1] as ScEpisode)).toBe('2022-08-01');
  });

  it('describes the last placement when care has ended, and is null without episodes', () => {
    const ended = toPlacement(
      child({ episodes: [episode({ DEC: '2024-01-01', REC: 'E13', PLACE: 'P2' })] }),
      context,
    );
    expect(ended?.type).toEqual({
      code: 'P2',
      label:
        'Independent living, for example in a flat, lodgings, bedsit, bed and breakfast (B&B) or with friends, with or without formal support (historic code, last valid in 2024-25)',
    });
    expect(toPlacement(child({ episodes: [] }), context)).toBeNull();
  });
});

describe('parental responsibility', () => {
  const withStatus = (ls: string, delegated: string[] = []) =>
    toParentalResponsibility(
      child({ episodes: [episode({ LS: ls })], DELEGATED_AUTHORITY: delegated }),
    );

  it('is shared under a care order, with delegated authority in words', () => {
    expect(withStatus('C2', ['SCHOOL_TRIPS', 'HAIRCUTS', 'SWIMMING_LESSONS'])).toEqual({
      localAuthorityShares: true,
      summary: 'Shared between the local authority and the parents (care order)',
      delegatedAuthority: ['School trips and activities', 'Haircuts', 'Swimming lessons'],
    });
    expect(withStatus('C1')?.localAuthorityShares).toBe(true);
  });

  it('is shared under a placement order and held by the authority under a freeing order', () => {
    expect(withStatus('E1')).toMatchObject({
      localAuthorityShares: true,
      summary: expect.stringMatching(/^Shared .*placement order/),
    });
    expect(withStatus('D1')).toMatchObject({
      localAuthorityShares: true,
      summary: expect.stringMatching(/freeing order/),
    });
  });

  it('stays with the parents alone under section 20, remand, police protection and assessment orders', () => {
    for (const ls of ['V2', 'V3', 'V4']) {
      expect(withStatus(ls)).toMatchObject({
        localAuthorityShares: false,
        summary: 'Held by the parents alone (accommodated under section 20)',
      });
    }
    for (const ls of ['J1', 'J2', 'J3', 'L1', 'L3']) {
      expect(withStatus(ls)?.localAuthorityShares).toBe(false);
      expect(withStatus(ls)?.summary).toMatch(/^Held by the parents/);
    }
    expect(withStatus('L2')?.localAuthorityShares).toBe(true);
  });

  it('says so for an unknown status, and after care has ended', () => {
    expect(withStatus('Q9')).toMatchObject({
      localAuthorityShares: false,
      summary: expect.stringContaining('(Q9)'),
    });
    const ended = toParentalResponsibility(
      child({
        episodes: [episode({ DEC: '2024-01-01', REC: 'E11' })],
        DELEGATED_AUTHORITY: ['SCHOOL_TRIPS'],
      }),
    );
    expect(ended).toMatchObject({ localAuthorityShares: false, delegatedAuthority: [] });
    expect(toParentalResponsibility(child({ episodes: [] }))).toBeNull();
  });
});

describe('social worker', () => {
  it('maps the included worker, or null', () => {
    const worker: ScWorker = {
      STAFF_ID: 'SW9',
      NAME: 'Dana Okoye',
      ROLE: 'SW',
      TEAM_ID: 'T9',
      TEAM_NAME: 'Children in Care Team 2',
      WORK_EMAIL: 'dana.okoye@council.example',
      WORK_PHONE: '0151 496 9999',
    };
    expect(toSocialWorker(worker)).toEqual({
      staffId: 'SW9',
      name: 'Dana Okoye',
      team: 'Children in Care Team 2',
      workEmail: 'dana.okoye@council.example',
      workPhone: '0151 496 9999',
    });
    expect(toSocialWorker(null)).toBeNull();
    expect(toSocialWorker(undefined)).toBeNull();
  });
});

describe('personal education plans', () => {
  it('lists the history newest first, with PP+ requests as money', () => {
    const record = toPepRecord(
      child({
        peps: [
          pep({ PEP_ID: 'P1', MEETING_DATE: '2024-10-01', INITIAL: true }),
          pep({
            PEP_ID: 'P3',
            MEETING_DATE: '2025-10-01',
            CHILD_VIEWS: 'Maths is better now.',
            SUPPORT_STRATEGIES: ['Movement breaks'],
            TARGETS: [
              {
                TARGET_ID: 'T1',
                AREA: 'Maths',
                DESCRIPTION: 'Times tables to 12',
                PP_PLUS_REQUEST_PENCE: 263000,
                STATUS: 'IN_PROGRESS',
                SUCCESS_MEASURE: 'Knows them all in the times tables check',
                OWNER: 'Class teacher',
                REVIEW_DATE: '2026-03-31',
                REVIEW: {
                  OUTCOME: 'PARTLY_MET',
                  COMMENT: 'To 9',
                  REVIEWED_ON: '2026-01-20',
                  REVIEWED_AT_PEP_ID: 'P4',
                },
              },
            ],
            ATTENDEES: [{ NAME: 'Ava', ROLE: 'CHILD' }],
            STRENGTHS: 'Reading',
            BARRIERS: 'Confidence',
            SIGN_OFF: [{ ROLE: 'SOCIAL_WORKER', NAME: 'Ms W', SIGNED_ON: '2025-10-02' }],
            QA: { RATING: 'AMBER', REASONS: 'Fine', RATED_BY: 'S100001', RATED_ON: '2025-10-10' },
            VERSION: 3,
            COMPLETED_ON: '2025-10-02',
          }),
          pep({ PEP_ID: 'P2', MEETING_DATE: '2025-03-01' }),
        ],
      }),
      context,
    );
    expect(record.history.map((p) => p.id)).toEqual(['P3', 'P2', 'P1']);
    expect(record.current).toEqual({
      id: 'P3',
      childId: '1234567',
      meetingDate: '2025-10-01',
      initial: false,
      status: 'COMPLETE',
      schoolUrn: '100001',
      childViews: 'Maths is better now.',
      supportStrategies: ['Movement breaks'],
      targets: [
        {
          id: 'T1',
          area: 'Maths',
          description: 'Times tables to 12',
          status: 'IN_PROGRESS',
          pupilPremiumPlusRequested: { pence: 263000, formatted: '£2,630.00' },
          successMeasure: 'Knows them all in the times tables check',
          owner: 'Class teacher',
          reviewDate: '2026-03-31',
          review: {
            outcome: 'PARTLY_MET',
            comment: 'To 9',
            reviewedOn: '2026-01-20',
            reviewedAtPepId: 'P4',
          },
        },
      ],
      attendees: [{ name: 'Ava', role: 'CHILD' }],
      strengths: 'Reading',
      barriers: 'Confidence',
      signOff: [{ role: 'SOCIAL_WORKER', name: 'Ms W', signedOn: '2025-10-02' }],
      qualityAssurance: {
        rating: 'AMBER',
        reasons: 'Fine',
        ratedBy: 'S100001',
        ratedOn: '2025-10-10',
      },
      version: 3,
      completedOn: '2025-10-02',
    });
    // A completed PEP this term (autumn 2025): the next review is due by the end of spring.
    expect(record.status).toBe('CURRENT');
    expect(record.nextReviewDue).toBe('2026-03-31');
    // In care since January 2024, not an emergency placement: 20 school days.
    expect(record.firstPepDue).toBe('2024-02-07');
  });

  it('is NONE until the first PEP is due, OVERDUE after, and NOT_REQUIRED once care ends', () => {
    // Entered care on 1 October 2025: the first PEP is due 20 school days later, 5 November.
    const entered = [episode({ DECOM: '2025-10-01' })];
    expect(
      toPepRecord(child({ episodes: entered, peps: [] }), { ...context, asOf: '2025-11-04' }),
    ).toEqual({
      status: 'NONE',
      nextReviewDue: '2025-11-05',
      firstPepDue: '2025-11-05',
      current: null,
      history: [],
    });
    expect(toPepRecord(child({ episodes: entered, peps: [] }), context)).toMatchObject({
      status: 'OVERDUE',
      nextReviewDue: '2025-12-19',
    });
    // An emergency placement began care: 10 working days, due 15 October.
    const emergency = child({
      episodes: entered,
      placements: [{ ...placementDetail, DECOM: '2025-10-01', EMERGENCY: true }],
      peps: [],
    });
    expect(toPepRecord(emergency, { ...context, asOf: '2025-10-15' })).toMatchObject({
      status: 'NONE',
      firstPepDue: '2025-10-15',
    });
    expect(toPepRecord(emergency, { ...context, asOf: '2025-10-16' }).status).toBe('OVERDUE');
    const ended = toPepRecord(
      child({ episodes: [episode({ DEC: '2025-07-01', REC: 'E13' })], peps: [pep()] }),
      context,
    );
    expect(ended).toMatchObject({
      status: 'NOT_REQUIRED',
      nextReviewDue: null,
      firstPepDue: null,
      current: { id: 'P1' },
    });
    expect(toPepRecord(child({ DOB: '2023-01-01', peps: [] }), context).status).toBe(
      'NOT_REQUIRED',
    );
  });

  it('does not count a meeting planned for a later date, nor a draft', () => {
    const record = toPepRecord(
      child({
        peps: [
          pep({ PEP_ID: 'P9', MEETING_DATE: '2025-12-01' }),
          pep({ PEP_ID: 'P8', MEETING_DATE: '2025-11-10', STATUS: 'DRAFT' }),
          pep({ PEP_ID: 'P1', MEETING_DATE: '2025-01-10' }),
        ],
      }),
      context,
    );
    // The PEP in force is the latest completed one held; the others are in the history.
    expect(record.current?.id).toBe('P1');
    expect(record.history.map((p) => p.id)).toEqual(['P9', 'P8', 'P1']);
    // January 2025 is two terms before autumn 2025.
    expect(record.status).toBe('OVERDUE');
    expect(record.nextReviewDue).toBe('2025-12-19');
  });

  it('is DUE on the first day of spring term after a December PEP, CURRENT in the holiday', () => {
    const december = child({ peps: [pep({ MEETING_DATE: '2025-12-10' })] });
    expect(toPepRecord(december, { ...context, asOf: '2025-12-28' })).toMatchObject({
      status: 'CURRENT',
      nextReviewDue: '2026-03-31',
    });
    expect(toPepRecord(december, { ...context, asOf: '2026-01-05' })).toMatchObject({
      status: 'DUE',
      nextReviewDue: '2026-03-31',
    });
  });
});
