-- Other authorities' Designated Teacher registers, read from their CLA Graph (issue 15,
-- point 3). A partner authority's gateway serves its register as JSON with `changedSince` and
-- a strong ETag; our sync job reads it under a client-credentials token and keeps here the
-- entries for that authority's own schools, so the virtual school head's register shows a
-- designated teacher for the schools elsewhere where our children are. Work contacts of school
-- staff, never a child's data.
--
-- partner_register_entry is the current state of one school's entry as the partner last
-- served it (one row per partner and school; updated in place, never deleted: a school whose
-- designated teacher the partner removed keeps its row with the teacher columns null).
-- partner_register_sync is one row per partner: where the sync is up to and what it saw.

CREATE TABLE partner_register_entry (
  partner_la text NOT NULL CHECK (partner_la ~ '^[0-9]{3}$'),
  urn text NOT NULL CHECK (urn ~ '^[0-9]{6}$'),
  school_name text NOT NULL CHECK (length(school_name) BETWEEN 1 AND 200),
  -- The designated teacher, all null when the partner has none on record.
  dt_title text CHECK (length(dt_title) <= 50),
  dt_forename text CHECK (length(dt_forename) BETWEEN 1 AND 100),
  dt_surname text CHECK (length(dt_surname) BETWEEN 1 AND 100),
  dt_job_title text CHECK (length(dt_job_title) BETWEEN 1 AND 200),
  dt_work_email text CHECK (length(dt_work_email) BETWEEN 3 AND 254),
  dt_work_phone text CHECK (length(dt_work_phone) BETWEEN 1 AND 30),
  dt_confirmed_on date,
  CHECK ((dt_forename IS NULL) = (dt_surname IS NULL)
     AND (dt_forename IS NULL) = (dt_work_email IS NULL)
     AND (dt_forename IS NULL) = (dt_job_title IS NULL)
     AND (dt_forename IS NULL) = (dt_work_phone IS NULL)
     AND (dt_forename IS NULL) = (dt_confirmed_on IS NULL)),
  -- The entry's `updatedAt` in the partner's register, and when we fetched it.
  partner_updated_at timestamptz NOT NULL,
  fetched_at timestamptz NOT NULL,
  PRIMARY KEY (partner_la, urn)
);

CREATE INDEX partner_register_entry_by_urn ON partner_register_entry (urn);

CREATE TRIGGER partner_register_entry_no_delete
  BEFORE DELETE OR TRUNCATE ON partner_register_entry
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

CREATE TABLE partner_register_sync (
  partner_la text PRIMARY KEY CHECK (partner_la ~ '^[0-9]{3}$'),
  -- The `changedSince` the next request sends (the latest `updatedAt` held; null: full read).
  changed_since text CHECK (length(changed_since) <= 40),
  -- The ETag of the last 200 answer to exactly that request, sent as If-None-Match.
  etag text CHECK (length(etag) <= 200),
  last_attempt_at timestamptz,
  last_success_at timestamptz,
  -- 'ok' or a short code naming what failed (never a URL or a response body).
  last_outcome text CHECK (length(last_outcome) <= 50),
  requests integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
  not_modified integer NOT NULL DEFAULT 0 CHECK (not_modified >= 0),
  entries_received integer NOT NULL DEFAULT 0 CHECK (entries_received >= 0),
  bytes_received bigint NOT NULL DEFAULT 0 CHECK (bytes_received >= 0)
);

CREATE TRIGGER partner_register_sync_no_delete
  BEFORE DELETE OR TRUNCATE ON partner_register_sync
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

-- What a placing authority's CLA Graph sends us about its child on one of our schools' rolls
-- (with its consent) lands in the same record a designated teacher keeps, marked as received.
ALTER TABLE placed_pupil_information
  DROP CONSTRAINT placed_pupil_information_source_check,
  ADD CONSTRAINT placed_pupil_information_source_check
    CHECK (source IN ('RECORDED_BY_SCHOOL', 'RECEIVED_FROM_PLACING_AUTHORITY'));
