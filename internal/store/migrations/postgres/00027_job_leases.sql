-- +goose Up
-- Leader leases of background jobs that must run on one instance at a time
-- (e.g. the collection of orphaned files): an instance holds the lease of a
-- job until expires_at and renews it while it works; when it ends or dies
-- the lease runs out and another instance takes it over.
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE job_leases;
