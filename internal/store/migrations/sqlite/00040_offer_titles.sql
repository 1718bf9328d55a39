-- +goose Up
-- Issue 14, the team overview filtered by a part of an offer's title: the
-- offers whose title contains it are found by reading every title. Offers'
-- rows are wide (descriptions, sessions' texts); their titles alone, in
-- this index, are a twentieth of that to read.
CREATE INDEX offers_title ON offers(title, id);

-- +goose Down
DROP INDEX offers_title;
