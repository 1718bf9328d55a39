-- +goose Up
-- Role profiles of a municipality: target levels per competence of the
-- framework, and the people HR assigns to them. The shipped templates
-- (domain.RoleProfileTemplates) are copied into a municipality the first
-- time its HR opens the list (role_profile_seeds records that, so that
-- deleted copies do not come back); template names the one a copy came from.
CREATE TABLE role_profiles (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations(id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    template    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE role_profile_targets (
    profile_id INTEGER NOT NULL REFERENCES role_profiles(id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    PRIMARY KEY (profile_id, code)
);

CREATE TABLE role_profile_members (
    profile_id INTEGER NOT NULL REFERENCES role_profiles(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (profile_id, person_id)
);

CREATE INDEX role_profile_members_person ON role_profile_members (person_id);

CREATE TABLE role_profile_seeds (
    org_id    INTEGER PRIMARY KEY REFERENCES organisations(id),
    seeded_at TIMESTAMP NOT NULL
);

-- Catalog searches that found nothing, counted per day, district of the
-- searching person's municipality ('' when not logged in or none), the
-- normalised query and the competence areas filtered by (comma-separated,
-- '' none). Who searched is never stored.
CREATE TABLE search_misses (
    day      TEXT NOT NULL,
    district TEXT NOT NULL DEFAULT '',
    query    TEXT NOT NULL,
    areas    TEXT NOT NULL DEFAULT '',
    count    INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (day, district, query, areas)
);

-- +goose Down
DROP TABLE search_misses;
DROP TABLE role_profile_seeds;
DROP TABLE role_profile_members;
DROP TABLE role_profile_targets;
DROP TABLE role_profiles;
