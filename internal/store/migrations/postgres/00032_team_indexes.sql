-- +goose Up
-- Issue 14, the team overview a page at a time. Its second part, the
-- bookings of people who are not members, reads the bookings billed to the
-- municipality by booking ID (with the person, to skip the members'
-- without reading the rows) and those made with its vouchers; without these
-- indexes each page read all bookings.
CREATE INDEX bookings_employer ON bookings(employer_id, id, person_id);
CREATE INDEX vouchers_org ON vouchers(org_id);
-- The unique index on voucher_code covers active bookings only.
CREATE INDEX bookings_voucher ON bookings(voucher_code);

-- +goose Down
DROP INDEX bookings_voucher;
DROP INDEX vouchers_org;
DROP INDEX bookings_employer;
