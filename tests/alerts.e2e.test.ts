/**
 * Alerts end to end (issue 13): a change made in a council system (through its API, as a
 * school's MIS or a case worker would) is read from its change feed by the pipeline, stored
 * once in CLA Graph's outbox, routed by the access policy, and read through the gateway by
 * the people it is for, or delivered to their webhook, signed.
 */
import { createAlertPipeline } from '../events/pipeline';
import { loadAlertSettings } from '../events/config';
import { loadWebhookConfig } from '../events/webhooks/config';
import {
  IDEMPOTENCY_KEY_HEADER,
  SIGNATURE_HEADER,
  signPayload,
  verifySignature,
} from '../events/webhooks/signature';
import { loadScopeConfig } from '../lib/authz/subgraph-security';
import type { RunningSystem } from '../system/start-system';
import { EducationClient } from '../upstream/education/client';
import { SocialCareClient } from '../upstream/social-care/client';
import {
  alertChildren,
  alertsOf,
  startReceiver,
  tokenAs,
  type AlertChild,
} from './support/alert-world';
import { graphql, startTestSystem, TEST_AS_OF } from './support/system';

let system: RunningSystem;
let education: EducationClient;
let socialCare: SocialCareClient;
let children: AlertChild[];

const settings = { timeoutMs: 5_000, deadlineMs: 10_000, retries: 0 };

beforeAll(async () => {
  system = await startTestSystem();
  education = EducationClient.fromConfig({
    baseUrl: system.urls.simulators.education,
    apiKey: system.simulatorKeys.education,
    ...settings,
  });
  socialCare = SocialCareClient.fromConfig({
    baseUrl: system.urls.simulators.socialCare,
    apiKey: system.simulatorKeys.socialCare,
    ...settings,
  });
  children = alertChildren(system);
  expect(children.length).toBeGreaterThan(10);
});

afterAll(async () => {
  education?.close();
  socialCare?.close();
  await system?.close();
});

const people = (system: RunningSystem, pupil: AlertChild) => ({
  socialWorker: tokenAs(system, { sub: pupil.child.SW_ID!, roles: ['social-worker'] }),
  officer: tokenAs(system, {
    sub: pupil.child.VS_CASEWORKER_ID!,
    roles: ['virtual-school-officer'],
  }),
  designatedTeacher: tokenAs(system, {
    sub: 'ST-DT-TEST',
    roles: ['designated-teacher'],
    urns: [pupil.urn],
  }),
  otherSchoolsDt: tokenAs(system, {
    sub: 'ST-DT-OTHER',
    roles: ['designated-teacher'],
    urns: [otherUrn(pupil.urn)],
  }),
  teacher: tokenAs(system, { sub: 'ST-T-TEST', roles: ['teacher'], urns: [pupil.urn] }),
  head: system.tokenFor('vsh'),
});

function otherUrn(urn: string): string {
  const other = system.world.education.designatedTeachers.find((dt) => dt.urn !== urn);
  return other!.urn;
}

const aboutChild = <T extends { child: { id: string } | null; type: string }>(
  alerts: T[],
  id: string,
  type: string,
) => alerts.filter((alert) => alert.child?.id === id && alert.type === type);

describe('an unauthorised absence marked at 09:30', () => {
  it('is an alert for the social worker, the officer, the head and the school’s DT after one poll; not for a teacher or another school', async () => {
    const pupil = children[0]!;
    await education.recordSessionMark(pupil.student.upn, {
      date: TEST_AS_OF,
      session: 'AM',
      code: 'O',
      urn: pupil.urn,
    });
    const polled = await system.alerts.worker.pollOnce();
    expect(polled.education?.events).toBeGreaterThanOrEqual(1);

    const who = people(system, pupil);
    for (const token of [who.socialWorker, who.officer, who.head, who.designatedTeacher]) {
      const { alerts, errors } = await alertsOf(system, await token);
      expect(errors).toEqual([]);
      const [alert, ...more] = aboutChild(alerts, pupil.child.CHILD, 'ABSENT_TODAY');
      expect(more).toEqual([]);
      expect(alert).toMatchObject({ category: 'EDU', school: { urn: pupil.urn } });
      expect(alert!.facts).toEqual(
        expect.arrayContaining([
          { name: 'date', value: TEST_AS_OF },
          { name: 'session', value: 'AM' },
          { name: 'code', value: 'O' },
        ]),
      );
    }
    const other = await alertsOf(system, await who.otherSchoolsDt);
    expect(aboutChild(other.alerts, pupil.child.CHILD, 'ABSENT_TODAY')).toEqual([]);
    const teacher = await alertsOf(system, await who.teacher);
    expect(teacher.alerts).toEqual([]);
    expect(teacher.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('polling again (or a second worker) stores nothing twice', async () => {
    const again = await system.alerts.worker.pollOnce();
    expect(again.education?.events ?? 0).toBe(0);
    const { alerts } = await alertsOf(system, await system.tokenFor('vsh'), {
      types: ['ABSENT_TODAY'],
    });
    const ids = alerts.map((alert) => alert.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('a suspension', () => {
  it('reaches the designated teacher of the child’s school, and never a teacher, even one on the need-to-know list', async () => {
    const pupil = children[1]!;
    await education.recordExclusion(pupil.student.upn, {
      category: 'FIXED',
      status: 'MADE',
      urn: pupil.urn,
      start_date: TEST_AS_OF,
      sessions: 4,
      reasons: ['PP'],
    });
    await system.alerts.worker.pollOnce();
    const who = people(system, pupil);
    const dt = await alertsOf(system, await who.designatedTeacher, { types: ['SUSPENSION'] });
    expect(aboutChild(dt.alerts, pupil.child.CHILD, 'SUSPENSION')).toHaveLength(1);

    const ntkTeacher = system.world.needToKnow.find((grant) => grant.childId === pupil.child.CHILD);
    const teacherToken = ntkTeacher
      ? await tokenAs(system, {
          sub: ntkTeacher.staffId,
          roles: ['teacher'],
          urns: [ntkTeacher.urn],
        })
      : await who.teacher;
    const teacher = await alertsOf(system, teacherToken);
    expect(teacher.alerts).toEqual([]);
    expect(teacher.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a placement move', () => {
  it('tells the DT the placement type and that it is out of area, never the carer or the address', async () => {
    const pupil = children[2]!;
    await socialCare.movePlacement(pupil.child.CHILD, {
      DECOM: TEST_AS_OF,
      PLACE: 'U1',
      PLACE_PROVIDER: 'PR1',
      PL_LA: '359',
      REASON_PLACE_CHANGE: 'CARPL',
    });
    await system.alerts.worker.pollOnce();
    const dt = await alertsOf(system, await people(system, pupil).designatedTeacher, {
      types: ['PLACEMENT_MOVE'],
    });
    const [alert] = aboutChild(dt.alerts, pupil.child.CHILD, 'PLACEMENT_MOVE');
    expect(alert).toBeDefined();
    expect(alert!.facts).toEqual(
      expect.arrayContaining([{ name: 'placedOutOfArea', value: 'true' }]),
    );
    const placement = system.world.socialCare.placements.filter(
      (p) => p.CHILD === pupil.child.CHILD,
    );
    const text = JSON.stringify(alert);
    for (const p of placement) {
      for (const secret of [p.POSTCODE, p.ADDRESS_LINE1, p.CARER_NAME])
        expect(text).not.toContain(secret);
    }
  });
});

describe('acknowledging', () => {
  it('records who and when, once; an alert the caller cannot see is NOT_FOUND', async () => {
    const pupil = children[0]!;
    const who = people(system, pupil);
    const sw = await who.socialWorker;
    const { alerts } = await alertsOf(system, sw, { childId: pupil.child.CHILD });
    const id = alerts[0]!.id;
    const ack = /* GraphQL */ `
      mutation Ack($id: ID!) {
        acknowledgeAlert(id: $id) {
          id
          acknowledgement {
            by
            at
          }
        }
      }
    `;
    const first = await graphql<{
      acknowledgeAlert: { acknowledgement: { by: string; at: string } };
    }>(system.urls.gateway, sw, ack, { id });
    expect(first.errors).toBeUndefined();
    expect(first.data?.acknowledgeAlert.acknowledgement.by).toBe(pupil.child.SW_ID);
    const second = await graphql<{
      acknowledgeAlert: { acknowledgement: { by: string; at: string } };
    }>(system.urls.gateway, sw, ack, { id });
    expect(second.data?.acknowledgeAlert.acknowledgement).toEqual(
      first.data?.acknowledgeAlert.acknowledgement,
    );
    const unacknowledged = await alertsOf(system, sw, {
      childId: pupil.child.CHILD,
      acknowledged: false,
    });
    expect(unacknowledged.alerts.map((a) => a.id)).not.toContain(id);

    const stranger = await tokenAs(system, { sub: 'SW-NOBODY', roles: ['social-worker'] });
    const refused = await graphql(system.urls.gateway, stranger, ack, { id });
    const missing = await graphql(system.urls.gateway, stranger, ack, { id: 'evt_999999999' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(refused.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
  });

  it('bad filters are named and nothing runs', async () => {
    const { errors } = await alertsOf(system, await system.tokenFor('vsh'), {
      childId: 'x',
      since: 'yesterday',
    });
    expect(errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors[0]?.message).toContain('filter.childId');
    expect(errors[0]?.message).toContain('filter.since');
  });
});

describe('the digest', () => {
  it('counts the caller’s alerts by type since a time', async () => {
    const sw = await people(system, children[0]!).socialWorker;
    const result = await graphql<{
      alertDigest: {
        total: number;
        unacknowledged: number;
        byType: { type: string; count: number }[];
      };
    }>(
      system.urls.gateway,
      sw,
      /* GraphQL */ `
        {
          alertDigest {
            total
            unacknowledged
            byType {
              type
              count
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    const { alerts } = await alertsOf(system, sw);
    expect(result.data?.alertDigest.total).toBe(alerts.length);
    expect(result.data?.alertDigest.byType.reduce((sum, t) => sum + t.count, 0)).toBe(
      alerts.length,
    );
    expect(result.data?.alertDigest.unacknowledged).toBe(
      alerts.filter((a) => a.acknowledgement === null).length,
    );
  });
});

describe('webhooks', () => {
  it('a receiver down, then up, gets every event once per key, in order, signed', async () => {
    const pupil = children[3]!;
    const receiver = await startReceiver();
    try {
      const sw = await people(system, pupil).socialWorker;
      const registered = await graphql<{
        registerWebhook: { subscription: { id: string }; secret: string };
      }>(
        system.urls.gateway,
        sw,
        /* GraphQL */ `
          mutation Register($input: RegisterWebhookInput!) {
            registerWebhook(input: $input) {
              subscription {
                id
              }
              secret
            }
          }
        `,
        { input: { url: receiver.url, description: 'case system' } },
      );
      expect(registered.errors).toBeUndefined();
      const secret = registered.data!.registerWebhook.secret;

      receiver.setStatus(503);
      const made: string[] = [];
      for (const session of ['AM', 'PM'] as const) {
        await education.recordSessionMark(pupil.student.upn, {
          date: TEST_AS_OF,
          session,
          code: 'G',
          urn: pupil.urn,
        });
        made.push(session);
      }
      await education.recordExclusion(pupil.student.upn, {
        category: 'FIXED',
        status: 'MADE',
        urn: pupil.urn,
        start_date: TEST_AS_OF,
        sessions: 2,
        reasons: ['VA'],
      });
      await system.alerts.worker.pollOnce();

      // Down for an hour: every attempt fails and is retried later.
      let now = Date.now();
      for (let minute = 0; minute < 60; minute += 5) {
        await system.alerts.dispatcher.runOnce(new Date(now + minute * 60_000));
      }
      expect(receiver.receipts).toEqual([]);
      receiver.setStatus(200);
      now += 2 * 3_600_000;
      for (let round = 0; round < 10; round++) {
        await system.alerts.dispatcher.runOnce(new Date(now + round * 600_000));
      }

      const bodies = receiver.receipts.map(
        (r) => JSON.parse(r.body) as { id: string; type: string; child: { id: string } },
      );
      const mine = bodies.filter((b) => b.child?.id === pupil.child.CHILD);
      expect(mine.map((b) => b.type)).toEqual(['ABSENT_TODAY', 'ABSENT_TODAY', 'SUSPENSION']);
      // In the outbox's order, each key once (a receiver deduplicates by it in any case).
      const keys = receiver.receipts.map(
        (r) => r.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()] as string,
      );
      expect(new Set(keys).size).toBe(keys.length);
      const seqs = keys.map((key) => Number(key.replace('evt_', '')));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      for (const receipt of receiver.receipts) {
        expect(JSON.parse(receipt.body).id).toBe(
          receipt.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()],
        );
      }

      // Every delivery verifies with the secret shown at registration; a forged or replayed one does not.
      const receipt = receiver.receipts[0]!;
      const header = receipt.headers[SIGNATURE_HEADER.toLowerCase()] as string;
      const at = Number(/t=(\d+)/.exec(header)![1]);
      expect(
        verifySignature({ secret, body: receipt.body, header, now: new Date(at * 1000) }).ok,
      ).toBe(true);
      expect(
        verifySignature({
          secret,
          body: receipt.body.replace('"', ' "'),
          header,
          now: new Date(at * 1000),
        }),
      ).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
      expect(
        verifySignature({
          secret: 'not-the-secret-at-all',
          body: receipt.body,
          header,
          now: new Date(at * 1000),
        }),
      ).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
      expect(
        verifySignature({ secret, body: receipt.body, header, now: new Date((at + 3_600) * 1000) }),
      ).toEqual({ ok: false, reason: 'EXPIRED' });
      // A forger without the secret signs with something else: refused.
      const forged = signPayload('a-guess-at-the-secret-0000', receipt.body, at);
      expect(
        verifySignature({ secret, body: receipt.body, header: forged, now: new Date(at * 1000) })
          .ok,
      ).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});

describe('the daily digest webhook', () => {
  it('after the morning sweep, a subscriber who asked for digests gets one DAILY_DIGEST counting their alerts, once', async () => {
    const pupil = children[10]!;
    const receiver = await startReceiver();
    try {
      const officer = await people(system, pupil).officer;
      const registered = await graphql<{ registerWebhook: { secret: string } }>(
        system.urls.gateway,
        officer,
        /* GraphQL */ `
          mutation Register($input: RegisterWebhookInput!) {
            registerWebhook(input: $input) {
              secret
            }
          }
        `,
        { input: { url: receiver.url, types: ['PEP_OVERDUE'], digest: true } },
      );
      expect(registered.errors).toBeUndefined();
      const morning = new Date(`${TEST_AS_OF}T07:00:00Z`);
      expect(await system.alerts.worker.sweepIfDue(morning)).toBeGreaterThan(0);
      // Swept once a day: a second call (a restart, the next poll) sweeps nothing.
      expect(await system.alerts.worker.sweepIfDue(morning)).toBeNull();
      const now = Date.now();
      for (let round = 0; round < 5; round++) {
        await system.alerts.dispatcher.runOnce(new Date(now + round * 1_000));
      }
      const bodies = receiver.receipts.map(
        (r) =>
          JSON.parse(r.body) as { type: string; total?: number; byType?: Record<string, number> },
      );
      const digests = bodies.filter((b) => b.type === 'DAILY_DIGEST');
      expect(digests).toHaveLength(1);
      // The events before the subscription are not delivered one by one, but the digest counts
      // what the officer heard of in the last day, as `alertDigest` does.
      const { alerts } = await alertsOf(system, officer, { types: ['PEP_OVERDUE'] });
      expect(digests[0]!.total).toBe(alerts.length);
      expect(digests[0]!.byType).toEqual(alerts.length > 0 ? { PEP_OVERDUE: alerts.length } : {});
      expect(alerts.length).toBeGreaterThan(0);
    } finally {
      await receiver.close();
    }
  });
});

describe('a poller stopped mid-batch', () => {
  it('stores nothing twice and loses nothing when it comes back', async () => {
    const pupils = children.slice(4, 9);
    for (const pupil of pupils) {
      await education.recordExclusion(pupil.student.upn, {
        category: 'FIXED',
        status: 'MADE',
        urn: pupil.urn,
        start_date: TEST_AS_OF,
        sessions: 1,
        reasons: ['DA'],
      });
    }
    const env = {
      NODE_ENV: 'development',
      LA_CODE: system.world.la.code,
      SOCIAL_CARE_URL: system.urls.simulators.socialCare,
      SOCIAL_CARE_API_KEY: system.simulatorKeys.socialCare,
      EDUCATION_URL: system.urls.simulators.education,
      EDUCATION_API_KEY: system.simulatorKeys.education,
      ALERT_FEED_PAGE_SIZE: '2',
    };
    const config = {
      alerts: loadAlertSettings(env),
      webhooks: loadWebhookConfig(env),
      upstream: loadScopeConfig(env),
      asOf: TEST_AS_OF,
    };
    // The first worker dies after its second page is worked out, before it is stored.
    let pages = 0;
    const crashing = createAlertPipeline(config, system.stores, {
      beforeStore: (feed) => {
        if (feed === 'education' && ++pages === 2) throw new Error('killed');
      },
    });
    const crashed = await crashing.worker.pollOnce();
    expect(crashed.education).toBeNull();
    await crashing.stop();

    const restarted = createAlertPipeline(config, system.stores);
    await restarted.worker.pollOnce();
    await restarted.worker.pollOnce();
    await restarted.stop();

    const head = await system.tokenFor('vsh');
    for (const pupil of pupils) {
      const { alerts } = await alertsOf(system, head, {
        childId: pupil.child.CHILD,
        types: ['SUSPENSION'],
      });
      expect(alerts).toHaveLength(1);
    }
  });
});
