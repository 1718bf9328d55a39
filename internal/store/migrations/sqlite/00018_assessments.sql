-- +goose Up
-- A person's self-assessment against the competence framework: current
-- and target level per competence (0 none .. 3 expert), free-text goals
-- and preferences (JSON). It belongs to the person; an organisation's HR
-- sees it only while a share row exists.
CREATE TABLE assessments (
    person_id   INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    goals       TEXT NOT NULL DEFAULT '',
    preferences TEXT NOT NULL DEFAULT '{}',
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE assessment_items (
    person_id INTEGER NOT NULL REFERENCES assessments(person_id) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    level     INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    target    INTEGER NOT NULL CHECK (target BETWEEN 0 AND 3),
    PRIMARY KEY (person_id, code)
);

CREATE INDEX assessment_items_code ON assessment_items (code);

CREATE TABLE assessment_shares (
    person_id INTEGER NOT NULL REFERENCES assessments(person_id) ON DELETE CASCADE,
    org_id    INTEGER NOT NULL REFERENCES organisations(id),
    shared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, org_id)
);

CREATE INDEX assessment_shares_org ON assessment_shares (org_id);

-- +goose Down
DROP TABLE assessment_shares;
DROP TABLE assessment_items;
DROP TABLE assessments;
