-- +goose Up
CREATE TABLE persons (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    password_hash     TEXT NOT NULL DEFAULT '',
    email_verified_at TIMESTAMP,
    created_at        TIMESTAMP NOT NULL
);

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('municipality','association','provider','funder','platform')),
    name       TEXT NOT NULL,
    ags        TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, person_id)
);
CREATE INDEX memberships_person ON memberships(person_id);

CREATE TABLE membership_roles (
    org_id    INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (org_id, person_id, role),
    FOREIGN KEY (org_id, person_id) REFERENCES memberships(org_id, person_id) ON DELETE CASCADE
);

-- Municipalities (by AGS) whose applications an association reviews.
CREATE TABLE association_members (
    association_id INTEGER NOT NULL REFERENCES organisations(id),
    ags            TEXT NOT NULL,
    PRIMARY KEY (association_id, ags)
);
CREATE INDEX association_members_ags ON association_members(ags);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    email       TEXT NOT NULL,
    roles       TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  INTEGER NOT NULL REFERENCES persons(id),
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE INDEX invitations_org ON invitations(org_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_person ON api_tokens(person_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_person ON sessions(person_id);

-- Single-use tokens for password reset and e-mail verification.
CREATE TABLE person_tokens (
    token_hash TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset','verify')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

CREATE TABLE login_attempts (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL,
    addr    TEXT NOT NULL,
    at      TIMESTAMP NOT NULL,
    success INTEGER NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_addr ON login_attempts(addr, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER,
    org_id      INTEGER,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_org ON audit_log(org_id, id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);

CREATE TABLE municipalities (
    ags          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    search_name  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('state','district','municipality')),
    type_code    INTEGER NOT NULL,
    district_ags TEXT NOT NULL DEFAULT '',
    state_ags    TEXT NOT NULL,
    population   INTEGER NOT NULL,
    area_ha      INTEGER NOT NULL,
    postcode     TEXT NOT NULL DEFAULT '',
    ref_date     TIMESTAMP NOT NULL
);
CREATE INDEX municipalities_search ON municipalities(search_name);
CREATE INDEX municipalities_district ON municipalities(district_ags);

-- +goose Down
DROP TABLE municipalities;
DROP TABLE outbox;
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE person_tokens;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE invitations;
DROP TABLE association_members;
DROP TABLE membership_roles;
DROP TABLE memberships;
DROP TABLE organisations;
DROP TABLE persons;
