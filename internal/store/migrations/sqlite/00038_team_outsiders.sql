-- +goose Up
-- Issue 14, the team overview's second part: the bookings billed to a
-- municipality by people who are not its members. Finding them read the
-- keys of every booking billed to it (290,000 in the largest
-- municipality) and probed each against its members, to find none or a
-- few. A booking now carries whether it is such a booking (outsider), and
-- a partial index holds only those; triggers keep the mark with every
-- booking and membership written or removed, whichever code path does it.
ALTER TABLE bookings ADD COLUMN outsider INTEGER NOT NULL DEFAULT 0;
UPDATE bookings SET outsider = 1 WHERE employer_id IS NOT NULL AND (person_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = bookings.employer_id AND m.person_id = bookings.person_id));
CREATE INDEX bookings_outsiders ON bookings(employer_id, id) WHERE outsider;

-- +goose StatementBegin
CREATE TRIGGER bookings_outsider_insert AFTER INSERT ON bookings
WHEN NEW.employer_id IS NOT NULL AND (NEW.person_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = NEW.employer_id AND m.person_id = NEW.person_id))
BEGIN
    UPDATE bookings SET outsider = 1 WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER bookings_outsider_update AFTER UPDATE OF person_id, employer_id ON bookings BEGIN
    UPDATE bookings SET outsider = (NEW.employer_id IS NOT NULL AND (NEW.person_id IS NULL
        OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = NEW.employer_id AND m.person_id = NEW.person_id)))
    WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_outsider_insert AFTER INSERT ON memberships BEGIN
    UPDATE bookings SET outsider = 0 WHERE person_id = NEW.person_id AND employer_id = NEW.org_id AND outsider;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_outsider_delete AFTER DELETE ON memberships BEGIN
    UPDATE bookings SET outsider = 1 WHERE person_id = OLD.person_id AND employer_id = OLD.org_id AND NOT outsider;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER memberships_outsider_delete;
DROP TRIGGER memberships_outsider_insert;
DROP TRIGGER bookings_outsider_update;
DROP TRIGGER bookings_outsider_insert;
DROP INDEX bookings_outsiders;
ALTER TABLE bookings DROP COLUMN outsider;
