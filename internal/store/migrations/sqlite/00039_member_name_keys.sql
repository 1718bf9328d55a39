-- +goose Up
-- Issue 14, the team overview filtered by a name. Its members' part
-- compared every member's name and address with LIKE '%...%' (lower() of
-- each), reading all 87,000 people of the largest municipality to count
-- the few it found. A membership now carries its person's search keys,
-- folded as the admin's person search folds them (migration 00033): the
-- name, the surname (the name after its first word) and the address. A
-- beginning of any of them is a range of an index within the
-- municipality. Triggers keep the keys with every membership written and
-- every name or address changed, whichever code path does it.
-- store/team_paging.go writes the same expressions for the participants
-- without a membership.
ALTER TABLE memberships ADD COLUMN name_key TEXT;
ALTER TABLE memberships ADD COLUMN surname_key TEXT;
ALTER TABLE memberships ADD COLUMN email_key TEXT;
UPDATE memberships SET (name_key, surname_key, email_key) = (SELECT
    lower(replace(replace(replace(p.name, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')),
    lower(replace(replace(replace(substr(p.name, instr(p.name, ' ') + 1), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')),
    lower(replace(replace(replace(p.email, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü'))
    FROM persons p WHERE p.id = memberships.person_id);
CREATE INDEX memberships_name_key ON memberships(org_id, name_key, person_id);
CREATE INDEX memberships_surname_key ON memberships(org_id, surname_key, person_id);
CREATE INDEX memberships_email_key ON memberships(org_id, email_key, person_id);

-- +goose StatementBegin
CREATE TRIGGER memberships_name_keys AFTER INSERT ON memberships BEGIN
    UPDATE memberships SET (name_key, surname_key, email_key) = (SELECT
        lower(replace(replace(replace(p.name, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')),
        lower(replace(replace(replace(substr(p.name, instr(p.name, ' ') + 1), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')),
        lower(replace(replace(replace(p.email, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü'))
        FROM persons p WHERE p.id = NEW.person_id)
    WHERE org_id = NEW.org_id AND person_id = NEW.person_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER persons_name_keys AFTER UPDATE OF name, email ON persons
WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email
BEGIN
    UPDATE memberships SET
        name_key = lower(replace(replace(replace(NEW.name, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')),
        surname_key = lower(replace(replace(replace(substr(NEW.name, instr(NEW.name, ' ') + 1), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')),
        email_key = lower(replace(replace(replace(NEW.email, 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü'))
    WHERE person_id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER persons_name_keys;
DROP TRIGGER memberships_name_keys;
DROP INDEX memberships_email_key;
DROP INDEX memberships_surname_key;
DROP INDEX memberships_name_key;
ALTER TABLE memberships DROP COLUMN email_key;
ALTER TABLE memberships DROP COLUMN surname_key;
ALTER TABLE memberships DROP COLUMN name_key;
