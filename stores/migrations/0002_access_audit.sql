-- The access audit log: every read of a child's record (and every aggregate query),
-- written before the data leaves the graph. Append-only, enforced by the database itself.

CREATE TABLE access_audit_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_sub text NOT NULL,
  actor_roles text[] NOT NULL DEFAULT '{}',
  actor_la text NOT NULL,
  client_id text,
  -- Null for aggregate (cohort) events, which name no child.
  child_id text,
  categories text[] NOT NULL DEFAULT '{}',
  operation_name text,
  operation_type text NOT NULL
    CHECK (operation_type IN ('query', 'mutation', 'subscription')),
  purpose text,
  cohort_filter jsonb,
  outcome text NOT NULL
);

-- Each ends in id: the reads page newest first by (occurred_at, id).
CREATE INDEX access_audit_event_by_child
  ON access_audit_event (child_id, occurred_at, id)
  WHERE child_id IS NOT NULL;
CREATE INDEX access_audit_event_by_actor ON access_audit_event (actor_sub, occurred_at, id);
CREATE INDEX access_audit_event_by_time ON access_audit_event (occurred_at, id);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER access_audit_event_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON access_audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
