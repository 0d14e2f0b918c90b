import {
  PP_PLUS_RATE_PENCE,
  parseComplete,
  parseCreateDraft,
  parseQualityAssure,
  parseReviewTargets,
  parseUpdateDraft,
} from './input';

const TODAY = '2026-02-10';

const target = {
  area: ' Maths ',
  description: 'Weekly tuition',
  successMeasure: 'Secure fractions',
  owner: 'Designated teacher',
  reviewDate: '2026-04-30',
  pupilPremiumPlusRequestedPence: 45_000,
};
const draft = {
  requestId: '6F1C2A9E-5B7D-4C3E-9A81-0D2F4B6E8C10',
  childId: '1000054',
  meetingDate: '2026-02-09',
  schoolUrn: 145525,
  attendees: [{ name: 'Joseph', role: 'CHILD' }],
  childViews: '  ',
  targets: [target],
};

/** The BAD_USER_INPUT message of a parse that must fail. */
function problems(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect((error as { extensions?: { code?: string } }).extensions?.code).toBe('BAD_USER_INPUT');
    return (error as Error).message;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('parseCreateDraft', () => {
  it('trims, lower-cases the request id, takes a numeric URN and empties to null', () => {
    expect(parseCreateDraft(draft, TODAY)).toEqual({
      requestId: '6f1c2a9e-5b7d-4c3e-9a81-0d2f4b6e8c10',
      childId: '1000054',
      meetingDate: '2026-02-09',
      schoolUrn: '145525',
      attendees: [{ name: 'Joseph', role: 'CHILD' }],
      childViews: null,
      strengths: null,
      barriers: null,
      supportStrategies: [],
      targets: [{ ...target, area: 'Maths', id: null }],
    });
  });

  it('names every bad field at once, never a value', () => {
    const message = problems(() =>
      parseCreateDraft(
        {
          requestId: 'x',
          childId: '12',
          meetingDate: '2027-06-01',
          schoolUrn: 'abc',
          attendees: [{ name: '', role: 'UNCLE' }],
          strengths: 'secret words\u0007',
          targets: [
            { ...target, successMeasure: null, owner: '', reviewDate: '2026-01-01' },
            { ...target, pupilPremiumPlusRequestedPence: PP_PLUS_RATE_PENCE + 1 },
            { ...target, pupilPremiumPlusRequestedPence: -1, description: 'd'.repeat(1001) },
          ],
        },
        TODAY,
      ),
    );
    for (const field of [
      'requestId',
      'childId',
      'meetingDate',
      'schoolUrn',
      'attendees[0].name',
      'attendees[0].role',
      'strengths',
      'targets[0].successMeasure',
      'targets[0].owner',
      'targets[0].reviewDate',
      'targets[1].pupilPremiumPlusRequestedPence',
      'targets[2].pupilPremiumPlusRequestedPence',
      'targets[2].description',
    ]) {
      expect([field, message.includes(`\`${field}\``)]).toEqual([field, true]);
    }
    expect(message).not.toContain('secret');
  });

  it.each([
    ['no targets', []],
    ['eleven targets', Array.from({ length: 11 }, () => target)],
  ])('refuses %s', (_what, targets) => {
    expect(problems(() => parseCreateDraft({ ...draft, targets }, TODAY))).toContain('`targets`');
  });

  it('refuses a date that does not exist, and a meeting more than a year away', () => {
    expect(
      problems(() => parseCreateDraft({ ...draft, meetingDate: '2026-02-30' }, TODAY)),
    ).toContain('`meetingDate` must be a date');
    expect(
      problems(() => parseCreateDraft({ ...draft, meetingDate: '2024-12-31' }, TODAY)),
    ).toContain('`meetingDate` must be within a year');
  });
});

describe('parseUpdateDraft', () => {
  it('keeps target ids, and refuses a missing version and a target id given twice', () => {
    const { requestId: _r, childId: _c, ...content } = draft;
    const parsed = parseUpdateDraft(
      {
        ...content,
        pepId: 'PEP-W00001',
        version: 2,
        targets: [{ ...target, id: 'PEP-W00001-T1' }],
      },
      TODAY,
    );
    expect(parsed.targets[0]!.id).toBe('PEP-W00001-T1');
    const message = problems(() =>
      parseUpdateDraft(
        {
          ...content,
          pepId: 'PEP-W00001',
          targets: [
            { ...target, id: 'T1' },
            { ...target, id: 'T1' },
          ],
        },
        TODAY,
      ),
    );
    expect(message).toContain('`version`');
    expect(message).toContain('`targets[1].id`');
  });
});

describe('the other steps', () => {
  it('reviews: outcomes, comments, no target twice, not in the future, a later PEP', () => {
    const message = problems(() =>
      parseReviewTargets(
        {
          pepId: 'PEP1',
          atPepId: 'PEP1',
          reviewedOn: '2026-02-11',
          reviews: [
            { targetId: 'PEP1-T1', outcome: 'MET', comment: '' },
            { targetId: 'PEP1-T1', outcome: 'MAYBE', comment: 'ok' },
          ],
        },
        TODAY,
      ),
    );
    for (const field of [
      'atPepId',
      'reviewedOn',
      'reviews[0].comment',
      'reviews[1].targetId',
      'reviews[1].outcome',
    ]) {
      expect([field, message.includes(`\`${field}\``)]).toEqual([field, true]);
    }
  });

  it('completion needs the designated teacher’s and the social worker’s sign-off, once each', () => {
    const ok = {
      pepId: 'PEP1',
      completedOn: TODAY,
      signOff: [
        { role: 'DESIGNATED_TEACHER', name: 'Mr T', signedOn: TODAY },
        { role: 'SOCIAL_WORKER', name: 'Ms W', signedOn: TODAY },
      ],
    };
    expect(parseComplete(ok, TODAY).signOff).toHaveLength(2);
    const message = problems(() =>
      parseComplete({ ...ok, signOff: [ok.signOff[0], ok.signOff[0]] }, TODAY),
    );
    expect(message).toContain('SOCIAL_WORKER');
    expect(message).toContain('more than one DESIGNATED_TEACHER');
  });

  it('quality assurance needs a rating and reasons', () => {
    expect(parseQualityAssure({ pepId: 'PEP1', rating: 'AMBER', reasons: ' Fine ' })).toEqual({
      pepId: 'PEP1',
      rating: 'AMBER',
      reasons: 'Fine',
    });
    const message = problems(() => parseQualityAssure({ pepId: '', rating: 'BLUE', reasons: '' }));
    expect(message).toMatch(/`pepId`.*`rating`.*`reasons`/);
  });
});
