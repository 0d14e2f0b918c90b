-- Need-to-know grants for other authorities' pupils on our schools' rolls (issue 15, point 2).
-- Our social care system has no record of them, so they have no child id here: their grants
-- (and the events of those grants) name the pupil by UPN instead. Every grant and event names
-- exactly one of the two. Our own children keep being named by child id only (the graph takes
-- a UPN only for a pupil another authority looks after), so a child has one list.

ALTER TABLE need_to_know_grant ALTER COLUMN child_id DROP NOT NULL;
ALTER TABLE need_to_know_grant
  ADD COLUMN upn text CONSTRAINT need_to_know_grant_upn_format
    CHECK (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$');
ALTER TABLE need_to_know_grant
  ADD CONSTRAINT need_to_know_grant_one_subject CHECK ((child_id IS NULL) <> (upn IS NULL));

-- At most one active grant per pupil and member of staff, as need_to_know_grant_one_active is
-- for children (a null child id or UPN never conflicts). The store inserts with ON CONFLICT
-- against this index.
CREATE UNIQUE INDEX need_to_know_grant_one_active_by_upn
  ON need_to_know_grant (upn, staff_id)
  WHERE revoked_at IS NULL;

-- "Which pupils may this teacher know about?", beside the children's index.
CREATE INDEX need_to_know_grant_active_upn_by_staff
  ON need_to_know_grant (staff_id, upn)
  WHERE revoked_at IS NULL AND upn IS NOT NULL;

-- The guard of 0001, now also keeping the UPN: still only one revocation of an active grant.
CREATE OR REPLACE FUNCTION need_to_know_grant_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL
     OR NEW.revoked_at IS NULL
     OR (NEW.id, NEW.child_id, NEW.upn, NEW.staff_id, NEW.urn, NEW.granted_by, NEW.granted_at,
         NEW.reason)
        IS DISTINCT FROM
        (OLD.id, OLD.child_id, OLD.upn, OLD.staff_id, OLD.urn, OLD.granted_by, OLD.granted_at,
         OLD.reason)
  THEN
    RAISE EXCEPTION 'need_to_know_grant: only revoking an active grant is allowed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

-- The history names the pupil as its grant does.
ALTER TABLE need_to_know_event ALTER COLUMN child_id DROP NOT NULL;
ALTER TABLE need_to_know_event
  ADD COLUMN upn text CONSTRAINT need_to_know_event_upn_format
    CHECK (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$');
ALTER TABLE need_to_know_event
  ADD CONSTRAINT need_to_know_event_one_subject CHECK ((child_id IS NULL) <> (upn IS NULL));

CREATE INDEX need_to_know_event_by_upn ON need_to_know_event (upn, at, id)
  WHERE upn IS NOT NULL;
