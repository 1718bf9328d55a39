-- +goose Up
-- Issue 14, the promised scale. A person's bookings are selected by
-- account OR address: without an index on the address the OR read all
-- bookings (2.6 s at 10 million).
CREATE INDEX bookings_participant_email ON bookings(participant_email);
-- The audit log filtered by action, newest first.
CREATE INDEX audit_log_action ON audit_log(action, id);

-- +goose Down
DROP INDEX audit_log_action;
DROP INDEX bookings_participant_email;
