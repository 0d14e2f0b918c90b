import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import type { PartnerRegisterEntryInput } from './partner-register-store';

const REFUSED = '42501';

const teacher = {
  title: 'Ms',
  forename: 'Ada',
  surname: 'Example',
  jobTitle: 'Designated Teacher for Looked After Children',
  workEmail: 'ada.example@oak-primary.sch.example',
  workPhone: '01632 960001',
  confirmedOn: '2026-01-12',
};

const entry = (over: Partial<PartnerRegisterEntryInput> = {}): PartnerRegisterEntryInput => ({
  urn: '359001',
  schoolName: 'Oak Primary School',
  designatedTeacher: teacher,
  updatedAt: '2026-01-12T09:00:00.000Z',
  ...over,
});

describe.each(testDatabases)('PartnerRegisterStore on $name', (target) => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  it('holds a partner’s entries, and writes only what changed', async () => {
    const at = '2026-02-10T02:00:00.000Z';
    const written = await stores.partnerRegisters.upsertEntries(
      '359',
      [entry(), entry({ urn: '359002', schoolName: 'Ash High School', designatedTeacher: null })],
      at,
    );
    expect(written).toBe(2);
    expect(await stores.partnerRegisters.upsertEntries('359', [entry()], at)).toBe(0);

    const held = await stores.partnerRegisters.entriesFor(['359001', '359002', '340001']);
    expect([...held.keys()]).toEqual(['359001', '359002']);
    expect(held.get('359001')).toEqual({
      partnerLa: '359',
      urn: '359001',
      schoolName: 'Oak Primary School',
      designatedTeacher: teacher,
      updatedAt: '2026-01-12T09:00:00.000Z',
      fetchedAt: at,
    });
    expect(held.get('359002')?.designatedTeacher).toBeNull();

    const changed = { ...teacher, surname: 'Sample' };
    const later = '2026-02-11T02:00:00.000Z';
    expect(
      await stores.partnerRegisters.upsertEntries(
        '359',
        [entry({ designatedTeacher: changed, updatedAt: '2026-02-10T12:00:00.000Z' })],
        later,
      ),
    ).toBe(1);
    const [first] = await stores.partnerRegisters.entriesFrom('359');
    expect(first).toMatchObject({ designatedTeacher: changed, fetchedAt: later });
  });

  it('refuses a malformed batch whole, naming the fields and never the values', async () => {
    const bad = [
      entry({ urn: '359003' }),
      entry({ urn: '12', designatedTeacher: { ...teacher, workPhone: 'call me' } }),
    ];
    const error = await stores.partnerRegisters
      .upsertEntries('359', bad, '2026-02-10T00:00:00Z')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(StoreValidationError);
    expect(String(error)).not.toContain('call me');
    expect((await stores.partnerRegisters.entriesFor(['359003'])).size).toBe(0);
    await expect(
      stores.partnerRegisters.upsertEntries('35', [entry()], '2026-02-10T00:00:00Z'),
    ).rejects.toBeInstanceOf(StoreValidationError);
  });

  it('keeps one sync state per partner: the cursor moves only on success, counters add up', async () => {
    expect(await stores.partnerRegisters.syncState('341')).toBeNull();
    const base = {
      partnerLa: '341',
      requests: 2,
      notModified: 0,
      entriesReceived: 10,
      bytesReceived: 4_000,
    };
    await stores.partnerRegisters.recordRun({
      ...base,
      at: '2026-02-10T02:00:00.000Z',
      outcome: 'ok',
      changedSince: '2026-02-09T10:00:00.000Z',
      etag: '"abc"',
    });
    const failed = await stores.partnerRegisters.recordRun({
      ...base,
      requests: 1,
      entriesReceived: 0,
      bytesReceived: 0,
      at: '2026-02-11T02:00:00.000Z',
      outcome: 'timeout',
      changedSince: null,
      etag: null,
    });
    expect(failed).toEqual({
      partnerLa: '341',
      changedSince: '2026-02-09T10:00:00.000Z',
      etag: '"abc"',
      lastAttemptAt: '2026-02-11T02:00:00.000Z',
      lastSuccessAt: '2026-02-10T02:00:00.000Z',
      lastOutcome: 'timeout',
      requests: 3,
      notModified: 0,
      entriesReceived: 10,
      bytesReceived: 4_000,
    });
  });

  it('never deletes an entry or a sync state', async () => {
    expect(await sqlStateOf(stores.db.query('DELETE FROM partner_register_entry'))).toBe(REFUSED);
    expect(await sqlStateOf(stores.db.query('DELETE FROM partner_register_sync'))).toBe(REFUSED);
  });
});
