-- The PEP workflow's change history (issue 14): who changed which child's PEP, when, how, and
-- the PEP before and after. The PEP itself lives in the social care case system, which owns
-- it; CLA Graph writes it back there and keeps the history here, as for the designated
-- teacher register. Append-only, enforced by the database.

CREATE TABLE pep_change (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The case system's ids (a PEP belongs to one child for ever).
  pep_id text NOT NULL CHECK (pep_id ~ '^[A-Za-z0-9-]{1,40}$'),
  child_id text NOT NULL CHECK (child_id ~ '^[0-9]{7}$'),
  action text NOT NULL CHECK (
    action IN ('CREATE_DRAFT', 'UPDATE_DRAFT', 'REVIEW_TARGETS', 'COMPLETE', 'QUALITY_ASSURE')
  ),
  -- Who: the token's sub (directory id) and roles, and the gateway's request id.
  actor_sub text NOT NULL,
  actor_roles text[] NOT NULL DEFAULT '{}',
  request_id text,
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- The PEP as the case system held it before (null for a new draft) and after, as JSON.
  old_pep jsonb,
  new_pep jsonb NOT NULL
);

CREATE INDEX pep_change_by_pep ON pep_change (pep_id, changed_at, id);
CREATE INDEX pep_change_by_child ON pep_change (child_id, changed_at, id);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER pep_change_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON pep_change
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
