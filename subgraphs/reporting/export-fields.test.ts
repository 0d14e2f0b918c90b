/**
 * The fields a report asks of the bulk exports (export-fields.ts) are exactly those a report
 * reads. The universe of a generated world of 600 children is read as a report reads it
 * (cohort-source.ts and bulk-source.ts, down to facts.ts) for several periods, from whole
 * records that note each field read; the fields read must be the fields asked for, no more (a
 * measure would read a field the export no longer sends) and no fewer (the export would send a
 * field for nothing). Then the same readings through the real exports, cut down to those
 * fields by the systems (real simulators over HTTP), must equal the readings of whole records.
 */
import { seededWorld } from '../../system/world';
import { startTinySimulators, type TestSimulators } from '../../tests/support/subgraph-harness';
import { reportingConfigFor } from '../../tests/support/report-world';
import { topSliceYearFrom } from '../../domain/measures/pupil-premium-plus';
import { EducationClient } from '../../upstream/education/client';
import type { EdStudentRecord } from '../../upstream/education/contract';
import { FinanceClient } from '../../upstream/finance/client';
import { clientRefFor, type FinClient } from '../../upstream/finance/contract';
import { SocialCareClient } from '../../upstream/social-care/client';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import { ReportingUpstream } from './client';
import { readCohort, type CohortData, type SnapshotDates } from './cohort-source';
import {
  CHILD_FIELDS,
  CHILD_PARTS,
  FUNDING_FIELDS,
  FUNDING_PARTS,
  PUPIL_FIELDS,
  PUPIL_PARTS,
  WHO_FIELDS,
} from './export-fields';
import { childFacts } from './facts';
import { resolvePeriod } from './period';
import { snapshotOn } from './snapshot';

const AS_OF = '2026-02-10';
const world = seededWorld({ seed: 3, children: 600, asOf: AS_OF });

let simulators: TestSimulators;
let socialCare: SocialCareClient;
let education: EducationClient;
let finance: FinanceClient;
let projected: ReportingUpstream;

async function all<T>(records: AsyncGenerator<T, void, undefined>): Promise<T[]> {
  const found: T[] = [];
  for await (const record of records) found.push(record);
  return found;
}

/** Whole records (every field of the parts a report includes), read once from the systems. */
interface Whole {
  children(currentOnly: boolean, histories: boolean): ScChildRecord[];
  pupils: Map<string, EdStudentRecord>;
  funding(financialYear: string): Promise<Map<string, FinClient>>;
}
let whole: Whole;

beforeAll(async () => {
  simulators = await startTinySimulators(world);
  const config = reportingConfigFor(simulators);
  socialCare = SocialCareClient.fromConfig({ ...config.socialCare, ...config.upstream });
  education = EducationClient.fromConfig({ ...config.education, ...config.upstream });
  finance = FinanceClient.fromConfig({ ...config.finance, ...config.upstream });
  projected = ReportingUpstream.fromConfig({ ...config, bulkExport: true });
  const read = (currentOnly: boolean, histories: boolean) =>
    all(
      socialCare.exportChildren({
        include: histories ? [...CHILD_PARTS] : [],
        include_restricted: true,
        current_only: currentOnly,
      }),
    );
  const [current, everyone, currentWho, everyoneWho] = await Promise.all([
    read(true, true),
    read(false, true),
    read(true, false),
    read(false, false),
  ]);
  const pupils = await all(
    education.exportStudents(
      everyone.map((c) => c.UPN),
      PUPIL_PARTS,
    ),
  );
  const funding = new Map<string, Promise<Map<string, FinClient>>>();
  whole = {
    children: (currentOnly, histories) =>
      histories ? (currentOnly ? current : everyone) : currentOnly ? currentWho : everyoneWho,
    pupils: new Map(pupils.map((pupil) => [pupil.upn, pupil])),
    funding(financialYear) {
      if (!funding.has(financialYear)) {
        const refs = everyone.map((child) => clientRefFor(child.CHILD));
        const read = all(finance.exportClients(refs, FUNDING_PARTS, financialYear));
        funding.set(
          financialYear,
          read.then((clients) => new Map(clients.map((client) => [client.client_ref, client]))),
        );
      }
      return funding.get(financialYear)!;
    },
  };
}, 120_000);

afterAll(async () => {
  for (const client of [socialCare, education, finance, projected]) client?.close();
  await simulators?.close();
});

/** What each read of a record does to it (here: notes the fields read). */
interface Treatments {
  who(record: ScChildRecord): ScChildRecord;
  child(record: ScChildRecord): ScChildRecord;
  pupil(record: EdStudentRecord): EdStudentRecord;
  funding(record: FinClient): FinClient;
}

/** The three systems' exports as ReportingUpstream reads them, from whole records. */
function wholeUpstream(treat: Treatments): ReportingUpstream {
  const fake: Pick<
    ReportingUpstream,
    'readsExports' | 'topSlices' | 'exportChildren' | 'exportPupils' | 'exportFunding'
  > = {
    readsExports: true,
    topSlices: async (financialYear) => topSliceYearFrom(await finance.topSlices(financialYear)),
    async *exportChildren(currentOnly, histories) {
      for (const record of whole.children(currentOnly, histories)) {
        yield histories ? treat.child(record) : treat.who(record);
      }
    },
    async *exportPupils(upns) {
      for (const upn of upns) {
        const pupil = whole.pupils.get(upn);
        if (pupil) yield treat.pupil(pupil);
      }
    },
    async *exportFunding(refs, financialYear) {
      const clients = await whole.funding(financialYear);
      for (const ref of refs) {
        const client = clients.get(ref);
        if (client) yield treat.funding(client);
      }
    },
  };
  return fake as ReportingUpstream;
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * `record`, noting in `read` each field read that the record holds ("DOB", "episodes.DECOM"):
 * a part's items are noted a level down, and no deeper (the exports' `fields` go two levels).
 */
function noting<T extends object>(record: T, read: Set<string>, prefix = ''): T {
  const parts = new Map<string, unknown>();
  return new Proxy(record, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      // `then`: an async generator asks whether what it yields is a promise.
      if (typeof name !== 'string' || name === 'then' || !(name in target)) return value;
      read.add(`${prefix}${name}`);
      if (prefix !== '' || !isObject(value)) return value;
      if (!parts.has(name)) {
        const down = `${name}.`;
        parts.set(
          name,
          Array.isArray(value)
            ? value.map((item: unknown) => (isObject(item) ? noting(item, read, down) : item))
            : noting(value, read, down),
        );
      }
      return parts.get(name);
    },
  });
}

/** Reports' readings: this year to date, a past year, its outcome cohort, and a snapshot. */
async function readings(upstream: ReportingUpstream): Promise<CohortData[]> {
  const year = { academicYear: '2025/26', basis: 'LOOKED_AFTER_AT_DATE' as const };
  const past = { ...year, academicYear: '2024/25' };
  const outcome = { ...past, basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' as const };
  const snapshot = snapshotOn(AS_OF);
  const dates: SnapshotDates = {
    pepDate: snapshot.termDate,
    previous: {
      period: resolvePeriod(year, snapshot.previous),
      pepDate: snapshot.previousTermDate,
    },
  };
  const la = world.la.code;
  return [
    await readCohort(upstream, resolvePeriod(year, AS_OF), la, AS_OF),
    await readCohort(upstream, resolvePeriod(past, AS_OF), la, AS_OF),
    await readCohort(upstream, resolvePeriod(outcome, AS_OF), la, AS_OF),
    await readCohort(upstream, resolvePeriod(year, snapshot.date), la, AS_OF, dates),
  ];
}

describe('the fields a report asks of the bulk exports', () => {
  it('are exactly the fields a report reads', async () => {
    const read = {
      who: new Set<string>(),
      child: new Set<string>(),
      pupil: new Set<string>(),
      funding: new Set<string>(),
    };
    const cohorts = await readings(
      wholeUpstream({
        who: (record) => noting(record, read.who),
        child: (record) => noting(record, read.child),
        pupil: (record) => noting(record, read.pupil),
        funding: (record) => noting(record, read.funding),
      }),
    );
    expect(cohorts.every((cohort) => cohort.records.length > 300)).toBe(true);

    const on = resolvePeriod({ academicYear: '2025/26' }, AS_OF);
    const available = {
      SOCIAL_CARE: true,
      EDUCATION: true,
      ATTENDANCE: true,
      EXCLUSIONS: true,
      FINANCE: true,
    };
    // Branches the generated world does not reach. A pupil on roll with no year group by the
    // calendar (past Year 13 here) is placed by the enrolment's own year group:
    const current = whole.children(true, true);
    const onRoll = current.find((child) =>
      whole.pupils.get(child.UPN)?.enrolments?.some((e) => e.leaving_date === null),
    )!;
    const past13 = childFacts(
      noting({ ...onRoll, DOB: '2007-01-01' }, read.child),
      noting(whole.pupils.get(onRoll.UPN)!, read.pupil),
      null,
      { period: on, homeLa: world.la.code, available, topSlices: null },
    );
    expect(past13?.peerKey).toMatch(/\|\d+$/);
    // An open commitment (approved PP+ not yet paid) takes off unspent:
    const funding = await whole.funding('2025-26');
    const funded = current.find(
      (child) => (funding.get(clientRefFor(child.CHILD))?.allocations ?? []).length > 0,
    )!;
    const client = funding.get(clientRefFor(funded.CHILD))!;
    const committed: FinClient = {
      ...client,
      commitments: [
        {
          commitment_id: 'CM1',
          commitment_ref: 'R1',
          client_ref: client.client_ref,
          fy: '2025-26',
          amount_pence: 10_000,
          paid_pence: 2_500,
          pep_target_id: null,
          urn: null,
          status: 'OPEN',
          created_on: AS_OF,
        },
      ],
    };
    const topSlices = topSliceYearFrom(await finance.topSlices('2025-26'));
    const withCommitment = childFacts(funded, null, noting(committed, read.funding), {
      period: on,
      homeLa: world.la.code,
      available,
      topSlices,
    });
    expect(withCommitment).not.toBeNull();

    // A part's own name is read on the way to its items' fields.
    const fields = (names: Set<string>, parts: readonly string[]) =>
      [...names].filter((name) => !parts.includes(name)).sort();
    // Each record's key is sent whatever `fields` says.
    expect(fields(read.who, [])).toEqual(['CHILD', ...WHO_FIELDS].sort());
    expect(fields(read.child, CHILD_PARTS)).toEqual(['CHILD', ...CHILD_FIELDS].sort());
    expect(fields(read.pupil, PUPIL_PARTS)).toEqual(['upn', ...PUPIL_FIELDS].sort());
    expect(fields(read.funding, FUNDING_PARTS)).toEqual(['client_ref', ...FUNDING_FIELDS].sort());
  });

  it('read through the real exports, make the same cohorts as whole records', async () => {
    const as = <T>(record: T) => record;
    const full = await readings(wholeUpstream({ who: as, child: as, pupil: as, funding: as }));
    expect(await readings(projected)).toEqual(full);
  });

  it('make a child’s record a fraction of its whole size', async () => {
    const size = (records: readonly object[]) => JSON.stringify(records).length;
    const cut = await all(projected.exportChildren(false, true));
    expect(cut).toHaveLength(whole.children(false, true).length);
    expect(size(cut)).toBeLessThan(size(whole.children(false, true)) / 5);
  });
});
