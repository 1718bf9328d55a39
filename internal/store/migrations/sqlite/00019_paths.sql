-- +goose Up
-- Learning paths: ordered steps (JSON: an offer, a choice among offers, a
-- networking event) owned by the platform (owner_org_id NULL) or an
-- association. shipped_key names the paths the platform installs itself.
CREATE TABLE paths (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    owner_org_id INTEGER REFERENCES organisations(id),
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    steps        TEXT NOT NULL DEFAULT '[]',
    shipped_key  TEXT UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- The people following a path; completed_at is set once every step is done.
CREATE TABLE path_members (
    path_id      INTEGER NOT NULL REFERENCES paths(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    joined_at    TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    PRIMARY KEY (path_id, person_id)
);

CREATE INDEX path_members_person ON path_members (person_id);

-- Participation in a path's networking event (step number), confirmed by
-- an event organiser or an admin; the events service will write it too.
CREATE TABLE path_events (
    path_id      INTEGER NOT NULL REFERENCES paths(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    step         INTEGER NOT NULL,
    confirmed_by INTEGER REFERENCES persons(id),
    confirmed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (path_id, person_id, step)
);

-- The composite certificate of a completed path: one per path and person,
-- whatever happens (the unique key makes a second issue a no-op). steps is
-- the JSON list of the steps with the certificates they rest on.
CREATE TABLE path_certificates (
    id                TEXT PRIMARY KEY,
    path_id           INTEGER NOT NULL REFERENCES paths(id),
    person_id         INTEGER NOT NULL REFERENCES persons(id),
    participant_name  TEXT NOT NULL,
    participant_email TEXT NOT NULL,
    path_title        TEXT NOT NULL,
    owner_name        TEXT NOT NULL DEFAULT '',
    steps             TEXT NOT NULL DEFAULT '[]',
    issued_at         TIMESTAMP NOT NULL,
    revoked_at        TIMESTAMP,
    revoke_reason     TEXT NOT NULL DEFAULT '',
    kid               TEXT NOT NULL REFERENCES signing_keys(kid),
    jwt               TEXT NOT NULL,
    UNIQUE (path_id, person_id)
);

CREATE INDEX path_certificates_person ON path_certificates (person_id);

-- +goose Down
DROP TABLE path_certificates;
DROP TABLE path_events;
DROP TABLE path_members;
DROP TABLE paths;
