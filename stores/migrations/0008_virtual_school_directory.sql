-- The directory of local authorities' Virtual Schools (issue 15): for each authority, by its
-- 3-digit DfE code, the Virtual School head's name, the team's inbox and phone, where that
-- came from and when it last changed. Reference data the virtual school head keeps, so a
-- designated teacher sees whom to call for every looked-after pupil on roll, whichever
-- authority placed them. Work contacts of a team, never a child's data.
--
-- virtual_school_contact is the current entry: one per authority, never deleted, its code
-- never changed (the service role may update only the contact columns).
-- virtual_school_contact_change is its append-only history: who, when, before and after.

CREATE TABLE virtual_school_contact (
  la_code text PRIMARY KEY CHECK (la_code ~ '^[0-9]{3}$'),
  head_name text NOT NULL CHECK (length(head_name) BETWEEN 1 AND 200),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  phone text NOT NULL CHECK (length(phone) BETWEEN 1 AND 30),
  -- Where the entry came from (e.g. "Confirmed by phone with the Virtual School, 3 Feb 2026").
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

CREATE TRIGGER virtual_school_contact_no_delete
  BEFORE DELETE OR TRUNCATE ON virtual_school_contact
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

CREATE TABLE virtual_school_contact_change (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  la_code text NOT NULL REFERENCES virtual_school_contact (la_code),
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- Who: the token's sub and roles, and the gateway's request id (null for the seed).
  actor_sub text NOT NULL,
  actor_roles text[] NOT NULL DEFAULT '{}',
  request_id text,
  -- The entry before (null when the authority had none) and after, as JSON objects.
  before jsonb,
  after jsonb NOT NULL
);

CREATE INDEX virtual_school_contact_change_by_la
  ON virtual_school_contact_change (la_code, changed_at, id);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER virtual_school_contact_change_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON virtual_school_contact_change
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
