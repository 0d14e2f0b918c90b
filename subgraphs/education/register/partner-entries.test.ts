/**
 * The register's designated teachers from other authorities' registers: only for schools
 * outside the authority with none on our record, only from the school's own authority.
 */
import { withPartnerEntries, type PartnerEntryShape, type RegisterEntryShape } from './entries';

const teacher = {
  title: 'Ms',
  forename: 'Ada',
  surname: 'Example',
  jobTitle: 'Designated Teacher',
  workEmail: 'ada@school.sch.example',
  workPhone: '01632 960001',
  confirmedOn: '2026-01-05',
};

const entry = (
  urn: string,
  code: string,
  over: Partial<RegisterEntryShape> = {},
): RegisterEntryShape => ({
  urn,
  schoolName: `School ${urn}`,
  phase: 'PRIMARY',
  localAuthority: { code, name: `Authority ${code}` },
  inAuthority: code === '340',
  designatedTeacher: null,
  virtualSchoolContact: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const partner = (partnerLa: string): PartnerEntryShape => ({
  partnerLa,
  designatedTeacher: teacher,
  updatedAt: '2026-01-20T09:00:00.000Z',
  fetchedAt: '2026-02-01T02:00:00.000Z',
});

describe('withPartnerEntries', () => {
  it('fills a school elsewhere from its own authority’s register, naming the source', () => {
    const [filled] = withPartnerEntries(
      [entry('359001', '359')],
      new Map([['359001', partner('359')]]),
    );
    expect(filled).toMatchObject({
      designatedTeacher: { ...teacher, name: 'Ms Ada Example' },
      designatedTeacherSource: {
        localAuthority: { code: '359', name: 'Authority 359' },
        updatedAt: '2026-01-20T09:00:00.000Z',
        fetchedAt: '2026-02-01T02:00:00.000Z',
      },
      // It changed in our register when we learnt of it.
      updatedAt: '2026-02-01T02:00:00.000Z',
    });
  });

  it('ignores an entry from another authority, for our schools, and where we hold a teacher', () => {
    const ours = { ...teacher, name: 'Mr Our Own' };
    const entries = [
      entry('359001', '359'),
      entry('340001', '340'),
      entry('341001', '341', { designatedTeacher: ours }),
    ];
    const held = new Map([
      ['359001', partner('341')],
      ['340001', partner('340')],
      ['341001', partner('341')],
    ]);
    expect(withPartnerEntries(entries, held)).toEqual(entries);
  });

  it('leaves a school without a teacher when its authority has none either', () => {
    const none = { ...partner('359'), designatedTeacher: null };
    const entries = [entry('359001', '359')];
    expect(withPartnerEntries(entries, new Map([['359001', none]]))).toEqual(entries);
  });
});
