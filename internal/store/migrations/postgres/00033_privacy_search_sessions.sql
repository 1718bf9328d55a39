-- +goose Up
-- Issue 14, privacy and account follow-ups.

-- An admin finds a person to delete or to download their data for by the
-- exact address (the unique index) or by the beginning of the name or of
-- the surname (the name after its first word). The keys fold case (the
-- German capital umlauts by hand as well, so both databases find the same)
-- and compare bytewise (COLLATE "C"), so that a beginning is a range of
-- the index; the indexes hold live accounts only. store/person_search.go
-- writes the same expressions in its queries.
CREATE INDEX persons_name_search ON persons (
    (lower(replace(replace(replace(name, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')) COLLATE "C"), id)
    WHERE deleted_at IS NULL;
CREATE INDEX persons_surname_search ON persons (
    (lower(replace(replace(replace(substr(name, strpos(name, ' ') + 1), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')) COLLATE "C"), id)
    WHERE deleted_at IS NULL;

-- A session in which the second factor was given. When an organisation or
-- a programme starts to require one, the live sessions of the people it
-- covers that lack it wait for it (mfa_pending) from their next request.
-- Before this migration a person with a second factor always gave it at
-- login, so their full sessions count as having it.
ALTER TABLE sessions ADD COLUMN mfa_done BOOLEAN NOT NULL DEFAULT false;
UPDATE sessions SET mfa_done = true WHERE mfa_pending = false AND (
    EXISTS (SELECT 1 FROM mfa_totp t WHERE t.person_id = sessions.person_id AND t.confirmed_at IS NOT NULL)
    OR EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.person_id = sessions.person_id));

-- +goose Down
ALTER TABLE sessions DROP COLUMN mfa_done;
DROP INDEX persons_surname_search;
DROP INDEX persons_name_search;
