-- +goose Up
-- HR's decision on an employer-paid booking: a declined booking is
-- cancelled with the reason HR gave (shown to the participant and kept);
-- an approval may carry a note.
ALTER TABLE bookings ADD COLUMN decline_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN approval_note TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN decided_at TIMESTAMP;
-- The reminder before a session is sent once per booking: the job claims a
-- booking by setting reminded_at where it is still empty.
ALTER TABLE bookings ADD COLUMN reminded_at TIMESTAMP;
-- The notice that an unused voucher is about to expire goes out once.
ALTER TABLE vouchers ADD COLUMN expiry_noticed_at TIMESTAMP;
-- A mail may carry one text attachment (the calendar file of a booking).
ALTER TABLE outbox ADD COLUMN attachment_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment_type TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attachment TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN attachment;
ALTER TABLE outbox DROP COLUMN attachment_type;
ALTER TABLE outbox DROP COLUMN attachment_name;
ALTER TABLE vouchers DROP COLUMN expiry_noticed_at;
ALTER TABLE bookings DROP COLUMN reminded_at;
ALTER TABLE bookings DROP COLUMN decided_at;
ALTER TABLE bookings DROP COLUMN approval_note;
ALTER TABLE bookings DROP COLUMN decline_reason;
