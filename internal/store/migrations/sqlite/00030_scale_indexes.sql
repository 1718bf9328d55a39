-- +goose Up
-- Issue 14, the promised scale. A person's bookings are selected by
-- account OR address: without an index on the address the OR read all
-- bookings (2.6 s at 10 million).
CREATE INDEX bookings_participant_email ON bookings(participant_email);
-- A session's participant list in booking order, a page at a time.
CREATE INDEX bookings_session_id ON bookings(session_id, id);
-- The audit log filtered by action, newest first.
CREATE INDEX audit_log_action ON audit_log(action, id);

-- +goose Down
DROP INDEX audit_log_action;
DROP INDEX bookings_session_id;
DROP INDEX bookings_participant_email;
