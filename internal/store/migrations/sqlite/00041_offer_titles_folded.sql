-- +goose Up
-- Issue 14: PostgreSQL's planner statistics of the folded titles. SQLite
-- keeps no statistics of expressions; nothing to do.
SELECT 1;

-- +goose Down
SELECT 1;
