/**
 * What placing authorities share with our schools about the children they look after there
 * (issue 15, point 2): one current record per school and pupil (URN, UPN) and an append-only
 * history of every change (who, when, before and after), written in one transaction so there
 * is no change without its history. Reads are batched: one query for every pupil a response
 * names.
 */
import { z } from 'zod';
import { isUkPhone, isWorkEmail, isPlainText } from '../../domain/contact-details';
import { LEGAL_STATUS, lookUpCode } from '../../domain/codes/ssda903';
import { LA_CODE } from '../../domain/identifiers';
import type { Database, Queryable } from '../database';
import { parseInput } from '../errors';
import { isoSql } from '../sql';
import { principalId, upn, urn } from '../validation';
import {
  PLACED_PUPIL_SOURCES,
  type PlacedPupilChange,
  type PlacedPupilDetails,
  type PlacedPupilKey,
  type PlacedPupilRecord,
  type PlacedPupilRecordInput,
  type PlacedPupilRecordResult,
} from './types';

export type {
  PlacedPupilActor,
  PlacedPupilChange,
  PlacedPupilDetails,
  PlacedPupilKey,
  PlacedPupilRecord,
  PlacedPupilRecordInput,
  PlacedPupilRecordResult,
  PlacedPupilSource,
} from './types';

/** The limits the table's checks hold too. */
export const PLACED_PUPIL_LIMITS = {
  parentalResponsibility: 1000,
  delegatedAuthority: 2000,
  socialWorkerName: 200,
} as const;

/** A legal status on the current collection year's LS list (a new record names no historic code). */
export const isCurrentLegalStatus = (code: string): boolean =>
  lookUpCode(LEGAL_STATUS, code).status === 'CURRENT';

/** The key of a record in the maps the reads return. */
export const placedPupilKey = (key: PlacedPupilKey): string => `${key.urn}:${key.upn}`;

const plain = (max: number) => z.string().refine((value) => isPlainText(value, max));
const date = z.string().date();

const details = z
  .object({
    placingLa: z.string().regex(LA_CODE),
    legalStatus: z.string().refine(isCurrentLegalStatus),
    parentalResponsibility: plain(PLACED_PUPIL_LIMITS.parentalResponsibility),
    delegatedAuthority: plain(PLACED_PUPIL_LIMITS.delegatedAuthority).nullable(),
    socialWorkerName: plain(PLACED_PUPIL_LIMITS.socialWorkerName),
    socialWorkerEmail: z.string().refine(isWorkEmail).nullable(),
    socialWorkerPhone: z.string().refine(isUkPhone).nullable(),
    lastPepDate: date.nullable(),
    nextPepDate: date.nullable(),
    placingAuthorityConsent: z.boolean(),
    source: z.enum(PLACED_PUPIL_SOURCES),
  })
  .strict();

const recordInput = details
  .extend({
    urn,
    upn,
    actorSub: principalId,
    actorRoles: z.array(z.string().min(1).max(50)).max(20),
    requestId: z.string().min(1).max(100).nullish(),
  })
  .strict()
  .refine((input) => input.socialWorkerEmail !== null || input.socialWorkerPhone !== null, {
    message: 'a work e-mail address or telephone number',
    path: ['socialWorkerEmail'],
  })
  .refine(
    (input) =>
      input.lastPepDate === null ||
      input.nextPepDate === null ||
      input.nextPepDate > input.lastPepDate,
    { message: 'the next PEP comes after the last', path: ['nextPepDate'] },
  );

// Read back leniently: a code valid when recorded may since have left the current list.
const storedDetails = details.extend({ legalStatus: z.string() }).strict();

const keys = z.array(z.object({ urn, upn }).strict()).max(10_000);

interface RecordRow {
  urn: string;
  upn: string;
  placing_la: string;
  legal_status: string;
  parental_responsibility: string;
  delegated_authority: string | null;
  social_worker_name: string;
  social_worker_email: string | null;
  social_worker_phone: string | null;
  last_pep_date: string | null;
  next_pep_date: string | null;
  placing_authority_consent: boolean;
  source: string;
  updated_at: string;
  updated_by: string;
}

interface ChangeRow {
  id: string;
  urn: string;
  upn: string;
  changed_at: string;
  actor_sub: string;
  actor_roles: string[];
  request_id: string | null;
  before: string | null;
  after: string;
}

// Dates as text in SQL: the drivers turn `date` into different things, text they agree on.
const RECORD_COLUMNS = `urn, upn, placing_la, legal_status, parental_responsibility,
  delegated_authority, social_worker_name, social_worker_email, social_worker_phone,
  to_char(last_pep_date, 'YYYY-MM-DD') AS last_pep_date,
  to_char(next_pep_date, 'YYYY-MM-DD') AS next_pep_date,
  placing_authority_consent, source, ${isoSql('updated_at')} AS updated_at, updated_by`;

// JSON travels as text both ways: the drivers parse jsonb differently, text they agree on.
const CHANGE_COLUMNS = `id::text AS id, urn, upn, ${isoSql('changed_at')} AS changed_at,
  actor_sub, actor_roles, request_id, before::text AS before, after::text AS after`;

// One writer per pupil at a school at a time; schemas apart (tests share one server) do not meet.
const RECORD_LOCK_SQL = `SELECT pg_advisory_xact_lock(1140, hashtext(current_schema() || ':' || $1::text))`;

// Matched by (urn, upn) pairs given as two parallel arrays.
const PAIRS_SQL = `(urn, upn) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;

const DETAIL_KEYS = [
  'placingLa',
  'legalStatus',
  'parentalResponsibility',
  'delegatedAuthority',
  'socialWorkerName',
  'socialWorkerEmail',
  'socialWorkerPhone',
  'lastPepDate',
  'nextPepDate',
  'placingAuthorityConsent',
  'source',
] as const satisfies readonly (keyof PlacedPupilDetails)[];

const detailsOf = (from: PlacedPupilDetails): PlacedPupilDetails => ({
  placingLa: from.placingLa,
  legalStatus: from.legalStatus,
  parentalResponsibility: from.parentalResponsibility,
  delegatedAuthority: from.delegatedAuthority,
  socialWorkerName: from.socialWorkerName,
  socialWorkerEmail: from.socialWorkerEmail,
  socialWorkerPhone: from.socialWorkerPhone,
  lastPepDate: from.lastPepDate,
  nextPepDate: from.nextPepDate,
  placingAuthorityConsent: from.placingAuthorityConsent,
  source: from.source,
});

const sameDetails = (a: PlacedPupilDetails, b: PlacedPupilDetails): boolean =>
  DETAIL_KEYS.every((key) => a[key] === b[key]);

export class PlacedPupilStore {
  constructor(private readonly db: Database) {}

  /** The records asked for, in one query, keyed by `placedPupilKey` (absent: none recorded). */
  async byKeys(wanted: readonly PlacedPupilKey[]): Promise<Map<string, PlacedPupilRecord>> {
    const unique = uniqueKeys(parseInput(keys, wanted, 'pupils'));
    if (unique.length === 0) return new Map();
    const { rows } = await this.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM placed_pupil_information WHERE ${PAIRS_SQL}`,
      [unique.map((key) => key.urn), unique.map((key) => key.upn)],
    );
    return new Map(rows.map((row) => [placedPupilKey(row), toRecord(row)]));
  }

  /**
   * Sets a pupil's record at a school (adding it when there is none) and records the change.
   * Idempotent: a record that already stands so is returned unchanged and nothing is written.
   */
  async record(input: PlacedPupilRecordInput): Promise<PlacedPupilRecordResult> {
    const valid = parseInput(recordInput, input, 'placed pupil information');
    const wanted = detailsOf(valid);
    const key = { urn: valid.urn, upn: valid.upn };
    return this.db.transaction(async (tx) => {
      await tx.query(RECORD_LOCK_SQL, [placedPupilKey(key)]);
      const current = await recordIn(tx, key);
      if (current && sameDetails(current, wanted)) return { record: current, changed: false };
      const values = [
        valid.urn,
        valid.upn,
        wanted.placingLa,
        wanted.legalStatus,
        wanted.parentalResponsibility,
        wanted.delegatedAuthority,
        wanted.socialWorkerName,
        wanted.socialWorkerEmail,
        wanted.socialWorkerPhone,
        wanted.lastPepDate,
        wanted.nextPepDate,
        wanted.placingAuthorityConsent,
        wanted.source,
        valid.actorSub,
      ];
      const written = current
        ? await tx.query<RecordRow>(
            `UPDATE placed_pupil_information
                SET placing_la = $3, legal_status = $4, parental_responsibility = $5,
                    delegated_authority = $6, social_worker_name = $7, social_worker_email = $8,
                    social_worker_phone = $9, last_pep_date = $10::date, next_pep_date = $11::date,
                    placing_authority_consent = $12, source = $13, updated_at = now(),
                    updated_by = $14
              WHERE urn = $1 AND upn = $2
              RETURNING ${RECORD_COLUMNS}`,
            values,
          )
        : await tx.query<RecordRow>(
            `INSERT INTO placed_pupil_information
               (urn, upn, placing_la, legal_status, parental_responsibility, delegated_authority,
                social_worker_name, social_worker_email, social_worker_phone, last_pep_date,
                next_pep_date, placing_authority_consent, source, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11::date, $12, $13, $14)
             RETURNING ${RECORD_COLUMNS}`,
            values,
          );
      await tx.query(
        `INSERT INTO placed_pupil_information_change
           (urn, upn, actor_sub, actor_roles, request_id, before, after)
         VALUES ($1, $2, $3, $4::text[], $5, $6::jsonb, $7::jsonb)`,
        [
          valid.urn,
          valid.upn,
          valid.actorSub,
          valid.actorRoles,
          valid.requestId ?? null,
          current ? JSON.stringify(detailsOf(current)) : null,
          JSON.stringify(wanted),
        ],
      );
      return { record: toRecord(written.rows[0]!), changed: true };
    });
  }

  /**
   * Each pupil's changes at a school, oldest first, keyed by `placedPupilKey` (every key asked
   * for is present, [] when none).
   */
  async historyFor(wanted: readonly PlacedPupilKey[]): Promise<Map<string, PlacedPupilChange[]>> {
    const unique = uniqueKeys(parseInput(keys, wanted, 'pupils'));
    const byKey = new Map<string, PlacedPupilChange[]>(
      unique.map((key) => [placedPupilKey(key), []]),
    );
    if (unique.length === 0) return byKey;
    const { rows } = await this.db.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM placed_pupil_information_change
        WHERE ${PAIRS_SQL}
        ORDER BY urn, upn, changed_at, id`,
      [unique.map((key) => key.urn), unique.map((key) => key.upn)],
    );
    for (const row of rows) byKey.get(placedPupilKey(row))?.push(toChange(row));
    return byKey;
  }
}

function uniqueKeys(list: readonly PlacedPupilKey[]): PlacedPupilKey[] {
  const seen = new Map<string, PlacedPupilKey>();
  for (const key of list) seen.set(placedPupilKey(key), { urn: key.urn, upn: key.upn });
  return [...seen.values()];
}

async function recordIn(db: Queryable, key: PlacedPupilKey): Promise<PlacedPupilRecord | null> {
  const { rows } = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM placed_pupil_information WHERE urn = $1 AND upn = $2`,
    [key.urn, key.upn],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

function toRecord(row: RecordRow): PlacedPupilRecord {
  return {
    urn: row.urn,
    upn: row.upn,
    placingLa: row.placing_la,
    legalStatus: row.legal_status,
    parentalResponsibility: row.parental_responsibility,
    delegatedAuthority: row.delegated_authority,
    socialWorkerName: row.social_worker_name,
    socialWorkerEmail: row.social_worker_email,
    socialWorkerPhone: row.social_worker_phone,
    lastPepDate: row.last_pep_date,
    nextPepDate: row.next_pep_date,
    placingAuthorityConsent: row.placing_authority_consent,
    // The table's check admits only the known sources.
    source: row.source as PlacedPupilRecord['source'],
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toDetails(json: string): PlacedPupilDetails {
  return storedDetails.parse(JSON.parse(json));
}

function toChange(row: ChangeRow): PlacedPupilChange {
  return {
    id: row.id,
    urn: row.urn,
    upn: row.upn,
    changedAt: row.changed_at,
    actorSub: row.actor_sub,
    actorRoles: row.actor_roles,
    requestId: row.request_id,
    before: row.before === null ? null : toDetails(row.before),
    after: toDetails(row.after),
  };
}
