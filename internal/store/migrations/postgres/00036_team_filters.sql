-- +goose Up
-- Issue 14, the team overview filtered by a booking status that few
-- bookings have: its members' part reads those bookings along this index
-- (in the order of the overview, person and booking) and keeps the
-- municipality's members' among them, instead of reading every member's
-- bookings until a page is found.
CREATE INDEX bookings_status_person ON bookings(status, person_id, id);

-- +goose Down
DROP INDEX bookings_status_person;
