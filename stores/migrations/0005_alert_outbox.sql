-- Alerts (issue 13): the outbox of domain events the pollers raise from changes in the
-- council's systems, each upstream feed's cursor, who acknowledged which alert, and the
-- webhook subscriptions with their deliveries. Events carry a child's social care id and
-- the facts of one category, never a name or an address.

-- One row per happening, stored once by its stable key. seq is the one global order (per
-- child, the order things happened in): alerts page by it, webhooks fan out and deliver by it.
CREATE TABLE alert_event (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_key text NOT NULL UNIQUE CHECK (char_length(event_key) BETWEEN 1 AND 200),
  type text NOT NULL,
  category text NOT NULL,
  -- Null for an event about a school (no designated teacher).
  child_id text,
  urn text,
  occurred_at timestamptz NOT NULL,
  detected_at timestamptz NOT NULL DEFAULT now(),
  -- Plain scalars of the event's own category (a date, a session, a code).
  facts jsonb NOT NULL DEFAULT '{}',
  -- Who is to hear of it: `social-worker:<sub>`, `designated-teacher@<urn>`... (events/types.ts).
  audience text[] NOT NULL CHECK (cardinality(audience) > 0)
);

-- "My alerts": audience && the caller's strings, newest first by seq.
CREATE INDEX alert_event_by_audience ON alert_event USING gin (audience);
CREATE INDEX alert_event_by_child ON alert_event (child_id, detected_at, seq)
  WHERE child_id IS NOT NULL;
CREATE INDEX alert_event_by_detected ON alert_event (detected_at, seq);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER alert_event_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON alert_event
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

-- Each upstream change feed's position, moved in the transaction that stores the events it
-- gave, so a restart re-reads at most one batch and stores nothing twice.
CREATE TABLE alert_feed_cursor (
  source text PRIMARY KEY CHECK (char_length(source) BETWEEN 1 AND 100),
  cursor text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Who acknowledged which alert, and when: the first acknowledgement by a person stands.
CREATE TABLE alert_acknowledgement (
  seq bigint NOT NULL REFERENCES alert_event (seq),
  ack_by text NOT NULL,
  ack_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (seq, ack_by)
);

CREATE INDEX alert_acknowledgement_by_person ON alert_acknowledgement (ack_by, seq);

CREATE TRIGGER alert_acknowledgement_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON alert_acknowledgement
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

-- A client system's subscription: it hears what its owner would read in `alerts` (the
-- owner's audience strings and categories at registration). No secret is stored: each
-- subscription's signing secret is derived from the master key and the id.
CREATE TABLE webhook_subscription (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_sub text NOT NULL,
  owner_roles text[] NOT NULL DEFAULT '{}',
  owner_la text NOT NULL,
  owner_urns text[] NOT NULL DEFAULT '{}',
  audience text[] NOT NULL,
  categories text[] NOT NULL,
  url text NOT NULL,
  -- Only these event types; every type when empty.
  types text[] NOT NULL DEFAULT '{}',
  digest boolean NOT NULL DEFAULT false,
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  disabled_by text,
  -- Events up to here have become deliveries. Set at creation to the newest event then (the
  -- store does it: a DEFAULT may not query), so a new subscription does not get the history.
  last_fanned_seq bigint NOT NULL DEFAULT 0,
  CONSTRAINT webhook_subscription_disabled_complete CHECK (
    (disabled_at IS NULL) = (disabled_by IS NULL)
  )
);

CREATE INDEX webhook_subscription_by_owner ON webhook_subscription (owner_sub, created_at);
CREATE INDEX webhook_subscription_by_la ON webhook_subscription (owner_la);

-- One event (or digest) to one subscription, sent at least once, in id order per
-- subscription (the head of the line blocks the rest until delivered or dead).
CREATE TABLE webhook_delivery (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES webhook_subscription (id),
  -- Null for a digest.
  event_seq bigint REFERENCES alert_event (seq),
  event_type text NOT NULL,
  -- What the receiver deduplicates by: evt_<seq> for an event, the same on every attempt.
  idempotency_key text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
  -- The exact JSON body sent, the same on every attempt.
  payload text NOT NULL,
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
  attempts integer NOT NULL DEFAULT 0,
  -- Due from here; while a dispatcher sends, its lease (so no other sends it meanwhile).
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- Short and sanitised: an HTTP status or a network code, never the response body.
  last_error text CHECK (char_length(last_error) <= 200),
  last_status integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  -- A dead delivery put back in line: by whom and when (its age counts from then).
  redelivered_at timestamptz,
  redelivered_by text,
  CONSTRAINT webhook_delivery_once_per_key UNIQUE (subscription_id, idempotency_key)
);

-- The head of each subscription's line.
CREATE INDEX webhook_delivery_pending ON webhook_delivery (subscription_id, id)
  WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_dead ON webhook_delivery (subscription_id, id)
  WHERE status = 'DEAD';

-- Deliveries and subscriptions are never deleted (a dead letter stays listed); the service
-- role has no DELETE either, this covers the owner's mistakes.
CREATE TRIGGER webhook_delivery_no_delete
  BEFORE DELETE OR TRUNCATE ON webhook_delivery
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
CREATE TRIGGER webhook_subscription_no_delete
  BEFORE DELETE OR TRUNCATE ON webhook_subscription
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
