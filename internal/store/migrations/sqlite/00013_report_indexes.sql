-- +goose Up
-- Indexes for the programme report (internal/reports), which aggregates
-- millions of vouchers and ledger entries: each covers its query, so the
-- database reads the index alone, in the order the query groups by.
-- Vouchers by state, application and provider, with the columns the
-- period and expiry filters and the value sums need.
CREATE INDEX vouchers_report ON vouchers(programme_id, state, application_id, provider_id, expires_at, issued_at, value_cents);
-- The ledger's sums per kind and month (range scans on at) and per budget
-- year and kind.
CREATE INDEX budget_entries_report_at ON budget_entries(programme_id, kind, at, year, amount_cents);
CREATE INDEX budget_entries_report_year ON budget_entries(programme_id, year, kind, amount_cents);

-- +goose Down
DROP INDEX budget_entries_report_year;
DROP INDEX budget_entries_report_at;
DROP INDEX vouchers_report;
