-- +goose Up
-- A funding programme: its settings are one JSON document, so another
-- state's programme is data, not code.
CREATE TABLE programmes (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    config     TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Stored files: uploads and generated documents. The content lives in the
-- file store under its SHA-256.
CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    created_by INTEGER REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE applications (
    id            INTEGER PRIMARY KEY,
    number        TEXT UNIQUE,
    programme_id  TEXT NOT NULL REFERENCES programmes(id),
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    ags           TEXT NOT NULL,
    track         TEXT NOT NULL,
    provider_id   INTEGER REFERENCES organisations(id),
    reviewer_id   INTEGER REFERENCES organisations(id),
    people        INTEGER NOT NULL CHECK (people >= 0),
    declarations  INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','approved','rejected','withdrawn')),
    created_by    INTEGER NOT NULL REFERENCES persons(id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    submitted_at  TIMESTAMP,
    submitted_by  INTEGER REFERENCES persons(id),
    decided_at    TIMESTAMP,
    decided_by    INTEGER REFERENCES persons(id),
    reason        TEXT NOT NULL DEFAULT '',
    contract_id   INTEGER REFERENCES documents(id)
);
CREATE INDEX applications_org ON applications(org_id, status);
CREATE INDEX applications_contingent ON applications(programme_id, ags, status);
CREATE INDEX applications_review ON applications(reviewer_id, status, submitted_at);

CREATE TABLE application_certificates (
    application_id INTEGER NOT NULL REFERENCES applications(id),
    position       INTEGER NOT NULL,
    person_name    TEXT NOT NULL,
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    check_state    TEXT NOT NULL DEFAULT 'to_check',
    PRIMARY KEY (application_id, position)
);

CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    at             TIMESTAMP NOT NULL,
    actor_id       INTEGER REFERENCES persons(id),
    action         TEXT NOT NULL,
    from_status    TEXT NOT NULL DEFAULT '',
    to_status      TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app ON application_events(application_id, id);

CREATE TABLE vouchers (
    code           TEXT PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    programme_id   TEXT NOT NULL REFERENCES programmes(id),
    org_id         INTEGER NOT NULL REFERENCES organisations(id),
    ags            TEXT NOT NULL,
    track          TEXT NOT NULL,
    provider_id    INTEGER NOT NULL REFERENCES organisations(id),
    value_cents    INTEGER NOT NULL CHECK (value_cents > 0),
    state          TEXT NOT NULL CHECK (state IN ('issued','reserved','redeemed','settled','expired','revoked')),
    issued_at      TIMESTAMP NOT NULL,
    expires_at     TIMESTAMP NOT NULL
);
CREATE INDEX vouchers_application ON vouchers(application_id);
CREATE INDEX vouchers_provider ON vouchers(provider_id, state);

-- Every state change of a voucher, append-only: the ledger its state is
-- checked against.
CREATE TABLE voucher_events (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL REFERENCES vouchers(code),
    at         TIMESTAMP NOT NULL,
    actor_id   INTEGER REFERENCES persons(id),
    from_state TEXT NOT NULL DEFAULT '',
    to_state   TEXT NOT NULL
);
CREATE INDEX voucher_events_code ON voucher_events(code, id);

CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisations(id),
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    application_id INTEGER REFERENCES applications(id),
    created_at     TIMESTAMP NOT NULL,
    archived_at    TIMESTAMP
);
CREATE INDEX messages_org ON messages(org_id, id);

CREATE TABLE message_attachments (
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (message_id, document_id)
);

CREATE TABLE message_reads (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    read_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (message_id, person_id)
);

-- Fixed-window counters for rate limits shared by all instances.
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- +goose Down
DROP TABLE rate_limits;
DROP TABLE message_reads;
DROP TABLE message_attachments;
DROP TABLE messages;
DROP TABLE voucher_events;
DROP TABLE vouchers;
DROP TABLE application_events;
DROP TABLE application_certificates;
DROP TABLE applications;
DROP TABLE documents;
DROP TABLE programmes;
