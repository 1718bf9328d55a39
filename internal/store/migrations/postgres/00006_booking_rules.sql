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
ALTER TABLE vouchers DROP CONSTRAINT vouchers_state_check;
ALTER TABLE vouchers ADD CONSTRAINT vouchers_state_check
    CHECK (state IN ('issued','reserved','redeemed','settled','expired','revoked','forfeited'));
ALTER TABLE voucher_events ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE voucher_events DROP COLUMN reason;
ALTER TABLE vouchers DROP CONSTRAINT vouchers_state_check;
ALTER TABLE vouchers ADD CONSTRAINT vouchers_state_check
    CHECK (state IN ('issued','reserved','redeemed','settled','expired','revoked'));
DROP INDEX bookings_email_active;
DROP INDEX bookings_person_active;
