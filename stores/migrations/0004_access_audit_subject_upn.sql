-- Reads of a pupil another authority looks after (a designated teacher's school roll) have no
-- social care id here: the event names the pupil by UPN instead, so that authority's subject
-- access request can be answered too.
ALTER TABLE access_audit_event ADD COLUMN subject_upn text;

CREATE INDEX access_audit_event_by_subject_upn
  ON access_audit_event (subject_upn, occurred_at, id)
  WHERE subject_upn IS NOT NULL;
