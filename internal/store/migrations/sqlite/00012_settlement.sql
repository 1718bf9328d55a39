-- +goose Up
-- The programme's money as a ledger: every movement is an immutable entry
-- with an idempotency key (recording a movement twice is a no-op); the
-- balances (planned, committed, claimed, paid, free) are sums of entries,
-- never stored counters. An entry belongs to the budget year of the voucher
-- it moves (the year the voucher was issued) or, for plan entries, to the
-- year the funder planned. Amounts are signed cents:
--   plan     the funder changes the year's budget (the difference)
--   commit   a voucher is issued (+ its value)
--   adjust   an advanced voucher's value is set at booking (the difference)
--   release  a voucher expires, is revoked or credited (- its open value)
--   claim    a claim with the voucher is submitted (+), returned or withdrawn (-)
--   pay      a claim with the voucher is approved (+), a credit note (-)
CREATE TABLE budget_entries (
    id              INTEGER PRIMARY KEY,
    programme_id    TEXT NOT NULL REFERENCES programmes(id),
    year            INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('plan','commit','adjust','release','claim','pay')),
    amount_cents    INTEGER NOT NULL,
    voucher_code    TEXT REFERENCES vouchers(code),
    claim_id        INTEGER,
    idempotency_key TEXT NOT NULL UNIQUE,
    actor_id        INTEGER REFERENCES persons(id),
    note            TEXT NOT NULL DEFAULT '',
    at              TIMESTAMP NOT NULL
);
CREATE INDEX budget_entries_programme ON budget_entries(programme_id, year, kind);
CREATE INDEX budget_entries_voucher ON budget_entries(voucher_code);
-- +goose StatementBegin
CREATE TRIGGER budget_entries_immutable_update BEFORE UPDATE ON budget_entries
BEGIN SELECT RAISE(ABORT, 'budget entries are immutable'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER budget_entries_immutable_delete BEFORE DELETE ON budget_entries
BEGIN SELECT RAISE(ABORT, 'budget entries are immutable'); END;
-- +goose StatementEnd

-- One row per programme and year: what money-moving transactions lock
-- (PostgreSQL: FOR UPDATE) before they read the balances.
CREATE TABLE budget_years (
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    year         INTEGER NOT NULL,
    PRIMARY KEY (programme_id, year)
);

-- A provider's data for invoices: who issues them and where the money goes.
CREATE TABLE provider_billing (
    org_id        INTEGER PRIMARY KEY REFERENCES organisations(id),
    legal_name    TEXT NOT NULL,
    street        TEXT NOT NULL,
    postcode      TEXT NOT NULL,
    city          TEXT NOT NULL,
    vat_id        TEXT NOT NULL DEFAULT '',
    tax_number    TEXT NOT NULL DEFAULT '',
    iban          TEXT NOT NULL,
    bic           TEXT NOT NULL DEFAULT '',
    contact_name  TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- A settlement claim (Abrechnung) of a provider: an invoice for redeemed
-- vouchers, or a credit note that corrects an approved claim.
CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('invoice','credit_note')),
    corrects_id  INTEGER REFERENCES claims(id),
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    provider_id  INTEGER NOT NULL REFERENCES organisations(id),
    status       TEXT NOT NULL CHECK (status IN ('draft','submitted','checked','approved','returned','withdrawn')),
    reason       TEXT NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL REFERENCES persons(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    checked_at   TIMESTAMP,
    checked_by   INTEGER REFERENCES persons(id),
    approved_at  TIMESTAMP,
    approved_by  INTEGER REFERENCES persons(id)
);
CREATE INDEX claims_provider ON claims(provider_id, status);
CREATE INDEX claims_programme ON claims(programme_id, status);

-- The vouchers of a claim. A voucher is in at most one open or approved
-- invoice and one open or approved credit note: active is cleared when a
-- claim is withdrawn or a voucher is taken out of a returned claim.
CREATE TABLE claim_items (
    claim_id    INTEGER NOT NULL REFERENCES claims(id),
    code        TEXT NOT NULL REFERENCES vouchers(code),
    kind        TEXT NOT NULL CHECK (kind IN ('invoice','credit_note')),
    value_cents INTEGER NOT NULL CHECK (value_cents > 0),
    active      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (claim_id, code)
);
CREATE UNIQUE INDEX claim_items_one_open ON claim_items(code, kind) WHERE active = 1;

-- Every step of a claim; internal notes are for the funder side only.
CREATE TABLE claim_events (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims(id),
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER REFERENCES persons(id),
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    internal    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX claim_events_claim ON claim_events(claim_id, id);

-- Redemption time, for the settlement and the reports.
ALTER TABLE vouchers ADD COLUMN redeemed_at TIMESTAMP;
ALTER TABLE vouchers ADD COLUMN settled_at TIMESTAMP;

-- +goose Down
ALTER TABLE vouchers DROP COLUMN settled_at;
ALTER TABLE vouchers DROP COLUMN redeemed_at;
DROP TABLE claim_events;
DROP TABLE claim_items;
DROP TABLE claims;
DROP TABLE provider_billing;
DROP TABLE budget_years;
DROP TRIGGER budget_entries_immutable_delete;
DROP TRIGGER budget_entries_immutable_update;
DROP TABLE budget_entries;
