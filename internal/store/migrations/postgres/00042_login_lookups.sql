-- +goose Up
-- Issue 14: what every login reads. The limits count failed attempts
-- only, and a busy address (a town hall's proxy) has many successful ones
-- in its window: the partial indexes hold the failed attempts alone.
-- Which organisations require a second factor is asked at every login;
-- few do, out of thousands.
CREATE INDEX login_attempts_failed_email ON login_attempts (email, at) WHERE NOT success;
CREATE INDEX login_attempts_failed_addr ON login_attempts (addr, at) WHERE NOT success;
DROP INDEX login_attempts_addr;
CREATE INDEX organisations_require_mfa ON organisations (id) WHERE require_mfa;

-- +goose Down
DROP INDEX organisations_require_mfa;
CREATE INDEX login_attempts_addr ON login_attempts (addr, at);
DROP INDEX login_attempts_failed_addr;
DROP INDEX login_attempts_failed_email;
