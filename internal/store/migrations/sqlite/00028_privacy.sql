-- +goose Up
-- Privacy by design: deleted accounts, consent records of events'
-- participant lists, the claims of the nightly retention job, and the audit
-- log without e-mail addresses and names in its details.

-- A deleted account keeps its row (bookings, certificates, contracts and
-- settlement data refer to it), anonymised: deleted_at says since when.
ALTER TABLE persons ADD COLUMN deleted_at TIMESTAMP;

-- The record of consents to appear on an event's participant list: given at
-- registration, withdrawn when the registration is cancelled. The pilots'
-- directory keeps its own record in pilot_consents.
CREATE TABLE event_consents (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    event_id        INTEGER NOT NULL REFERENCES events(id),
    registration_id INTEGER NOT NULL,
    event           TEXT NOT NULL CHECK (event IN ('given', 'withdrawn')),
    at              TIMESTAMP NOT NULL,
    text_version    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_consents_person ON event_consents (person_id, id);

-- One row per job that must run on one instance at a time: the instance
-- that moves last_run_at forward in its transaction runs the job.
CREATE TABLE job_claims (
    name        TEXT PRIMARY KEY,
    last_run_at TIMESTAMP NOT NULL
);

CREATE INDEX retention_login_attempts_at ON login_attempts (at);
CREATE INDEX retention_sessions_expires ON sessions (expires_at);

-- The audit log refers to people by ID: strip e-mail addresses and names
-- from the details of the entries written before (the append-only trigger
-- is lifted for this one statement).
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET detail = json_remove(detail, '$.email')
    WHERE action IN ('person.create', 'invitation.create') AND json_valid(detail);
UPDATE audit_log SET detail = json_remove(detail, '$.from', '$.to')
    WHERE action IN ('person.update_name', 'person.request_email_change') AND json_valid(detail);
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP INDEX retention_sessions_expires;
DROP INDEX retention_login_attempts_at;
DROP TABLE job_claims;
DROP TABLE event_consents;
ALTER TABLE persons DROP COLUMN deleted_at;
