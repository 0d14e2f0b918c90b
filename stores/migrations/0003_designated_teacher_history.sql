-- The designated teacher register's change history: who changed which school's entry, when,
-- and the entry before and after. The entry itself lives in the LA's education system, which
-- owns it and keeps no history; CLA Graph writes it back there and keeps the history here.
-- Staff work contacts only, never a child's data. Append-only, enforced by the database.

CREATE TABLE designated_teacher_change (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  urn text NOT NULL CHECK (urn ~ '^[0-9]{6}$'),
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- Who: the token's sub (directory id) and roles, and the gateway's request id.
  actor_sub text NOT NULL,
  actor_roles text[] NOT NULL DEFAULT '{}',
  request_id text,
  -- What: the details changed, the entry was confirmed, or both (never neither).
  details_changed boolean NOT NULL,
  confirmed boolean NOT NULL,
  -- The entry before (null when the school had none) and after, as JSON objects.
  old_entry jsonb,
  new_entry jsonb NOT NULL,
  CONSTRAINT designated_teacher_change_something CHECK (details_changed OR confirmed)
);

CREATE INDEX designated_teacher_change_by_urn
  ON designated_teacher_change (urn, changed_at, id);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER designated_teacher_change_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON designated_teacher_change
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
