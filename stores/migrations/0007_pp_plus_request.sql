-- Pupil Premium Plus requests (issue 14): a Virtual School officer asks for an amount against
-- a PEP target, the Virtual School Head decides, an approval becomes a commitment in the
-- finance system and then payment lines there. The money lives in the finance system; none of
-- the council's systems records the request and its decision, so CLA Graph keeps them here.
--
-- pp_plus_request is the current state: made once, then only decided, committed and paid
-- (the decision, commitment and payment columns; a trigger keeps the rest as made).
-- pp_plus_request_event is its append-only history: who, when, the request before and after.

CREATE TABLE pp_plus_request (
  -- The caller's requestId: the same request sent twice is one request.
  id uuid PRIMARY KEY,
  child_id text NOT NULL CHECK (child_id ~ '^[0-9]{7}$'),
  -- The financial year it is paid from ("2025-26").
  fy text NOT NULL CHECK (fy ~ '^[0-9]{4}-[0-9]{2}$'),
  pep_id text NOT NULL,
  pep_target_id text NOT NULL,
  -- The school the PEP was held with (a designated teacher sees their own school's requests).
  urn text CHECK (urn ~ '^[0-9]{6}$'),
  requested_pence integer NOT NULL CHECK (requested_pence > 0),
  rationale text NOT NULL,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  -- REQUESTED, then DECLINED, or COMMITTED (approved and committed in the finance system in
  -- one step: an approval the finance system refuses leaves the request REQUESTED), then PAID.
  status text NOT NULL DEFAULT 'REQUESTED'
    CHECK (status IN ('REQUESTED', 'DECLINED', 'COMMITTED', 'PAID')),
  decision text CHECK (decision IN ('APPROVE', 'PART_APPROVE', 'DECLINE')),
  approved_pence integer CHECK (approved_pence > 0),
  decision_reason text,
  decided_by text,
  decided_at timestamptz,
  -- The finance system's commitment (its commitment_ref is this request's id).
  commitment_id text,
  paid_pence integer NOT NULL DEFAULT 0 CHECK (paid_pence >= 0),
  CONSTRAINT pp_plus_request_decided CHECK (
    (status = 'REQUESTED' AND decision IS NULL AND decided_by IS NULL AND decided_at IS NULL
      AND decision_reason IS NULL)
    OR (status <> 'REQUESTED' AND decision IS NOT NULL AND decided_by IS NOT NULL
      AND decided_at IS NOT NULL AND decision_reason IS NOT NULL)
  ),
  CONSTRAINT pp_plus_request_committed CHECK (
    (status IN ('COMMITTED', 'PAID')) = (commitment_id IS NOT NULL AND approved_pence IS NOT NULL)
  ),
  CONSTRAINT pp_plus_request_paid_within CHECK (paid_pence <= coalesce(approved_pence, 0))
);

-- One open request per PEP target: two concurrent requests for one target meet here.
CREATE UNIQUE INDEX pp_plus_request_one_open_per_target
  ON pp_plus_request (pep_target_id)
  WHERE status IN ('REQUESTED', 'COMMITTED');

CREATE INDEX pp_plus_request_by_child ON pp_plus_request (child_id, fy, requested_at);

-- Only the decision, the commitment and the payments may change, forwards only: what was
-- asked, by whom and when stays as it was made, and a decided request is never undecided.
CREATE FUNCTION pp_plus_request_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.child_id, NEW.fy, NEW.pep_id, NEW.pep_target_id, NEW.urn, NEW.requested_pence,
      NEW.rationale, NEW.requested_by, NEW.requested_at)
     IS DISTINCT FROM
     (OLD.id, OLD.child_id, OLD.fy, OLD.pep_id, OLD.pep_target_id, OLD.urn, OLD.requested_pence,
      OLD.rationale, OLD.requested_by, OLD.requested_at)
     OR (OLD.status <> 'REQUESTED'
         AND (NEW.decision, NEW.approved_pence, NEW.decision_reason, NEW.decided_by,
              NEW.decided_at, NEW.commitment_id)
             IS DISTINCT FROM
             (OLD.decision, OLD.approved_pence, OLD.decision_reason, OLD.decided_by,
              OLD.decided_at, OLD.commitment_id))
     OR OLD.status IN ('DECLINED', 'PAID')
     OR NEW.paid_pence < OLD.paid_pence
  THEN
    RAISE EXCEPTION 'pp_plus_request: only deciding, committing and paying are allowed'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER pp_plus_request_guard
  BEFORE UPDATE ON pp_plus_request
  FOR EACH ROW EXECUTE FUNCTION pp_plus_request_guard();

CREATE TRIGGER pp_plus_request_no_delete
  BEFORE DELETE OR TRUNCATE ON pp_plus_request
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();

CREATE TABLE pp_plus_request_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES pp_plus_request (id),
  child_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('REQUEST', 'DECIDE', 'PAY')),
  -- Who: the token's sub and roles, and the gateway's request id.
  actor_sub text NOT NULL,
  actor_roles text[] NOT NULL DEFAULT '{}',
  gateway_request_id text,
  changed_at timestamptz NOT NULL DEFAULT now(),
  -- The request before (null when it was made) and after, as JSON objects.
  before jsonb,
  after jsonb NOT NULL,
  -- A payment's own reference (the same payment twice is one payment).
  payment_ref text,
  CONSTRAINT pp_plus_request_event_payment CHECK ((action = 'PAY') = (payment_ref IS NOT NULL))
);

CREATE UNIQUE INDEX pp_plus_request_event_one_payment
  ON pp_plus_request_event (request_id, payment_ref)
  WHERE payment_ref IS NOT NULL;

CREATE INDEX pp_plus_request_event_by_request
  ON pp_plus_request_event (request_id, changed_at, id);

-- Statement level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER pp_plus_request_event_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON pp_plus_request_event
  FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change();
