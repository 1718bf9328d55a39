-- +goose Up
-- The members' space (Austausch) of each association: channels, threads,
-- posts, their search terms, mentions and attachments, the moderation
-- (reports, suspensions) and who follows what with their digest choice.
-- Who may read a space is not stored: it follows from the memberships in
-- the association and its member municipalities (association_members).
CREATE TABLE community_spaces (
    id             INTEGER PRIMARY KEY,
    association_id INTEGER NOT NULL UNIQUE REFERENCES organisations(id),
    rules          TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);

CREATE TABLE community_channels (
    id          INTEGER PRIMARY KEY,
    space_id    INTEGER NOT NULL REFERENCES community_spaces(id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- thread_count is kept by CreateThread, so the space page counts nothing.
    thread_count INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER REFERENCES persons(id),
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (space_id, name)
);

-- last_post_id orders a channel's threads by their newest activity (post
-- IDs grow with time) and is the key of the channel page's keyset paging.
CREATE TABLE community_threads (
    id             INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL REFERENCES community_channels(id),
    space_id       INTEGER NOT NULL REFERENCES community_spaces(id),
    title          TEXT NOT NULL,
    author_id      INTEGER NOT NULL REFERENCES persons(id),
    created_at     TIMESTAMP NOT NULL,
    last_post_id   INTEGER NOT NULL DEFAULT 0,
    last_post_at   TIMESTAMP NOT NULL,
    last_author_id INTEGER NOT NULL REFERENCES persons(id),
    post_count     INTEGER NOT NULL DEFAULT 0,
    locked_at      TIMESTAMP,
    locked_by      INTEGER REFERENCES persons(id)
);
CREATE INDEX community_threads_channel ON community_threads (channel_id, last_post_id);
CREATE INDEX community_threads_activity ON community_threads (space_id, last_post_id);

CREATE TABLE community_posts (
    id            INTEGER PRIMARY KEY,
    thread_id     INTEGER NOT NULL REFERENCES community_threads(id),
    space_id      INTEGER NOT NULL REFERENCES community_spaces(id),
    author_id     INTEGER NOT NULL REFERENCES persons(id),
    body          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    hidden_at     TIMESTAMP,
    hidden_by     INTEGER REFERENCES persons(id),
    hidden_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX community_posts_thread ON community_posts (thread_id, id);

-- The search index: the analysed terms (internal/search's German analysis)
-- of each post, the opening post with its thread's title. A query walks
-- the rarest term's postings newest first and probes the others, the same
-- on both databases.
CREATE TABLE community_terms (
    space_id INTEGER NOT NULL,
    term     TEXT NOT NULL,
    post_id  INTEGER NOT NULL REFERENCES community_posts(id),
    PRIMARY KEY (space_id, term, post_id)
);

CREATE TABLE community_mentions (
    post_id   INTEGER NOT NULL REFERENCES community_posts(id),
    person_id INTEGER NOT NULL REFERENCES persons(id),
    PRIMARY KEY (post_id, person_id)
);

CREATE TABLE community_attachments (
    post_id     INTEGER NOT NULL REFERENCES community_posts(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (post_id, document_id)
);
CREATE INDEX community_attachments_document ON community_attachments (document_id);

CREATE TABLE community_reports (
    id          INTEGER PRIMARY KEY,
    space_id    INTEGER NOT NULL REFERENCES community_spaces(id),
    post_id     INTEGER NOT NULL REFERENCES community_posts(id),
    reporter_id INTEGER NOT NULL REFERENCES persons(id),
    reason      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by INTEGER REFERENCES persons(id),
    resolution  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX community_reports_space ON community_reports (space_id, resolved_at, id);
-- One open report per person and post.
CREATE UNIQUE INDEX community_reports_open ON community_reports (post_id, reporter_id) WHERE resolved_at IS NULL;

CREATE TABLE community_suspensions (
    id         INTEGER PRIMARY KEY,
    space_id   INTEGER NOT NULL REFERENCES community_spaces(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    until      TIMESTAMP NOT NULL,
    reason     TEXT NOT NULL,
    created_by INTEGER REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    lifted_at  TIMESTAMP
);
CREATE INDEX community_suspensions_person ON community_suspensions (space_id, person_id);

CREATE TABLE community_follows (
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    kind       TEXT NOT NULL CHECK (kind IN ('channel', 'thread')),
    target_id  INTEGER NOT NULL,
    space_id   INTEGER NOT NULL REFERENCES community_spaces(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, kind, target_id)
);
CREATE INDEX community_follows_space ON community_follows (space_id, person_id);

-- Each person's choice per space: the digest of followed channels and
-- threads (none, daily, weekly), mails for mentions, and the random token
-- of the one-click unsubscribe link. digest_after is the newest post ID
-- the last digest covered. The digest job claims the rows whose
-- digest_due_at has come by moving it on in the transaction that enqueues
-- the mail.
CREATE TABLE community_prefs (
    person_id         INTEGER NOT NULL REFERENCES persons(id),
    space_id          INTEGER NOT NULL REFERENCES community_spaces(id),
    digest            TEXT NOT NULL DEFAULT 'weekly' CHECK (digest IN ('none', 'daily', 'weekly')),
    mention_mail      INTEGER NOT NULL DEFAULT 1,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    digest_after      INTEGER NOT NULL DEFAULT 0,
    digest_due_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, space_id)
);
CREATE INDEX community_prefs_due ON community_prefs (digest_due_at);

-- +goose Down
DROP TABLE community_prefs;
DROP TABLE community_follows;
DROP TABLE community_suspensions;
DROP TABLE community_reports;
DROP TABLE community_attachments;
DROP TABLE community_mentions;
DROP TABLE community_terms;
DROP TABLE community_posts;
DROP TABLE community_threads;
DROP TABLE community_channels;
DROP TABLE community_spaces;
