-- +goose Up
-- Single sign-on with OpenID Connect.
--
-- sso_logins: one row per login in progress, keyed by the hash of its
-- state: the nonce, the PKCE verifier and where to go afterwards. Any
-- instance can finish a login another one started; the row is taken (read
-- and deleted) once, and expires after a few minutes.
CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,
    provider   TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    next       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sso_logins_expires ON sso_logins (expires_at);

-- sso_identities: an identity at a provider (its subject) belongs to one
-- person; a person may have one at several providers.
CREATE TABLE sso_identities (
    provider      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    person_id     INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    created_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX sso_identities_person ON sso_identities (person_id);

-- sso_sessions: the provider and ID token of a session started by single
-- sign-on, for the provider's logout (id_token_hint).
CREATE TABLE sso_sessions (
    session_hash TEXT PRIMARY KEY REFERENCES sessions(token_hash) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    id_token     TEXT NOT NULL
);

-- An organisation can switch password login off for its members: they log
-- in only through single sign-on.
ALTER TABLE organisations ADD COLUMN password_login INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE organisations DROP COLUMN password_login;
DROP TABLE sso_sessions;
DROP TABLE sso_identities;
DROP TABLE sso_logins;
