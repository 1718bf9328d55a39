-- +goose Up
-- One person holds at most one place (or waiting-list place) per session:
-- by account, and by address for participants without one. Duplicates that
-- the missing rule let in are cancelled first, keeping the earliest booking.
UPDATE bookings SET status = 'cancelled', cancelled_at = updated_at
WHERE status IN ('confirmed','waitlisted','awaiting_approval') AND EXISTS (
    SELECT 1 FROM bookings e WHERE e.session_id = bookings.session_id AND e.id < bookings.id
    AND e.status IN ('confirmed','waitlisted','awaiting_approval')
    AND (e.participant_email = bookings.participant_email OR e.person_id = bookings.person_id));
CREATE UNIQUE INDEX bookings_person_active ON bookings(session_id, person_id)
    WHERE person_id IS NOT NULL AND status IN ('confirmed','waitlisted','awaiting_approval');
CREATE UNIQUE INDEX bookings_email_active ON bookings(session_id, participant_email)
    WHERE status IN ('confirmed','waitlisted','awaiting_approval');

-- A voucher a late cancellation left reserved can be forfeited: the
-- offer's cancellation rule lets the provider claim it. The ledger says why.
-- SQLite cannot change a CHECK constraint, so the table is rebuilt. The
-- migration runs in a transaction, where foreign keys cannot be switched
-- off; deferring them lets the rows referring to vouchers wait for the
-- new table, whose inserted rows satisfy them again before the commit.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE vouchers_copy AS SELECT * FROM vouchers;
DROP TABLE vouchers;
CREATE TABLE vouchers (
    code           TEXT PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    programme_id   TEXT NOT NULL REFERENCES programmes(id),
    org_id         INTEGER NOT NULL REFERENCES organisations(id),
    ags            TEXT NOT NULL,
    track          TEXT NOT NULL,
    provider_id    INTEGER NOT NULL REFERENCES organisations(id),
    value_cents    INTEGER NOT NULL CHECK (value_cents > 0),
    state          TEXT NOT NULL CHECK (state IN ('issued','reserved','redeemed','settled','expired','revoked','forfeited')),
    issued_at      TIMESTAMP NOT NULL,
    expires_at     TIMESTAMP NOT NULL
);
INSERT INTO vouchers (code, application_id, programme_id, org_id, ags, track, provider_id, value_cents, state, issued_at, expires_at)
    SELECT code, application_id, programme_id, org_id, ags, track, provider_id, value_cents, state, issued_at, expires_at FROM vouchers_copy;
DROP TABLE vouchers_copy;
CREATE INDEX vouchers_application ON vouchers(application_id);
CREATE INDEX vouchers_provider ON vouchers(provider_id, state);
ALTER TABLE voucher_events ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE voucher_events DROP COLUMN reason;
DROP INDEX bookings_email_active;
DROP INDEX bookings_person_active;
