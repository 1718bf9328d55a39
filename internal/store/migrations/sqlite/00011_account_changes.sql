-- +goose Up
-- A requested change of a person's address: it takes effect only when the
-- link sent to the new address is opened (single use, with an expiry; only
-- the token's hash is stored).
CREATE TABLE email_changes (
    token_hash TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    new_email  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX email_changes_person ON email_changes(person_id, created_at);

-- Reports of accessibility barriers from the feedback form of the
-- accessibility statement; the operator reads them (and gets them by mail).
CREATE TABLE barrier_reports (
    id         INTEGER PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    page_url   TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL
);

-- +goose Down
DROP TABLE barrier_reports;
DROP TABLE email_changes;
