-- +goose Up
-- A sender claims the mails it is about to send for a while (the lease), so
-- that two instances never send the same mail; a claim that runs out (its
-- sender died) lets another sender take the mail.
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN claimed_by;
ALTER TABLE outbox DROP COLUMN claimed_until;
