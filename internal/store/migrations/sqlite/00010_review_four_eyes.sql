-- +goose Up
-- Four eyes: one reviewer prepares a decision on an application, a second
-- reviewer of the same association confirms or discards it. An application
-- has at most one pending decision, and nobody confirms their own.
CREATE TABLE application_decisions (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    action         TEXT NOT NULL CHECK (action IN ('approve','reject','return')),
    comment        TEXT NOT NULL DEFAULT '',
    prepared_by    INTEGER NOT NULL REFERENCES persons(id),
    prepared_at    TIMESTAMP NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('pending','confirmed','discarded','superseded')),
    resolved_by    INTEGER REFERENCES persons(id),
    resolved_at    TIMESTAMP,
    resolution     TEXT NOT NULL DEFAULT '',
    CHECK (state <> 'confirmed' OR resolved_by <> prepared_by)
);
CREATE UNIQUE INDEX application_decisions_pending ON application_decisions(application_id) WHERE state = 'pending';
CREATE INDEX application_decisions_app ON application_decisions(application_id, id);

-- The conversation about an application: reviewers' notes that only their
-- association reads (internal), and messages the applicant reads and
-- answers (applicant).
CREATE TABLE application_comments (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    author_id      INTEGER NOT NULL REFERENCES persons(id),
    author_org_id  INTEGER NOT NULL REFERENCES organisations(id),
    body           TEXT NOT NULL,
    visibility     TEXT NOT NULL CHECK (visibility IN ('internal','applicant')),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX application_comments_app ON application_comments(application_id, id);

-- +goose Down
DROP TABLE application_comments;
DROP TABLE application_decisions;
