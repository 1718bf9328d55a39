-- +goose Up
-- Roll-ups for the programme report: the counts it needs, kept next to the
-- data by triggers in the same transaction that writes the data, so a
-- report over millions of vouchers and ledger entries reads a few
-- thousand rows. All vouchers of an application share their issue and
-- expiry time, so a row per application, provider, state and those times
-- is not more rows than applications × states. The balances stay sums of
-- ledger entries (summed per month here), never counters set by hand.
CREATE TABLE voucher_rollup (
    programme_id   TEXT NOT NULL,
    application_id BIGINT NOT NULL,
    provider_id    BIGINT NOT NULL,
    state          TEXT NOT NULL,
    issued_at      TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    n              BIGINT NOT NULL,
    value_cents    BIGINT NOT NULL,
    PRIMARY KEY (programme_id, application_id, provider_id, state, issued_at, expires_at)
);
INSERT INTO voucher_rollup (programme_id, application_id, provider_id, state, issued_at, expires_at, n, value_cents)
    SELECT programme_id, application_id, provider_id, state, issued_at, expires_at, COUNT(*), SUM(value_cents)
    FROM vouchers GROUP BY programme_id, application_id, provider_id, state, issued_at, expires_at;
-- +goose StatementBegin
CREATE FUNCTION vouchers_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE voucher_rollup SET n = n - 1, value_cents = value_cents - OLD.value_cents
        WHERE programme_id = OLD.programme_id AND application_id = OLD.application_id AND provider_id = OLD.provider_id
          AND state = OLD.state AND issued_at = OLD.issued_at AND expires_at = OLD.expires_at;
    END IF;
    INSERT INTO voucher_rollup AS r (programme_id, application_id, provider_id, state, issued_at, expires_at, n, value_cents)
    VALUES (NEW.programme_id, NEW.application_id, NEW.provider_id, NEW.state, NEW.issued_at, NEW.expires_at, 1, NEW.value_cents)
    ON CONFLICT (programme_id, application_id, provider_id, state, issued_at, expires_at)
    DO UPDATE SET n = r.n + 1, value_cents = r.value_cents + excluded.value_cents;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER vouchers_rollup_insert AFTER INSERT ON vouchers FOR EACH ROW EXECUTE FUNCTION vouchers_rollup();
CREATE TRIGGER vouchers_rollup_update AFTER UPDATE OF state, value_cents ON vouchers FOR EACH ROW EXECUTE FUNCTION vouchers_rollup();

-- The ledger summed per programme, kind, month (UTC, YYYY-MM) and budget year.
CREATE TABLE budget_month (
    programme_id TEXT NOT NULL,
    kind         TEXT NOT NULL,
    month        TEXT NOT NULL,
    year         INTEGER NOT NULL,
    amount_cents BIGINT NOT NULL,
    PRIMARY KEY (programme_id, kind, month, year)
);
INSERT INTO budget_month (programme_id, kind, month, year, amount_cents)
    SELECT programme_id, kind, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM'), year, SUM(amount_cents) FROM budget_entries
    GROUP BY programme_id, kind, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM'), year;
-- +goose StatementBegin
CREATE FUNCTION budget_entries_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO budget_month AS m (programme_id, kind, month, year, amount_cents)
    VALUES (NEW.programme_id, NEW.kind, to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM'), NEW.year, NEW.amount_cents)
    ON CONFLICT (programme_id, kind, month, year) DO UPDATE SET amount_cents = m.amount_cents + excluded.amount_cents;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER budget_entries_month AFTER INSERT ON budget_entries FOR EACH ROW EXECUTE FUNCTION budget_entries_month();

-- +goose Down
DROP TRIGGER budget_entries_month ON budget_entries;
DROP FUNCTION budget_entries_month();
DROP TABLE budget_month;
DROP TRIGGER vouchers_rollup_update ON vouchers;
DROP TRIGGER vouchers_rollup_insert ON vouchers;
DROP FUNCTION vouchers_rollup();
DROP TABLE voucher_rollup;
