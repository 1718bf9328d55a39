-- +goose Up
-- Issue 14, the team overview's second part: the bookings billed to a
-- municipality by people who are not its members. Finding them read the
-- keys of every booking billed to it (290,000 in the largest
-- municipality) and probed each against its members, to find none or a
-- few. A booking now carries whether it is such a booking (outsider), and
-- a partial index holds only those; triggers keep the mark with every
-- booking and membership written or removed, whichever code path does it.
ALTER TABLE bookings ADD COLUMN outsider BOOLEAN NOT NULL DEFAULT false;
UPDATE bookings b SET outsider = true WHERE b.employer_id IS NOT NULL AND (b.person_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = b.employer_id AND m.person_id = b.person_id));
CREATE INDEX bookings_outsiders ON bookings(employer_id, id) WHERE outsider;
-- The planner learns that few are marked: without it, it guessed tens of
-- thousands of a municipality's and walked all bookings by ID instead. An
-- empty table (a new installation) is left to autovacuum: analysed empty,
-- the planner would take it for empty until then.
-- +goose StatementBegin
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM bookings) THEN ANALYZE bookings; END IF;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bookings_outsider_mark() RETURNS trigger AS $$
BEGIN
    NEW.outsider := NEW.employer_id IS NOT NULL AND (NEW.person_id IS NULL
        OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = NEW.employer_id AND m.person_id = NEW.person_id));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER bookings_outsider_insert BEFORE INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION bookings_outsider_mark();
CREATE TRIGGER bookings_outsider_update BEFORE UPDATE OF person_id, employer_id ON bookings FOR EACH ROW EXECUTE FUNCTION bookings_outsider_mark();

-- +goose StatementBegin
CREATE FUNCTION memberships_outsider_mark() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE bookings SET outsider = false WHERE person_id = NEW.person_id AND employer_id = NEW.org_id AND outsider;
    ELSE
        UPDATE bookings SET outsider = true WHERE person_id = OLD.person_id AND employer_id = OLD.org_id AND NOT outsider;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER memberships_outsider_insert AFTER INSERT ON memberships FOR EACH ROW EXECUTE FUNCTION memberships_outsider_mark();
CREATE TRIGGER memberships_outsider_delete AFTER DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION memberships_outsider_mark();

-- +goose Down
DROP TRIGGER memberships_outsider_delete ON memberships;
DROP TRIGGER memberships_outsider_insert ON memberships;
DROP FUNCTION memberships_outsider_mark();
DROP TRIGGER bookings_outsider_update ON bookings;
DROP TRIGGER bookings_outsider_insert ON bookings;
DROP FUNCTION bookings_outsider_mark();
DROP INDEX bookings_outsiders;
ALTER TABLE bookings DROP COLUMN outsider;
