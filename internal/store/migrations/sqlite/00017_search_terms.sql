-- +goose Up
-- Entries administrators add to the search thesaurus, one thesaurus line
-- each ("GemO, Gemeindeordnung" or "A => B"), on top of the shipped file
-- (internal/search/lexicon/thesaurus.txt). Every instance reloads them.
CREATE TABLE search_terms (
    id         INTEGER PRIMARY KEY,
    line       TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE search_terms;
