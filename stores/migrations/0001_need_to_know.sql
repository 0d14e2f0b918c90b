-- Need-to-know (NTK) grants: which school staff a child agreed may know they are looked
-- after, recorded by the designated teacher of the child's school.
--
-- need_to_know_grant is the current state: a grant is made once and revoked at most once
-- (never deleted, never edited otherwise). need_to_know_event is its append-only history.

-- Refuses the statement it fires for. Used by every append-only table.
CREATE FUNCTION cla_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % refused: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TABLE need_to_know_grant (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id text NOT NULL,
  staff_id text NOT NULL,
  urn text NOT NULL,
  granted_by text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  reason text NOT NULL,
  revoked_at timestamptz,
  revoked_by text,
  revoke_reason text,
  -- A revocation records when, who and why, or nothing.
  CONSTRAINT need_to_know_grant_revocation_complete CHECK (
    (revoked_at IS NULL AND revoked_by IS NULL AND revoke_reason IS NULL)
    OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL AND revoke_reason IS NOT NULL)
  )
);

-- At most one active grant per child and member of staff. Two concurrent grants for the
-- same pair meet here; the store inserts with ON CONFLICT against this index.
CREATE UNIQUE INDEX need_to_know_grant_one_active
  ON need_to_know_grant (child_id, staff_id)
  WHERE revoked_at IS NULL;

-- "Which children may this teacher know about?" runs on every request a teacher makes.
CREATE INDEX need_to_know_grant_active_by_staff
  ON need_to_know_grant (staff_id, child_id)
  WHERE revoked_at IS NULL;

-- The only update a grant allows is its one revocation: the history in the event table
-- must stay true of the grant it points at.
CREATE FUNCTION need_to_know_grant_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL
     OR NEW.revoked_at IS NULL
     OR (NEW.id, NEW.child_id, NEW.staff_id, NEW.urn, NEW.granted_by, NEW.granted_at, NEW.reason)
        IS DISTINCT FROM
        (OLD.id, OLD.child_id, OLD.staff_id, OLD.urn, OLD.granted_by, OLD.granted_at, OLD.reason)
  THEN
    RAISE EXCEPTION 'need_to_know_grant: only revoking an active grant is allowed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER need_to_know_grant_guard
  BEFORE UPDATE ON need_to_know_grant
  FOR EACH ROW EXECUTE FUNCTION need_to_know_grant_guard();

-- Grants are never deleted (revoke instead). The foreign key from the event table also
-- stops the delete of any grant with history; this covers the rest and TRUNCATE.
CREATE TRIGGER need_to_know_grant_no_delete
  BEFORE DELETE OR TRUNCATE ON need_to_know_grant
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

CREATE TABLE need_to_know_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  grant_id uuid NOT NULL REFERENCES need_to_know_grant (id),
  child_id text NOT NULL,
  staff_id text NOT NULL,
  urn text NOT NULL,
  action text NOT NULL CHECK (action IN ('GRANT', 'REVOKE')),
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  reason text NOT NULL
);

CREATE INDEX need_to_know_event_by_child ON need_to_know_event (child_id, at, id);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER need_to_know_event_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON need_to_know_event
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
