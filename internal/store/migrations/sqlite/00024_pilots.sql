-- +goose Up
-- The directory of digital pilots (opt-in) and their project briefs.
-- An entry belongs to one person, who holds a base certificate, shows one
-- of their municipalities and exists only with their consent; hidden
-- entries stay out of the directory. name and search are copies written at
-- save (the person's name; lower-cased name, municipality, help text, tags
-- and topic names) so that the directory pages by (name, id).
CREATE TABLE pilot_entries (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL UNIQUE REFERENCES persons(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    ags        TEXT NOT NULL,
    district   TEXT NOT NULL,
    name       TEXT NOT NULL,
    help       TEXT NOT NULL,
    topics     TEXT NOT NULL DEFAULT '',
    tags       TEXT NOT NULL DEFAULT '',
    contact    TEXT NOT NULL CHECK (contact IN ('email', 'form', 'phone')),
    phone      TEXT NOT NULL DEFAULT '',
    hidden     INTEGER NOT NULL DEFAULT 0,
    search     TEXT NOT NULL DEFAULT '',
    consent_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX pilot_entries_name ON pilot_entries (hidden, name, id);
CREATE INDEX pilot_entries_district ON pilot_entries (district, hidden, name, id);

-- The keys a visible entry is found by: its competences, their areas and
-- its tags ("tag:" and the lower-cased tag); and the lower-case words of
-- its search text. Both carry the entry's name, so that a search walks one
-- index in the directory's order (name, id) and stops after a page.
-- Hidden entries have no rows here.
CREATE TABLE pilot_topic_keys (
    key      TEXT NOT NULL,
    entry_id INTEGER NOT NULL REFERENCES pilot_entries(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    PRIMARY KEY (key, entry_id)
);

CREATE INDEX pilot_topic_keys_order ON pilot_topic_keys (key, name, entry_id);
CREATE INDEX pilot_topic_keys_entry ON pilot_topic_keys (entry_id);

CREATE TABLE pilot_search_words (
    word     TEXT NOT NULL,
    entry_id INTEGER NOT NULL REFERENCES pilot_entries(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    PRIMARY KEY (word, entry_id)
);

CREATE INDEX pilot_search_words_order ON pilot_search_words (word, name, entry_id);
CREATE INDEX pilot_search_words_entry ON pilot_search_words (entry_id);

-- The consent record: when a person gave consent to be listed and when
-- they withdrew it. Deleting the entry leaves only the withdrawal.
CREATE TABLE pilot_consents (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    event      TEXT NOT NULL CHECK (event IN ('given', 'withdrawn')),
    at         TIMESTAMP NOT NULL,
    text_version TEXT NOT NULL DEFAULT ''
);

CREATE INDEX pilot_consents_person ON pilot_consents (person_id, id);

-- Project briefs ("von Kommunen für Kommunen"): what a pilot digitised,
-- how and what it took. Only pilots with an entry publish; discussion_url
-- links a brief to a thread of the members' space (set later).
CREATE TABLE project_briefs (
    id             INTEGER PRIMARY KEY,
    author_id      INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    what           TEXT NOT NULL,
    how            TEXT NOT NULL DEFAULT '',
    effort         TEXT NOT NULL DEFAULT '',
    contact        TEXT NOT NULL DEFAULT '',
    topics         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    discussion_url TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    published_at   TIMESTAMP
);

CREATE INDEX project_briefs_author ON project_briefs (author_id, id);
CREATE INDEX project_briefs_status ON project_briefs (status, id);

CREATE TABLE project_brief_topic_keys (
    key      TEXT NOT NULL,
    brief_id INTEGER NOT NULL REFERENCES project_briefs(id) ON DELETE CASCADE,
    PRIMARY KEY (key, brief_id)
);

CREATE INDEX project_brief_topic_keys_brief ON project_brief_topic_keys (brief_id);

-- +goose Down
DROP TABLE project_brief_topic_keys;
DROP TABLE project_briefs;
DROP TABLE pilot_consents;
DROP TABLE pilot_search_words;
DROP TABLE pilot_topic_keys;
DROP TABLE pilot_entries;
