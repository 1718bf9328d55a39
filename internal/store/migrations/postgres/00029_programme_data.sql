-- +goose Up
-- Stable keys of organisations, so that a programme exported from one
-- instance names its funder, providers and reviewing associations in a way
-- another instance can resolve (docs/programmes.md). An organisation gets
-- its key when a programme that names it is saved or imported.
CREATE TABLE org_keys (
    key    TEXT PRIMARY KEY,
    org_id BIGINT NOT NULL UNIQUE REFERENCES organisations(id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE org_keys;
