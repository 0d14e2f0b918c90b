-- What the placing authority shares with a school about a child it looks after who is on the
-- school's roll (issue 15, point 2): another authority's child (COLA), known here by UPN only,
-- since our social care system has no record of them. Per school (URN) and pupil (UPN): the
-- child's legal status (an SSDA903 LS code), who holds parental responsibility and what is
-- delegated, the social worker's name and work contact, the last and next PEP dates, and
-- whether the placing authority consented to share it and how it reached us. The school's
-- designated teacher records it; nobody else here reads it.
--
-- placed_pupil_information is the current record: one per (urn, upn), never deleted, its keys
-- never changed (the service role may update only the other columns).
-- placed_pupil_information_change is its append-only history: who, when, before and after.

CREATE TABLE placed_pupil_information (
  urn text NOT NULL CHECK (urn ~ '^[0-9]{6}$'),
  upn text NOT NULL CHECK (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$'),
  -- The placing authority's 3-digit code, as the education system gave it when recorded.
  placing_la text NOT NULL CHECK (placing_la ~ '^[0-9]{3}$'),
  legal_status text NOT NULL CHECK (legal_status ~ '^[A-Z][0-9A-Z]{1,3}$'),
  parental_responsibility text NOT NULL CHECK (length(parental_responsibility) BETWEEN 1 AND 1000),
  delegated_authority text CHECK (length(delegated_authority) BETWEEN 1 AND 2000),
  social_worker_name text NOT NULL CHECK (length(social_worker_name) BETWEEN 1 AND 200),
  social_worker_email text CHECK (length(social_worker_email) BETWEEN 3 AND 254),
  social_worker_phone text CHECK (length(social_worker_phone) BETWEEN 1 AND 30),
  last_pep_date date,
  next_pep_date date,
  placing_authority_consent boolean NOT NULL,
  -- How it reached us. Issue 15 point 3 adds 'RECEIVED_FROM_PLACING_AUTHORITY'.
  source text NOT NULL CHECK (source IN ('RECORDED_BY_SCHOOL')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  PRIMARY KEY (urn, upn),
  CONSTRAINT placed_pupil_information_contact
    CHECK (social_worker_email IS NOT NULL OR social_worker_phone IS NOT NULL),
  CONSTRAINT placed_pupil_information_pep_order
    CHECK (last_pep_date IS NULL OR next_pep_date IS NULL OR next_pep_date > last_pep_date)
);

CREATE INDEX placed_pupil_information_by_upn ON placed_pupil_information (upn);

CREATE TRIGGER placed_pupil_information_no_delete
  BEFORE DELETE OR TRUNCATE ON placed_pupil_information
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

CREATE TABLE placed_pupil_information_change (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  urn text NOT NULL,
  upn text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- Who: the token's sub and roles, and the gateway's request id.
  actor_sub text NOT NULL,
  actor_roles text[] NOT NULL DEFAULT '{}',
  request_id text,
  -- The record before (null when there was none) and after, as JSON objects.
  before jsonb,
  after jsonb NOT NULL,
  FOREIGN KEY (urn, upn) REFERENCES placed_pupil_information (urn, upn)
);

CREATE INDEX placed_pupil_information_change_by_pupil
  ON placed_pupil_information_change (urn, upn, changed_at, id);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER placed_pupil_information_change_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON placed_pupil_information_change
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
