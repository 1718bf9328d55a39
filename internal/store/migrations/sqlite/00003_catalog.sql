-- +goose Up
-- The competence framework: areas (code without a dot) and their competences.
CREATE TABLE competences (
    code        TEXT PRIMARY KEY,
    area        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
);

CREATE TABLE offers (
    id                INTEGER PRIMARY KEY,
    provider_id       INTEGER NOT NULL REFERENCES organisations(id),
    code              TEXT NOT NULL,
    title             TEXT NOT NULL,
    summary           TEXT NOT NULL,
    description       TEXT NOT NULL,
    outcomes          TEXT NOT NULL,
    level             TEXT NOT NULL,
    format            TEXT NOT NULL,
    language          TEXT NOT NULL,
    hours             INTEGER NOT NULL,
    days              INTEGER NOT NULL,
    workload          TEXT NOT NULL DEFAULT '',
    credits           REAL NOT NULL DEFAULT 0,
    certificate       TEXT NOT NULL,
    price_cents       INTEGER NOT NULL CHECK (price_cents >= 0),
    target_groups     TEXT NOT NULL DEFAULT '',
    prerequisites     TEXT NOT NULL DEFAULT '',
    cancellation_rule TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('draft','in_review','published','returned','archived')),
    review_comment    TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    published_at      TIMESTAMP,
    UNIQUE (provider_id, code)
);
CREATE INDEX offers_status ON offers(status, id);

CREATE TABLE offer_competences (
    offer_id INTEGER NOT NULL REFERENCES offers(id),
    code     TEXT NOT NULL REFERENCES competences(code),
    level    INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    PRIMARY KEY (offer_id, code)
);

CREATE TABLE offer_funding (
    offer_id INTEGER NOT NULL REFERENCES offers(id),
    track    TEXT NOT NULL, -- "programme/track"
    PRIMARY KEY (offer_id, track)
);

CREATE TABLE offer_modules (
    offer_id  INTEGER NOT NULL REFERENCES offers(id),
    module_id INTEGER NOT NULL REFERENCES offers(id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (offer_id, module_id)
);

CREATE TABLE offer_sessions (
    id                    INTEGER PRIMARY KEY,
    offer_id              INTEGER NOT NULL REFERENCES offers(id),
    starts_at             TIMESTAMP NOT NULL,
    ends_at               TIMESTAMP NOT NULL,
    days                  INTEGER NOT NULL,
    capacity              INTEGER NOT NULL CHECK (capacity > 0),
    online                INTEGER NOT NULL,
    ags                   TEXT NOT NULL DEFAULT '',
    address               TEXT NOT NULL DEFAULT '',
    registration_deadline TIMESTAMP NOT NULL,
    created_at            TIMESTAMP NOT NULL
);
CREATE INDEX offer_sessions_offer ON offer_sessions(offer_id, starts_at);

-- Raised by every change to what the catalog search shows, so that each
-- instance knows when to rebuild its index.
CREATE TABLE catalog_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE catalog_version;
DROP TABLE offer_sessions;
DROP TABLE offer_modules;
DROP TABLE offer_funding;
DROP TABLE offer_competences;
DROP TABLE offers;
DROP TABLE competences;
