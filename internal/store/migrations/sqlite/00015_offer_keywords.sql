-- +goose Up
-- What a provider's MOOChub feed carries beyond the standard fields: the
-- course's keywords (one a line, like outcomes and target groups) and the
-- name of its publisher as the feed gives it (a portal's feed names the
-- university or academy that runs the course, which is not the provider
-- account that imported it).
ALTER TABLE offers ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
ALTER TABLE offers ADD COLUMN publisher TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE offers DROP COLUMN publisher;
ALTER TABLE offers DROP COLUMN keywords;
